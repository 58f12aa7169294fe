/**
 * How apps read their board's Kconfig: `CONFIG.MQTT_KEEPALIVE` (symbol name without the
 * `CONFIG_` prefix; disabled bools are `false`, unknown symbols `undefined`) and `IS_ENABLED('CONFIG_LOG')`.
 */
import { cpu } from './cpu.ts';
import type { ConfigValue, KConfig } from './kernel.ts';

function current(): KConfig {
  const k = cpu.kernel;
  if (!k) throw new Error('CONFIG read outside a zsim board');
  return k.config;
}

function strip(name: string): string {
  return name.startsWith('CONFIG_') ? name.slice(7) : name;
}

/** The running board's configuration, read-only. */
export const CONFIG: KConfig = new Proxy({} as Record<string, ConfigValue>, {
  get: (_t, name) => (typeof name === 'string' ? current()[strip(name)] : undefined),
  has: (_t, name) => typeof name === 'string' && strip(name) in current(),
  ownKeys: () => Reflect.ownKeys(current()),
  getOwnPropertyDescriptor: (_t, name) =>
    typeof name === 'string' && strip(name) in current()
      ? { enumerable: true, configurable: true, value: current()[strip(name)] }
      : undefined,
  set: () => false,
});

/** `IS_ENABLED(CONFIG_X)`: true when the bool symbol is `y` (the `CONFIG_` prefix is optional). */
export function IS_ENABLED(name: string): boolean {
  const v = current()[strip(name)];
  return v !== undefined && v !== false && v !== 0 && v !== '';
}
