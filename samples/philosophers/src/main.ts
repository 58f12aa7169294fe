/*
 * Port of Zephyr's samples/philosophers: the dining philosophers with mutexes as forks, two
 * cooperative and four preemptible threads, Dijkstra's lowest-fork-first rule. The display uses
 * VT100 cursor positioning, one line per philosopher. Runs forever; use --time.
 */
import {
  K_FOREVER, K_THREAD_STACK_DEFINE, K_USER, k_current_get, k_msleep, k_mutex, k_mutex_init, k_mutex_lock,
  k_mutex_unlock, k_object_access_grant, k_thread, k_thread_create, k_thread_priority_get, k_thread_start,
  k_uptime_get_32, printk,
} from 'zsim/kernel';

const NUM_PHIL = 6;
const STACK_SIZE = 768;
const fork_type_str = 'mutexes';
const obj_init_type = 'dynamic';

const forks: k_mutex[] = Array.from({ length: NUM_PHIL }, () => new k_mutex());
const threads: k_thread[] = Array.from({ length: NUM_PHIL }, () => new k_thread());
const stacks = Array.from({ length: NUM_PHIL }, (_, i) => K_THREAD_STACK_DEFINE(`stacks_${i}`, STACK_SIZE));

const fork = (x: number): k_mutex => forks[x]!;
const take = (f: k_mutex): Promise<number> => k_mutex_lock(f, K_FOREVER);
const drop = (f: k_mutex): number => k_mutex_unlock(f);

function set_phil_state_pos(id: number): void {
  printk('\x1b[%d;%dH', id + 1, 1);
}

function print_phil_state(id: number, fmt: string, delay: number): void {
  const prio = k_thread_priority_get(k_current_get());

  set_phil_state_pos(id);

  printk('Philosopher %d [%s:%s%d] ', id, prio < 0 ? 'C' : 'P', prio < 0 ? '' : ' ', prio);

  if (delay) {
    printk(fmt, delay < 1000 ? ' ' : '', delay);
  } else {
    printk(fmt, '');
  }

  printk('\n');
}

function get_random_delay(id: number, period_in_ms: number): number {
  /*
   * The random delay is unit-less, and is based on the philosopher's ID
   * and the current uptime to create some pseudo-randomness. It produces
   * a value between 0 and 31.
   */
  const delay = ((Math.floor(k_uptime_get_32() / 100) * (id + 1)) >>> 0) & 0x1f;

  /* add 1 to not generate a delay of 0 */
  return (delay + 1) * period_in_ms;
}

function is_last_philosopher(id: number): boolean {
  return id === NUM_PHIL - 1;
}

async function philosopher(id: unknown): Promise<void> {
  const my_id = id as number;
  let fork1: k_mutex;
  let fork2: k_mutex;

  /* Dijkstra's solution: always pick up the lowest numbered fork first */
  if (is_last_philosopher(my_id)) {
    fork1 = fork(0);
    fork2 = fork(my_id);
  } else {
    fork1 = fork(my_id);
    fork2 = fork(my_id + 1);
  }

  for (;;) {
    let delay: number;

    print_phil_state(my_id, '       STARVING       ', 0);
    await take(fork1);
    print_phil_state(my_id, '   HOLDING ONE FORK   ', 0);
    await take(fork2);

    delay = get_random_delay(my_id, 25);
    print_phil_state(my_id, '  EATING  [ %s%d ms ] ', delay);
    await k_msleep(delay);

    drop(fork2);
    print_phil_state(my_id, '   DROPPED ONE FORK   ', 0);
    drop(fork1);

    delay = get_random_delay(my_id, 25);
    print_phil_state(my_id, ' THINKING [ %s%d ms ] ', delay);
    await k_msleep(delay);
  }
}

function new_prio(phil: number): number {
  return -(phil - Math.floor(NUM_PHIL / 2));
}

function init_objects(): void {
  for (let i = 0; i < NUM_PHIL; i++) {
    k_mutex_init(fork(i));
  }
}

function start_threads(): void {
  /*
   * create two coop. threads (prios -2/-1) and four preemptive threads
   * : (prios 0-3)
   */
  for (let i = 0; i < NUM_PHIL; i++) {
    const prio = new_prio(i);

    k_thread_create(threads[i]!, stacks[i]!, STACK_SIZE, philosopher, i, null, null, prio, K_USER, K_FOREVER);

    k_object_access_grant(fork(i), threads[i]!);
    k_object_access_grant(fork((i + 1) % NUM_PHIL), threads[i]!);

    k_thread_start(threads[i]!);
  }
}

function display_demo_description(): void {
  printk(
    '\x1b[2J\x1b[15;1H' +
      'Demo Description\n' +
      '----------------\n' +
      'An implementation of a solution to the Dining Philosophers\n' +
      'problem (a classic multi-thread synchronization problem).\n' +
      'This particular implementation demonstrates the usage of multiple\n' +
      'preemptible and cooperative threads of differing priorities, as\n' +
      'well as %s %s and thread sleeping.\n',
    obj_init_type,
    fork_type_str,
  );
}

export function main(): void {
  display_demo_description();

  init_objects();
  start_threads();
}
