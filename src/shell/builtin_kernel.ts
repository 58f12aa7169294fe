/**
 * `kernel` commands (`CONFIG_KERNEL_SHELL`, Zephyr's `subsys/shell/modules/kernel_service`):
 * `cycles`, `reboot cold|warm`, `sleep <ms>`, `threads`, `uptime [-p]`, `version`, in Zephyr's
 * output formats.
 *
 * zsim differences: stack usage is not measured (JavaScript threads have no stack area to watch),
 * so `kernel threads` prints "n/a" for it; `kernel reboot` cannot restart an app in place, so it
 * halts the board cleanly and ends the run with exit status 0, saying so.
 */
import { cpu } from '../kernel/cpu.ts';
import type { Kernel } from '../kernel/kernel.ts';
import {
  THREAD_BUSY, THREAD_DEAD, THREAD_NEW, THREAD_PENDING, THREAD_READY, THREAD_RUNNING, THREAD_SLEEPING, THREAD_SUSPENDED,
  type k_thread,
} from '../kernel/thread.ts';
import { k_cycle_get_32, k_msleep, k_uptime_get } from '../kernel/time_api.ts';
import { EIO } from '../libc/errno.ts';
import { cprintf } from '../libc/printf.ts';
import { Shell } from './shell_instance.ts';
import { registerBuiltinInstaller } from './shell_registry.ts';
import { shell_strtoul } from './shell_strto.ts';
import { SHELL_ERROR, SHELL_NORMAL, type ShellCmdHandler, type ShellContext, type ShellStaticEntry } from './shell_types.ts';

const print = (sh: ShellContext, fmt: string, ...args: unknown[]): void => sh.write(SHELL_NORMAL, cprintf(fmt + '\n', args));
const cmd = (syntax: string, help: string, handler: ShellCmdHandler | null, mandatory = 0, optional = 0,
  subcmd: ShellStaticEntry[] | null = null): ShellStaticEntry => ({
  syntax, help, handler, args: { mandatory, optional },
  subcmd: subcmd ? { kind: 'static', name: `sub_kernel_${syntax}`, entries: subcmd } : null,
});

/** `k_thread_state_str`. In uniprocessor Zephyr the running thread stays queued. */
export function threadStateStr(t: k_thread): string {
  switch (t.state) {
    case THREAD_NEW: return 'prestart';
    case THREAD_READY:
    case THREAD_RUNNING:
    case THREAD_BUSY: return 'queued';
    case THREAD_PENDING: return 'pending';
    case THREAD_SLEEPING: return 'sleeping';
    case THREAD_SUSPENDED: return 'suspended';
    case THREAD_DEAD: return 'dead';
    default: return '';
  }
}

/** Ticks until the thread's timeout expires, 0 when it has none. */
function timeoutTicks(k: Kernel, t: k_thread): number {
  return t.tnode.idx >= 0 ? Math.max(0, t.wakeTick - k.ticks()) : 0;
}

/** `kernel threads` (`shell_tdata_dump`): newest thread first, as `k_thread_foreach` walks them. */
const cmdThreads: ShellCmdHandler = (sh) => {
  const k = sh.kernel;
  // zsim has no periodic tick to be behind of: nothing elapsed since the last announcement.
  print(sh, 'Scheduler: %u since last call', 0);
  print(sh, 'Threads:');
  for (const t of [...k.threads].reverse()) {
    const name = k.enabled('THREAD_NAME') ? t.name : 'NA';
    print(sh, '%s%s %-10s', t === cpu.current ? '*' : ' ', k.addrStr(t), name);
    print(sh, '\toptions: 0x%x, priority: %d timeout: %d', t.options, t.prio, timeoutTicks(k, t));
    print(sh, '\tstate: %s, entry: %s', threadStateStr(t), t.entry ? k.addrStr(t.entry) : '(nil)');
    // Zephyr prints "unused N, usage U / S (P %)"; zsim does not measure stack use.
    print(sh, '\tstack size %zu, unused n/a, usage n/a\n', t.stack_size);
  }
  return 0;
};

const MS_PER_DAY = 86_400_000;

const cmdUptime: ShellCmdHandler = (sh, argc, argv) => {
  let ms = k_uptime_get();
  if (argc === 1) {
    print(sh, 'Uptime: %llu ms', ms);
    return 0;
  }
  if (argv[1] !== '-p' && argv[1] !== '--pretty') {
    sh.write(SHELL_ERROR, `Unsupported option: ${argv[1]}\n`);
    return -EIO;
  }
  const days = Math.floor(ms / MS_PER_DAY);
  ms %= MS_PER_DAY;
  const hours = Math.floor(ms / 3_600_000);
  ms %= 3_600_000;
  const minutes = Math.floor(ms / 60_000);
  ms %= 60_000;
  const seconds = Math.floor(ms / 1000);
  print(sh, 'uptime: %llu days, %llu hours, %llu minutes, %llu seconds, %llu milliseconds', days, hours, minutes, seconds, ms % 1000);
  return 0;
};

const cmdSleep: ShellCmdHandler = async (sh, _argc, argv) => {
  const err = { value: 0 };
  const ms = shell_strtoul(argv[1]!, 10, err);
  if (err.value !== 0) {
    sh.write(SHELL_ERROR, `Unable to parse input (err ${err.value})\n`);
    return err.value;
  }
  await k_msleep(ms);
  return 0;
};

/** `sys_reboot`: zsim halts the board and ends the run (exit 0) instead of restarting the app. */
const reboot = (kind: 'cold' | 'warm'): ShellCmdHandler => (sh) => {
  if (sh instanceof Shell) {
    sh.finish('reboot', `kernel reboot ${kind}: the board halted (zsim does not restart an app; run it again)`);
  } else {
    sh.write(SHELL_ERROR, 'reboot: only the board shell can halt the board\n');
  }
  return 0;
};

registerBuiltinInstaller('kernel', (k) => {
  if (k.config.KERNEL_SHELL === false || (k.config.KERNEL_SHELL === undefined && k.enabled('SHELL_MINIMAL'))) return [];
  const subs: ShellStaticEntry[] = [cmd('cycles', 'Kernel cycles.', (sh) => (print(sh, 'cycles: %u hw cycles', k_cycle_get_32()), 0))];
  if (k.config.REBOOT !== false) {
    subs.push(cmd('reboot', 'Reboot.', null, 0, 0, [
      cmd('cold', 'Cold reboot.', reboot('cold')),
      cmd('warm', 'Warm reboot.', reboot('warm')),
    ]));
  }
  subs.push(cmd('sleep', 'ms', cmdSleep, 2, 0));
  // Zephyr needs THREAD_MONITOR to walk the threads; KERNEL_SHELL implies it.
  if (k.config.THREAD_MONITOR !== false) subs.push(cmd('threads', 'List kernel threads.', cmdThreads));
  subs.push(cmd('uptime', 'Kernel uptime. Can be called with the -p or --pretty options', cmdUptime, 1, 1));
  subs.push(cmd('version', 'Kernel version.', (sh) => {
    const v = sh.kernel.config.KERNEL_VERSION;
    print(sh, 'Zephyr version %s', typeof v === 'string' ? v : '3.7.0');
    return 0;
  }));
  return [cmd('kernel', 'Kernel commands', null, 0, 0, subs)];
});
