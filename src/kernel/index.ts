/**
 * `zsim/kernel`: the kernel API of Zephyr's `<zephyr/kernel.h>`, for apps.
 *
 * Every call that can block, sleep or switch threads returns a promise and must be awaited
 * (`await k_sem_take(&sem, K_FOREVER)` becomes `await k_sem_take(sem, K_FOREVER)`); every other
 * call is synchronous, as in C. See docs/architecture.md, "Why some calls are async".
 */
export * from './timeout.ts';
export * from './thread_api.ts';
export * from './time_api.ts';
export { k_thread, k_thread_stack_t, type k_tid_t, type k_thread_entry_t } from './thread.ts';
export * from './sem.ts';
export * from './mutex.ts';
export * from './fatal.ts';
export {
  K_ERR_CPU_EXCEPTION, K_ERR_SPURIOUS_IRQ, K_ERR_STACK_CHK_FAIL, K_ERR_KERNEL_OOPS, K_ERR_KERNEL_PANIC,
} from './fatal_report.ts';
export type { ConfigValue, KConfig } from './kernel.ts';
export * from './config.ts';
export * from '../libc/errno.ts';
export * from './printk.ts';
export * from './msgq.ts';
export * from './queue.ts';
export * from './event.ts';
export * from './condvar.ts';
export * from './poll.ts';
export * from './work.ts';
export * from './work_delayable.ts';
export * from './timer.ts';
export * from './kheap.ts';
