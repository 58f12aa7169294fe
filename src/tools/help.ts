/**
 * `--help` for the pub/sub commands. zsim's global `-h` means help, but these tools take
 * `-h HOST` as mosquitto's do, so their builder turns yargs' help off and prints it here.
 */
import type { Argv } from 'yargs';

const instances = new Map<string, Argv>();

/** Turns yargs' help off for a command whose `-h` is the host; keeps the instance for `--help`. */
export function hostNotHelp(name: string, y: Argv): Argv {
  instances.set(name, y);
  return y.help(false);
}

/** With `--help`: prints the command's usage on stdout and returns true. */
export function printHelpIfAsked(name: string, a: Record<string, unknown>): boolean {
  if (a.help !== true) return false;
  const y = instances.get(name);
  if (y) y.showHelp((s) => process.stdout.write(s.replace(/\n?$/, '\n')));
  return true;
}
