/**
 * The text of Zephyr's fatal error report (`z_fatal_error` in `kernel/fatal.c`): the reason codes,
 * their names, and the "exception frame" zsim prints in place of registers (the JavaScript stack).
 *
 * Pure formatting, with no kernel state: `Kernel.fatal` writes these lines and halts the board.
 */

/** The fatal error reasons of `k_fatal_error_reason`. */
export const K_ERR_CPU_EXCEPTION = 0;
export const K_ERR_SPURIOUS_IRQ = 1;
export const K_ERR_STACK_CHK_FAIL = 2;
export const K_ERR_KERNEL_OOPS = 3;
export const K_ERR_KERNEL_PANIC = 4;

const REASONS = ['CPU exception', 'Unhandled interrupt', 'Stack overflow', 'Kernel oops', 'Kernel panic'];

/** "Kernel panic" etc. for a reason code; undefined for codes Zephyr has no name for. */
export function fatalReasonName(reason: number): string | undefined {
  return REASONS[reason];
}

/**
 * The lines of a fatal error report, as Zephyr logs them: the exception frame (here `err`'s
 * message and stack), the reason, the current thread (`threadDesc`, e.g. "0x00100040 (main)"),
 * and "Halting system".
 */
export function fatalReportLines(reason: number, threadDesc: string, err: unknown): string[] {
  return [
    ...describeError(err),
    `>>> ZEPHYR FATAL ERROR ${reason}: ${fatalReasonName(reason) ?? 'Unknown error'} on CPU 0`,
    `Current thread: ${threadDesc}`,
    'Halting system',
  ];
}

/** Lines describing an exception or a captured stack, paths shortened to the working directory. */
export function describeError(err: unknown): string[] {
  if (err === undefined || err === null) return [];
  const cwd = process.cwd() + '/';
  const clean = (s: string): string => s.split('file://').join('').split(cwd).join('');
  if (err instanceof Error) {
    const stack = (err.stack ?? `${err.name}: ${err.message}`).split('\n');
    // Frames of the kernel's own fault plumbing say nothing about the app's bug; drop them.
    const frames = stack
      .filter((l) => /^\s+at /.test(l))
      .filter((l) => !/node:internal|\/node_modules\/|\/src\/kernel\/(cpu|kernel|fatal)\.ts/.test(l))
      .slice(0, 8)
      .map((l) => '    ' + clean(l.trim()));
    const head = stack.filter((l) => !/^\s+at /.test(l)).join(' ').trim();
    return [clean(head), ...frames];
  }
  return [clean(String(err))];
}
