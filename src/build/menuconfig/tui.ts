/**
 * Running menuconfig: full screen on a terminal (alternate screen, raw-mode stdin, redraw after
 * every key and on resize), or scripted from a key sequence when there is no terminal, so CI and
 * tests can drive exactly the same session.
 */
import { MenuconfigApp, type Ending } from './app.ts';
import { decodeInput, type Key } from './keys.ts';
import { MenuModel } from './model.ts';
import { frameAnsi, frameText, render } from './render.ts';
import { displayPath, openBuildConfig, saveBuildConfig } from './session.ts';

/** Options of a menuconfig session. */
export interface MenuconfigOptions {
  buildDir: string;
  showAll?: boolean;
  /** Scripted mode: the keys to press. Null for a terminal session. */
  keys: Key[] | null;
  /** Scripted mode: print the last screen to stdout. */
  printScreen?: boolean;
  /** Scripted mode: screen size (default 80x24). */
  size?: { width: number; height: number };
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  /** Where scripted mode reports messages (stderr). */
  log: (line: string) => void;
}

/** Exit code for a session ended with Ctrl-C, as for an interrupted process. */
const INTERRUPTED = 130;

/** Loads the build, runs the session, prints how it ended. Resolves to the exit code. */
export async function runMenuconfig(opts: MenuconfigOptions): Promise<number> {
  const cfg = openBuildConfig(opts.buildDir);
  const model = new MenuModel(cfg.kconf, cfg.assignments, { showAll: opts.showAll, inConfig: cfg.inConfig });
  const app = new MenuconfigApp(model, { save: (m) => saveBuildConfig(cfg, m.assignments.values()) });
  const ending = opts.keys ? runScripted(app, opts.keys, opts) : await runTerminal(app, opts.stdin, opts.stdout);
  const where = displayPath(cfg.dotConfig);
  const summary: Record<Ending, string> = {
    saved: app.lastSave ?? `Configuration saved to '${where}'`,
    discarded: `Configuration was not saved ('${where}' is unchanged since the last save)`,
    'no-changes': `No changes to save (for '${where}')`,
    interrupted: 'Interrupted: configuration was not saved',
  };
  opts.stdout.write(summary[ending] + '\n');
  return ending === 'interrupted' ? INTERRUPTED : 0;
}

/** Presses `keys` in order; running out of keys ends the session without saving. */
export function runScripted(app: MenuconfigApp, keys: readonly Key[], opts: Pick<MenuconfigOptions, 'size' | 'printScreen' | 'stdout' | 'log'>): Ending {
  const size = opts.size ?? { width: 80, height: 24 };
  app.resize(size.width, size.height);
  let screen = frameText(render(app));
  for (const key of keys) {
    app.handle(key);
    if (app.ending) break;
    screen = frameText(render(app));
    // Scripts cannot see the screen, so the messages it shows go to stderr.
    const m = app.mode;
    if (app.message && app.message !== app.lastSave) opts.log(`menuconfig: ${app.message}`);
    if (m.kind === 'edit' && m.error) opts.log(`menuconfig: ${m.error}`);
  }
  if (opts.printScreen) opts.stdout.write(screen + '\n');
  if (app.ending) return app.ending;
  if (app.model.changed) opts.log('menuconfig: end of keys before quitting: unsaved changes dropped');
  return app.lastSave ? 'saved' : app.model.changed ? 'discarded' : 'no-changes';
}

/** Signals that end a terminal session (Ctrl-C arrives as a key in raw mode). */
const SIGNALS = ['SIGTERM', 'SIGHUP'] as const;

/** Color unless NO_COLOR asks otherwise (https://no-color.org) or the terminal is dumb. */
function useColor(env: NodeJS.ProcessEnv): boolean {
  return !env.NO_COLOR && env.TERM !== 'dumb';
}

/** A full-screen session on a terminal. Always gives the terminal back as it found it. */
export function runTerminal(app: MenuconfigApp, stdin: NodeJS.ReadStream, stdout: NodeJS.WriteStream): Promise<Ending> {
  const color = useColor(process.env);
  const draw = (): void => void stdout.write(frameAnsi(render(app), color));
  const restore = (): void => {
    if (stdin.isTTY) stdin.setRawMode(false);
    stdout.write('\x1b[0m\x1b[?25h\x1b[?1049l');
  };
  return new Promise((resolve) => {
    const finish = (ending: Ending): void => {
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdout.off('resize', onResize);
      process.off('exit', restore);
      for (const sig of SIGNALS) process.off(sig, onSignal);
      stdin.pause();
      restore();
      resolve(ending);
    };
    const onData = (data: string): void => {
      for (const key of decodeInput(data)) {
        app.handle(key);
        if (app.ending) return finish(app.ending);
      }
      draw();
    };
    const onEnd = (): void => finish(app.model.changed ? 'discarded' : 'no-changes');
    const onResize = (): void => {
      app.resize(stdout.columns, stdout.rows);
      stdout.write('\x1b[2J');
      draw();
    };
    // A closed terminal or a kill must not leave the user in raw mode on the alternate screen,
    // nor must anything that throws past us.
    const onSignal = (): void => finish('interrupted');
    for (const sig of SIGNALS) process.on(sig, onSignal);
    process.on('exit', restore);
    stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    stdin.on('data', onData);
    stdin.on('end', onEnd);
    stdout.on('resize', onResize);
    stdin.resume();
    stdout.write('\x1b[?1049h\x1b[2J');
    app.resize(stdout.columns || 80, stdout.rows || 24);
    draw();
  });
}
