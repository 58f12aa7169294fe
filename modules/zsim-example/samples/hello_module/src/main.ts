/*
 * The zsim-example module's sample: reports whether the module's Kconfig feature is on.
 */
import { printk, CONFIG } from 'zsim/kernel';

export function main(): number {
  const on = CONFIG.ZSIM_EXAMPLE_FEATURE === true;
  printk('zsim-example feature %s on %s\n', on ? 'enabled' : 'disabled', CONFIG.BOARD);
  return 0;
}
