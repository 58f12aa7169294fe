#!/usr/bin/env node
// zsim's command line. The sources are TypeScript; ts-hooks.js compiles them on first use
// (and caches them), so a fresh clone runs after `npm ci` with no build step.
import './ts-register.js';

// A reader that went away (`zsim ... | head`) is not an error of the command: stop quietly, as
// command-line tools do on SIGPIPE.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
}

const { main } = await import('../src/cli/main.ts');
const code = await main(process.argv.slice(2));
// A run may leave host resources (a broker's timers, sockets) behind; the command is done, so
// exit once stdout and stderr have drained instead of waiting for them.
let pending = 2;
const done = () => {
  if (--pending === 0) process.exit(code);
};
process.stdout.write('', done);
process.stderr.write('', done);
