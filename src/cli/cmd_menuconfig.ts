/**
 * `zsim menuconfig -d DIR`: Kconfiglib's menuconfig over a build's configuration (also reached
 * with `zsim build -t menuconfig`). Saving writes `BUILD/zephyr/.config` and `autoconf.h` and keeps
 * the changes for the following builds until an input fragment changes, as in Zephyr.
 *
 * Without a terminal it runs scripted: `--keys SEQ`, or the same notation on stdin (line breaks
 * ignored; a line that is just a key name such as `down` or `enter` is that key). In the notation
 * characters are typed as they are and special keys go in angle brackets: `<Enter>`, `<Esc>`,
 * `<Up>`, `<Down>`, `<Left>`, `<Right>`, `<Space>`, `<BS>`, `<PageUp>`, `<PageDown>`, `<lt>`...
 * For example, turning the boot banner off and saving:
 *
 *     zsim menuconfig -d build --keys '/BOOT_BANNER<Enter>nSq'
 *
 * Running out of keys before quitting ends the session without saving.
 */
import { readFileSync } from 'node:fs';
import type { Argv } from 'yargs';
import { parseKeyNotation, type Key } from '../build/menuconfig/keys.ts';
import { runMenuconfig } from '../build/menuconfig/tui.ts';
import type { CliCommand } from './command.ts';
import { UsageError } from './errors.ts';

/** Scripted keys from stdin: the `--keys` notation, except that a bare key name on a line is that key. */
export function stdinKeys(text: string): Key[] {
  return text.split(/\r?\n/).flatMap((l) => {
    const bare = l.trim();
    if (/^[A-Za-z][\w-]+$/.test(bare)) {
      try {
        const k = parseKeyNotation(`<${bare}>`);
        if (k.length === 1) return k;
      } catch {
        // Not a key name: typed text.
      }
    }
    return parseKeyNotation(l);
  });
}

function parseSize(s: string): { width: number; height: number } {
  const m = /^(\d+)x(\d+)$/.exec(s);
  if (!m || Number(m[1]) < 20 || Number(m[2]) < 8) throw new UsageError(`--size ${s}: expected COLUMNSxROWS, at least 20x8 (e.g. 120x40)`);
  return { width: Number(m[1]), height: Number(m[2]) };
}

export const menuconfigCmd: CliCommand = {
  command: 'menuconfig',
  describe: "change a build's Kconfig configuration in a full-screen terminal UI (like west build -t menuconfig)",
  builder: (y: Argv) =>
    y
      .option('build-dir', { alias: 'd', type: 'string', default: 'build', describe: 'build directory' })
      .option('show-all', { type: 'boolean', default: false, describe: 'also show invisible entries (toggle with A)' })
      .option('keys', { type: 'string', describe: "scripted mode: keys to press, e.g. '/BOOT_BANNER<Enter>nSq' (see --help)" })
      .option('screen', { type: 'boolean', default: false, describe: 'scripted mode: print the last screen' })
      .option('size', { type: 'string', describe: 'scripted mode: screen size, COLUMNSxROWS (default 80x24)' })
      .epilog(
        'Keys: arrows or j/k move, Enter/Right/Space enter a menu or change a value, Esc/Left go up, y/n set, ' +
          '/ search, ? symbol info, S save, A show all, C names, Q quit.\n' +
          'Scripted mode (no terminal, or --keys): characters are typed as they are, special keys are ' +
          '<Enter> <Esc> <Up> <Down> <Left> <Right> <Space> <BS> <Del> <Tab> <PageUp> <PageDown> <Home> <End> <C-u> <lt>. ' +
          'Without --keys, keys are read from stdin in the same notation (a line holding only a key name, like "down", is that key). ' +
          'Running out of keys before quitting ends without saving.',
      ),
  handler: async (a, io) => {
    const stdin = process.stdin;
    const stdout = process.stdout;
    const rawKeys = a.keys as string | undefined;
    let keys: Key[] | null = null;
    try {
      if (rawKeys !== undefined) keys = parseKeyNotation(rawKeys);
      else if (!stdin.isTTY) keys = stdinKeys(readFileSync(0, 'utf8'));
    } catch (e) {
      throw new UsageError(`--keys: ${(e as Error).message}`);
    }
    if (!keys && !stdout.isTTY) throw new UsageError('menuconfig needs a terminal; without one, give the keys to press with --keys (see zsim menuconfig --help)');
    return runMenuconfig({
      buildDir: (a['build-dir'] as string | undefined) ?? 'build',
      showAll: a['show-all'] === true,
      keys,
      printScreen: a.screen === true,
      size: typeof a.size === 'string' ? parseSize(a.size) : undefined,
      stdin,
      stdout,
      log: (l) => io.stderr(l),
    });
  },
};
