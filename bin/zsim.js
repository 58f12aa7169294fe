#!/usr/bin/env node
// zsim's command line. The sources are TypeScript; tsx's loader compiles them on first use
// (and caches them), so a fresh clone runs after `npm ci` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
