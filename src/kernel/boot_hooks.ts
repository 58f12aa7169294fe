/**
 * The process-wide boot hook registry, zsim's counterpart of Zephyr's `SYS_INIT`: a subsystem
 * registers once, when its module is loaded, and every board booted afterwards runs the hook in
 * `z_cstart`, in ISR context, before its main thread is created.
 *
 * Registration is global rather than per board because a subsystem's module is shared by every
 * board of the process; a hook that only some boards want checks the board's configuration itself.
 * Only the subsystems an app actually loads are registered, as only the code Zephyr links runs.
 */
import type { Kernel } from './kernel.ts';

/** Work a subsystem does on each board at boot (start a thread, set up per-board state...). */
export type BootHook = (k: Kernel) => void;

// Keyed by name so that evaluating a module twice (test runners, hot reload) replaces its hook
// instead of running it twice; a Map keeps registration order, which is the order hooks run in.
const hooks = new Map<string, BootHook>();

/**
 * Registers `hook` to run on every board booted from now on, after the hooks registered before
 * it. Registering a name again replaces that hook, keeping its place.
 */
export function registerBootHook(name: string, hook: BootHook): void {
  hooks.set(name, hook);
}

/** Removes a hook (for tests and for subsystems torn down at run time); true if it was registered. */
export function unregisterBootHook(name: string): boolean {
  return hooks.delete(name);
}

/** @internal runs every registered hook on `k` (called by `z_cstart`, in `k`'s ISR context). */
export function z_run_boot_hooks(k: Kernel): void {
  for (const hook of hooks.values()) hook(k);
}

/** Work a subsystem does on each board when the simulation ends (release host sockets...). */
export type ShutdownHook = (k: Kernel) => void;

const shutdownHooks = new Map<string, ShutdownHook>();

/**
 * Registers `hook` to run on every board when its simulation ends, before the board's own
 * `Kernel.shutdownHooks`. Global for the reason boot hooks are: nothing is stored per board.
 */
export function registerShutdownHook(name: string, hook: ShutdownHook): void {
  shutdownHooks.set(name, hook);
}

/** @internal runs every registered shutdown hook on `k` (called by the simulation at its end). */
export function z_run_shutdown_hooks(k: Kernel): void {
  for (const hook of shutdownHooks.values()) hook(k);
}
