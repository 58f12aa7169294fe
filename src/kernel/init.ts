/**
 * Board start-up, after Zephyr's `kernel/init.c`: boot hooks (`boot_hooks.ts`: the system work
 * queue...), then the main thread prints the boot banner, evaluates the app's module (its static
 * objects belong to this board), starts the `K_THREAD_DEFINE` threads and calls `main()`.
 */
import { z_run_boot_hooks } from './boot_hooks.ts';
import type { Kernel } from './kernel.ts';
import { k_thread } from './thread.ts';
import { K_NO_WAIT } from './timeout.ts';
import { k_thread_create, z_init_static_threads } from './thread_api.ts';
import { z_reschedule } from './sched.ts';

/** What an app module exports. `main` may be async; its return value is ignored, as in Zephyr. */
export interface AppExports {
  main?: () => unknown;
  [name: string]: unknown;
}

/**
 * A built app. `instantiate` evaluates the app's code afresh for one board, so module-level
 * objects (`K_SEM_DEFINE`, `LOG_MODULE_REGISTER`, plain variables) are per board, like the
 * `.data` of separate devices, while the compiled code is shared.
 */
export interface AppImage {
  instantiate(): AppExports;
}

/** zsim's version, shown in the boot banner. */
export const ZSIM_VERSION = '0.1.0';

/** Starts a board: runs the boot hooks and creates its main thread (which runs on the next dispatch). */
export function z_cstart(k: Kernel, app: AppImage | null): k_thread {
  const main = new k_thread();
  // Zephyr names the main thread only with CONFIG_THREAD_NAME; zsim's reports always know it.
  if (k.enabled('THREAD_NAME')) main.name = 'main';
  main.dbgName = 'main';
  k.isr(() => {
    z_run_boot_hooks(k);
    if (k.legacyBootHooks) for (const hook of k.legacyBootHooks.values()) hook(k);
    k_thread_create(
      main,
      null,
      k.cfgInt('MAIN_STACK_SIZE'),
      () => bg_thread_main(k, app),
      null,
      null,
      null,
      k.cfgInt('MAIN_THREAD_PRIORITY'),
      0,
      K_NO_WAIT,
    );
  });
  return main;
}

async function bg_thread_main(k: Kernel, app: AppImage | null): Promise<void> {
  if (k.enabled('BOOT_BANNER')) k.printk(`*** Booting Zephyr OS build zsim-v${ZSIM_VERSION} ***\n`);
  const exports = app ? app.instantiate() : {};
  z_init_static_threads(k);
  // Static threads of higher priority than main run before main(), as they would preempt it.
  await z_reschedule(0);
  if (typeof exports.main === 'function') {
    const rc = await exports.main();
    if (typeof rc === 'number') k.mainResult = rc;
  }
}
