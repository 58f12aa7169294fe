/**
 * A board's network stack state: its interface (a backend bound to the board) and its socket
 * table. Set up by whoever creates the board (the CLI, a fleet, a test) before `main` runs.
 */
import { registerShutdownHook } from '../kernel/boot_hooks.ts';
import type { Kernel } from '../kernel/kernel.ts';
import type { NetInterface } from './conn.ts';
import type { NetContext } from './net_context.ts';
import { startTls } from './tls.ts';

/** Hook the TLS layer installs to turn a connected stream into a TLS one. */
export type TlsStarter = (ctx: NetContext, done: (err: number) => void) => void;

export interface NetStack {
  iface: NetInterface;
  /** fd -> socket; index is the descriptor. */
  readonly fds: (NetContext | null)[];
  /** First descriptor handed out (3 with POSIX_API, where 0-2 are stdio, else 0). */
  readonly firstFd: number;
  maxFds: number;
  maxContexts: number;
  tlsStarter: TlsStarter | null;
}

const KEY = 'net';

/** Attaches a network interface to a board (once, before its app runs). */
export function net_if_attach(kernel: Kernel, iface: NetInterface): NetStack {
  const firstFd = kernel.enabled('POSIX_API') ? 3 : 0;
  const stack: NetStack = {
    iface,
    fds: [],
    firstFd,
    maxFds: kernel.cfgInt('ZVFS_OPEN_MAX') || kernel.cfgInt('POSIX_MAX_FDS') || 16,
    maxContexts: kernel.cfgInt('NET_MAX_CONTEXTS') || 6,
    tlsStarter: kernel.enabled('NET_SOCKETS_SOCKOPT_TLS') ? startTls : null,
  };
  kernel.subsys.set(KEY, stack);
  return stack;
}

let closeAll: (k: Kernel) => void = () => {};
registerShutdownHook('net', (k) => {
  if (net_stack(k)) closeAll(k);
});
/** @internal the socket layer registers how to close a board's sockets at the end of a run. */
export function net_set_close_all(fn: (k: Kernel) => void): void {
  closeAll = fn;
}

/** The board's network stack, or null when the board has none. */
export function net_stack(kernel: Kernel): NetStack | null {
  return (kernel.subsys.get(KEY) as NetStack | undefined) ?? null;
}
