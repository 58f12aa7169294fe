/**
 * The `zsim` command. Exit codes: 0 when the app finished (or ran to its time limit), 1 on a fatal
 * error or deadlock, 2 on a usage or input error; each ending prints a one-line reason on stderr.
 * Each command lives in its own `cmd_*.ts` and is listed in `COMMANDS`.
 */
import yargs, { type MiddlewareFunction } from 'yargs';
import type { CliCommand, CliIo } from './command.ts';
import { ZSIM_VERSION } from '../kernel/init.ts';
import { isInputError, registerInputError, UsageError } from './errors.ts';
import { fixParsedArgs, type ParsedOptions } from './parse_fixups.ts';
import { runCmd } from './cmd_run.ts';
import { listCmd } from './cmd_list.ts';
import { buildCmd } from './cmd_build.ts';
import { boardsCmd } from './cmd_boards.ts';
import { kconfigCmd } from './cmd_kconfig.ts';
import { brokerCmd } from './cmd_broker.ts';
import { manifestCmd } from './cmd_manifest.ts';
import { configCmd } from './cmd_config.ts';
import { menuconfigCmd } from './cmd_menuconfig.ts';
import { fleetCmd } from './cmd_fleet.ts';
import { reportCmd } from './cmd_report.ts';
import { twisterCmd } from './cmd_twister.ts';
import { pubCmd } from './cmd_pub.ts';
import { subCmd } from './cmd_sub.ts';
import { ManifestError } from '../build/manifest.ts';
import { CredArgError } from '../net/tls_credentials.ts';

registerInputError(ManifestError);
registerInputError(CredArgError);

const COMMANDS: CliCommand[] = [buildCmd, runCmd, fleetCmd, reportCmd, boardsCmd, kconfigCmd, configCmd, menuconfigCmd, brokerCmd, listCmd, manifestCmd, pubCmd, subCmd, twisterCmd];

/** Runs the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  let code = 0;
  const io: CliIo = { stderr: (s) => void process.stderr.write(s.endsWith('\n') ? s : s + '\n') };
  let parser = yargs(argv)
    .scriptName('zsim')
    .usage('$0 <command> [options]\n\nA Zephyr-like RTOS simulator: run firmware apps on virtual boards.')
    .version(ZSIM_VERSION)
    .parserConfiguration({ 'populate--': true })
    .strict()
    .exitProcess(false)
    .fail((msg, err) => {
      throw err ?? new UsageError(msg);
    })
    // Last value wins for single-valued options; a bad number keeps its text (see parse_fixups.ts).
    // yargs calls a middleware with the command's parser too (its typings omit it).
    .middleware(((a: Record<string, unknown>, y: { getOptions(): ParsedOptions }) => fixParsedArgs(a, y.getOptions(), argv)) as unknown as MiddlewareFunction, true);
  for (const c of COMMANDS) {
    parser = parser.command(c.command, c.describe, c.builder, async (a) => {
      code = await c.handler(a as Record<string, unknown>, io);
    });
  }
  parser = parser
    .demandCommand(1, 'name a command, e.g. zsim run -b qemu_x86 samples/hello_world')
    .help()
    .alias('h', 'help')
    .wrap(Math.min(100, process.stdout.columns || 100));
  try {
    await parser.parseAsync();
  } catch (e) {
    if (isInputError(e)) {
      io.stderr(`zsim: error: ${e.message}`);
      return 2;
    }
    throw e;
  }
  return code;
}
