/*
 * Port of Zephyr's samples/hello_world.
 */
import { printk, CONFIG } from 'zsim/kernel';

export function main(): number {
  printk('Hello World! %s\n', CONFIG.BOARD_TARGET);
  return 0;
}
