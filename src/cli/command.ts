/** The shape of a `zsim` subcommand (each lives in its own `cmd_*.ts`). */
import type { Argv } from 'yargs';

/** What a command handler gets besides its arguments. */
export interface CliIo {
  /** Writes one line to stderr. */
  stderr(line: string): void;
}

/** One `zsim` subcommand. The handler resolves to the exit code. */
export interface CliCommand {
  command: string;
  describe: string;
  builder: (y: Argv) => Argv;
  handler: (args: Record<string, unknown>, io: CliIo) => Promise<number>;
}
