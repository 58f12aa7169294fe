/** `printk` and `snprintk` (Zephyr's `<zephyr/sys/printk.h>`). */
import { cprintf } from '../libc/printf.ts';
import { currentKernel } from './sched.ts';

/** `printk(fmt, ...)`: formatted text straight to the board's console, no timestamp. */
export function printk(fmt: string, ...args: unknown[]): void {
  const k = currentKernel('printk');
  k.printk(args.length === 0 && !fmt.includes('%') ? fmt : cprintf(fmt, args));
}

/** `snprintk(str, size, fmt, ...)` returns the formatted string, truncated to `size - 1` characters. */
export function snprintk(size: number, fmt: string, ...args: unknown[]): string {
  const s = cprintf(fmt, args);
  return size > 0 ? s.slice(0, size - 1) : '';
}
