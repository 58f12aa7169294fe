/**
 * The zsim modules an app may import, with the Kconfig symbols each needs (an app importing a
 * disabled subsystem fails to build and is told which symbol to enable).
 */

export interface ZsimModule {
  /** Loads the module's namespace (the same instance for every board of the process). */
  load(): Promise<object>;
  /** Bool symbols that must be `y` for the module to be available. */
  requires: readonly string[];
  /** Header this mirrors, for messages. */
  header: string;
}

export const ZSIM_MODULES: Readonly<Record<string, ZsimModule>> = {
  'zsim/kernel': { load: () => import('../kernel/index.ts'), requires: [], header: '<zephyr/kernel.h>' },
  'zsim/sys/printk': { load: () => import('../kernel/printk.ts'), requires: [], header: '<zephyr/sys/printk.h>' },
  'zsim/logging/log': { load: () => import('../logging/log.ts'), requires: [], header: '<zephyr/logging/log.h>' },
  'zsim/errno': { load: () => import('../libc/errno.ts'), requires: [], header: '<errno.h>' },
  'zsim/net/tls_credentials': { load: () => import('../net/tls_credentials.ts'), requires: ['TLS_CREDENTIALS'], header: '<zephyr/net/tls_credentials.h>' },
  'zsim/net/mqtt': { load: () => import('../net/mqtt/mqtt.ts'), requires: ['NETWORKING', 'NET_SOCKETS', 'MQTT_LIB'], header: '<zephyr/net/mqtt.h>' },
  'zsim/net/socket': { load: () => import('../net/socket.ts'), requires: ['NETWORKING', 'NET_SOCKETS'], header: '<zephyr/net/socket.h>' },
  'zsim/lwip/mqtt': { load: () => import('../lwip/mqtt.ts'), requires: ['LWIP_MQTT'], header: 'lwip/apps/mqtt.h' },
  'zsim/fleet': { load: () => import('../fleet/api.ts'), requires: [], header: '<zsim/fleet.h>' },
  'zsim/coremqtt': { load: () => import('../coremqtt/index.ts'), requires: ['COREMQTT'], header: 'core_mqtt.h' },
  'zsim/shell/shell': { load: () => import('../shell/shell.ts'), requires: ['SHELL'], header: '<zephyr/shell/shell.h>' },
  'zsim/ztest': { load: () => import('../ztest/ztest.ts'), requires: ['ZTEST'], header: '<zephyr/ztest.h>' },
};
