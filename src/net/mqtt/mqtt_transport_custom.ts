/**
 * The custom transport (`MQTT_TRANSPORT_CUSTOM`, `CONFIG_MQTT_LIB_CUSTOM_TRANSPORT`): Zephyr links
 * the application's `mqtt_client_custom_transport_*` functions; here the application puts them
 * in `client.transport.custom_transport` (its data goes in `custom_transport_data`).
 */
import { EINVAL } from '../../libc/errno.ts';
import type { msghdr } from '../socket.ts';
import type { mqtt_client, mqtt_custom_transport } from './mqtt_client.ts';
import { NET_LOG_REGISTER } from './mqtt_os.ts';

const { NET_ERR } = NET_LOG_REGISTER('net_mqtt');

function ops(client: mqtt_client): mqtt_custom_transport | null {
  const t = client.transport.custom_transport;
  if (t === null) NET_ERR('MQTT_TRANSPORT_CUSTOM without transport.custom_transport');
  return t;
}

/** `mqtt_client_custom_transport_connect`. */
export async function mqtt_client_custom_transport_connect(client: mqtt_client): Promise<number> {
  const t = ops(client);
  return t === null ? -EINVAL : t.connect(client);
}

/** `mqtt_client_custom_transport_write`. */
export async function mqtt_client_custom_transport_write(client: mqtt_client, data: Uint8Array, datalen: number): Promise<number> {
  const t = ops(client);
  return t === null ? -EINVAL : t.write(client, data, datalen);
}

/** `mqtt_client_custom_transport_write_msg`. */
export async function mqtt_client_custom_transport_write_msg(client: mqtt_client, message: msghdr): Promise<number> {
  const t = ops(client);
  return t === null ? -EINVAL : t.write_msg(client, message);
}

/** `mqtt_client_custom_transport_read`. */
export async function mqtt_client_custom_transport_read(
  client: mqtt_client,
  data: Uint8Array,
  buflen: number,
  shall_block: boolean,
): Promise<number> {
  const t = ops(client);
  return t === null ? -EINVAL : t.read(client, data, buflen, shall_block);
}

/** `mqtt_client_custom_transport_disconnect`. */
export async function mqtt_client_custom_transport_disconnect(client: mqtt_client): Promise<number> {
  const t = ops(client);
  return t === null ? -EINVAL : t.disconnect(client);
}
