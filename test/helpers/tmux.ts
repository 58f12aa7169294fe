/**
 * A terminal for tests of zsim's interactive commands (the board shell, menuconfig): a private
 * tmux server (never the user's sessions) with one detached session of fixed size, keys sent with
 * `send-keys`, the screen read with `capture-pane`.
 */
import { spawnSync } from 'node:child_process';
import { afterAll, expect, it } from 'vitest';

const HAS_TMUX = spawnSync('tmux', ['-V']).status === 0;

/**
 * Whether the suite can run. Without tmux it registers a skipped test with a message, or under
 * CI=true a failing one (CI installs tmux); the suite then returns.
 */
export function tmuxAvailable(file: string): boolean {
  if (HAS_TMUX) return true;
  if (process.env.CI === 'true') {
    it('needs tmux under CI', () => expect.fail(`tmux is not installed; CI=true requires it for ${file}`));
  } else {
    console.warn(`${file}: tmux not installed, terminal test skipped`);
    it.skip('needs tmux', () => {});
  }
  return false;
}

export interface Terminal {
  /** Starts `cmd` (a shell command line) in the session, `cols` x `rows`, in `cwd`. */
  start(cmd: string, cols: number, rows: number, cwd: string): void;
  /** The visible screen (trailing spaces kept, so a completed "kernel " shows its space). */
  screen(): string;
  /** Polls the screen until `pred` holds (programs redraw asynchronously). */
  waitFor(what: string, pred: (s: string) => boolean, ms?: number): Promise<string>;
  /** Keys by tmux name (`Enter`, `C-d`, `Up`...), or words typed as they are. */
  keys(...k: string[]): void;
  /** Literal text, not interpreted as key names. */
  text(t: string): void;
}

/** A terminal on a private tmux server, killed after the suite. Call inside `describe`. */
export function tmuxTerminal(name: string): Terminal {
  const socket = `zsim-${name}-test-${process.pid}`;
  const session = name;
  const tmux = (...args: string[]): string => {
    const r = spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`tmux ${args.join(' ')}: ${r.stderr}`);
    return r.stdout;
  };
  afterAll(() => void spawnSync('tmux', ['-L', socket, 'kill-server']));
  const screen = (): string => tmux('capture-pane', '-p', '-N', '-t', session);
  return {
    start: (cmd, cols, rows, cwd) => void tmux('new-session', '-d', '-s', session, '-x', String(cols), '-y', String(rows), '-c', cwd, cmd),
    screen,
    waitFor: async (what, pred, ms = 30_000) => {
      const end = Date.now() + ms;
      let s = '';
      while (Date.now() < end) {
        s = screen();
        if (pred(s)) return s;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`timed out waiting for ${what}; screen:\n${s}`);
    },
    keys: (...k) => void tmux('send-keys', '-t', session, ...k),
    text: (t) => void tmux('send-keys', '-t', session, '-l', t),
  };
}
