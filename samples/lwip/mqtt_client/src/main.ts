/*
 * lwIP MQTT client, after the NanoMQ team's "MQTT over lwIP" tutorial (mqtt_client.c on
 * RT-Thread with lwIP 2.1.2): `mqttClient sub` subscribes to lwip/sub at QoS 1 and prints what
 * arrives, `mqttClient pub` publishes "hello this is lwIP" at QoS 2 on lwip/pub. The broker is
 * the board's configured peer (CONFIG_NET_CONFIG_PEER_IPV4_ADDR), port 1883.
 *
 * The tutorial registers mqttClient as a shell command (MSH_CMD_EXPORT). Without a shell, main()
 * runs `mqttClient sub`, then `mqttClient pub`, then disconnects both clients and returns 0.
 * The lwIP callbacks run in the board's tcpip thread.
 */
import { CONFIG, IS_ENABLED, K_SECONDS, k_sem, k_sem_give, k_sem_init, k_sem_take, printk } from 'zsim/kernel';
import {
  ERR_OK, IP4_ADDR, MQTT_CONNECT_ACCEPTED, MQTT_DATA_FLAG_LAST, ip4_addr1, ip4_addr2, ip4_addr3, ip4_addr4, ip_addr_t,
  ipaddr_aton, mqtt_client_connect, mqtt_client_free, mqtt_client_new, mqtt_disconnect, mqtt_publish,
  mqtt_set_inpub_callback, mqtt_subscribe, type err_t, type mqtt_client_t, type mqtt_connect_client_info_t,
  type mqtt_connection_status_t,
} from 'zsim/lwip/mqtt';

const SUB_TOPIC = 'lwip/sub';
const PUB_TOPIC = 'lwip/pub';
const FLAG_SUB = 0;
const FLAG_PUB = 1;
/* The tutorial reconnects at once, forever; a sample that must end gives up after a while. */
const MAX_RECONNECTS = 10;

/* Given by the request callbacks, for main() to know when to go on. */
const subscribed = new k_sem();
const published = new k_sem();
/* The clients the command started, so that `mqttClient stop` and main() can disconnect them. */
const clients: mqtt_client_t[] = [];
let reconnects = 0;
let inpub_id = 0;

/* IP_ADDR0..IP_ADDR3 of the tutorial: the board's configured peer. */
function broker_address(): ip_addr_t {
  const peer = new ip_addr_t();
  ipaddr_aton(String(CONFIG.NET_CONFIG_PEER_IPV4_ADDR ?? '192.0.2.2'), peer);
  const ip_addr = new ip_addr_t();
  IP4_ADDR(ip_addr, ip4_addr1(peer), ip4_addr2(peer), ip4_addr3(peer), ip4_addr4(peer));
  return ip_addr;
}

function mqtt_sub_request_cb(arg: unknown, result: err_t): void {
  printk('Subscribe result: %d\n', result);
  if (result === ERR_OK) k_sem_give(subscribed);
}

function mqtt_pub_request_cb(arg: unknown, result: err_t): void {
  printk('Publish result: %d\n', result);
  if (result === ERR_OK) k_sem_give(published);
}

function mqtt_incoming_publish_cb(arg: unknown, topic: string, tot_len: number): void {
  printk('Incoming publish at topic %s with total length %u\n', topic, tot_len);
  if (topic[0] === 'A') {
    /* Handle all topics starting with 'A' in the same way */
    inpub_id = 1;
  } else {
    /* Handle all other topics differently */
    inpub_id = 2;
  }
  /* Handle in this demo */
  inpub_id = -1;
}

function mqtt_incoming_data_cb(arg: unknown, data: Uint8Array, len: number, flags: number): void {
  printk('Incoming publish payload with length %d, flags %u\n', len, flags);
  printk('mqtt payload: %s\n', new TextDecoder().decode(data.subarray(0, len)));
  if (flags & MQTT_DATA_FLAG_LAST) {
    /* Handle data based on the reference */
    if (inpub_id === -1) {
      /* No handling in this demo */
    } else if (inpub_id === 1) {
      /* Handling data with topics starting with 'A' */
    } else {
      printk('mqtt_incoming_data_cb: Ignoring payload...\n');
    }
  } else {
    /* To handle payloads that are too long, save them in a buffer or a file. */
  }
}

function mqtt_connection_cb(client: mqtt_client_t, arg: unknown, status: mqtt_connection_status_t): void {
  if (status === MQTT_CONNECT_ACCEPTED) {
    printk('mqtt_connection_cb: Successfully connected\n');
    /* Register the callback function for PUB messages */
    mqtt_set_inpub_callback(client, mqtt_incoming_publish_cb, mqtt_incoming_data_cb, arg);
    /* SUB */
    const err = mqtt_subscribe(client, SUB_TOPIC, 1, mqtt_sub_request_cb, arg);
    if (err !== ERR_OK) printk('mqtt_subscribe return: %d\n', err);
  } else {
    printk('mqtt_connection_cb: Disconnected, reason: %d\n', status);
    /* Reconnect in case of connection failure */
    if (reconnects++ < MAX_RECONNECTS) mqtt_client_do_connect(client, FLAG_SUB);
    else printk('mqtt_connection_cb: giving up after %d reconnects\n', MAX_RECONNECTS);
  }
}

function mqtt_pub_connection_cb(client: mqtt_client_t, arg: unknown, status: mqtt_connection_status_t): void {
  if (status === MQTT_CONNECT_ACCEPTED) {
    printk('mqtt_connection_cb: Successfully connected\n');
    const pub_payload = 'hello this is lwIP';
    const qos = 2;
    const retain = 0;
    const err = mqtt_publish(client, PUB_TOPIC, pub_payload, pub_payload.length, qos, retain, mqtt_pub_request_cb, arg);
    if (err !== ERR_OK) printk('Publish err: %d\n', err);
  } else {
    printk('mqtt_connection_cb: Disconnected, reason: %d\n', status);
  }
}

function mqtt_client_do_connect(client: mqtt_client_t, flag: number): void {
  /* Client information: the client id is required. The tutorial gives both clients "lwip_test";
     a broker lets only one client have an id, so each role gets its own. */
  const ci: mqtt_connect_client_info_t = { client_id: flag === FLAG_SUB ? 'lwip_test_sub' : 'lwip_test_pub' };
  const ip_addr = broker_address();
  let err: err_t = ERR_OK;
  if (flag === FLAG_SUB) {
    err = mqtt_client_connect(client, ip_addr, 1883, mqtt_connection_cb, null, ci);
  } else if (flag === FLAG_PUB) {
    err = mqtt_client_connect(client, ip_addr, 1883, mqtt_pub_connection_cb, null, ci);
  }
  if (err !== ERR_OK) printk('mqtt_connect return %d\n', err);
}

/**
 * The tutorial's shell command: `mqttClient sub`, `mqttClient pub`, and (zsim) `mqttClient stop`
 * to disconnect the clients it started. A shell registers it with its (argc, argv) signature.
 */
export function mqttClient(argc: number, argv: string[]): number {
  if (argc < 2) {
    return 0;
  }
  if (argv[1] === 'sub') {
    // do sub
    const client = mqtt_client_new();
    if (client !== null) {
      clients.push(client);
      mqtt_client_do_connect(client, FLAG_SUB);
    }
  } else if (argv[1] === 'pub') {
    // do pub
    const clientpub = mqtt_client_new();
    if (clientpub !== null) {
      clients.push(clientpub);
      mqtt_client_do_connect(clientpub, FLAG_PUB);
    }
  } else if (argv[1] === 'stop') {
    for (const c of clients.splice(0)) {
      mqtt_disconnect(c);
      mqtt_client_free(c);
    }
  } else {
    printk('usage: mqttClient sub|pub|stop\n');
  }
  return 0;
}

/**
 * With a shell (CONFIG_SHELL=y and mqttClient registered, see README.md) the user types the
 * commands. Without one: `mqttClient sub`, then `mqttClient pub`, then disconnect.
 */
export async function main(): Promise<number> {
  k_sem_init(subscribed, 0, 1);
  k_sem_init(published, 0, 1);
  reconnects = 0;
  printk('lwIP MQTT client: broker %s:1883\n', String(CONFIG.NET_CONFIG_PEER_IPV4_ADDR ?? '192.0.2.2'));
  if (IS_ENABLED('CONFIG_SHELL')) {
    printk('lwIP MQTT client: type mqttClient sub, mqttClient pub, mqttClient stop\n');
    return 0;
  }
  mqttClient(2, ['mqttClient', 'sub']);
  let ok = (await k_sem_take(subscribed, K_SECONDS(30))) === 0;
  if (ok) {
    mqttClient(2, ['mqttClient', 'pub']);
    ok = (await k_sem_take(published, K_SECONDS(30))) === 0;
  }
  mqttClient(2, ['mqttClient', 'stop']);
  printk(ok ? 'lwIP MQTT client: done\n' : 'lwIP MQTT client: failed\n');
  return ok ? 0 : 1;
}
