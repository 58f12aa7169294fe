/*
 * Port of Zephyr's samples/synchronization: two threads take turns printing, handing a
 * semaphore back and forth. thread_a is created by main, thread_b is static.
 */
import {
  CONFIG, K_FOREVER, K_SEM_DEFINE, K_THREAD_DEFINE, K_THREAD_STACK_DEFINE, K_THREAD_STACK_SIZEOF, k_busy_wait,
  k_current_get, k_msleep, k_sem, k_sem_give, k_sem_take, k_thread, k_thread_create, k_thread_name_get,
  k_thread_name_set, k_thread_start, printk,
} from 'zsim/kernel';

/* size of stack area used by each thread */
const STACKSIZE = 1024;
/* scheduling priority used by each thread */
const PRIORITY = 7;
/* delay between greetings (in ms) */
const SLEEPTIME = 500;

async function helloLoop(my_name: string, my_sem: k_sem, other_sem: k_sem): Promise<void> {
  for (;;) {
    /* take my semaphore */
    await k_sem_take(my_sem, K_FOREVER);

    const tname = k_thread_name_get(k_current_get());
    const cpu = 0;
    /* say "hello" */
    printk('%s: Hello World from cpu %d on %s!\n', tname || my_name, cpu, CONFIG.BOARD);

    /* wait a while, then let other thread have a turn */
    await k_busy_wait(100000);
    await k_msleep(SLEEPTIME);
    k_sem_give(other_sem);
  }
}

/* define semaphores */
const thread_a_sem = K_SEM_DEFINE('thread_a_sem', 1, 1); /* starts off "available" */
const thread_b_sem = K_SEM_DEFINE('thread_b_sem', 0, 1); /* starts off "not available" */

/* thread_a is a dynamic thread that is spawned in main */
function thread_a_entry_point(): Promise<void> {
  /* invoke routine to ping-pong hello messages with thread_b */
  return helloLoop('thread_a_entry_point', thread_a_sem, thread_b_sem);
}
const thread_a_stack_area = K_THREAD_STACK_DEFINE('thread_a_stack_area', STACKSIZE);
const thread_a_data = new k_thread();

/* thread_b is a static thread spawned immediately */
function thread_b_entry_point(): Promise<void> {
  return helloLoop('thread_b_entry_point', thread_b_sem, thread_a_sem);
}
K_THREAD_DEFINE('thread_b', STACKSIZE, thread_b_entry_point, null, null, null, PRIORITY, 0, 0);

export function main(): number {
  k_thread_create(thread_a_data, thread_a_stack_area, K_THREAD_STACK_SIZEOF(thread_a_stack_area),
    thread_a_entry_point, null, null, null, PRIORITY, 0, K_FOREVER);
  k_thread_name_set(thread_a_data, 'thread_a');

  k_thread_start(thread_a_data);
  return 0;
}
