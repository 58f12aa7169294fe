/**
 * The network a `zsim run` board gets. With no `--broker`: the simulated network in virtual time,
 * the board at `CONFIG_NET_CONFIG_MY_IPV4_ADDR` and the embedded broker (aedes) at
 * `CONFIG_NET_CONFIG_PEER_IPV4_ADDR`, port 1883. With `--broker URL`: the host network in real
 * time, connections to the peer's MQTT port redirected to that broker. `--pcap` captures either.
 */
import type { Kernel, KConfig } from '../kernel/kernel.ts';
import type { Simulation } from '../kernel/sim.ts';
import type { NetInterface, StreamConn } from '../net/conn.ts';
import { HostInterface } from '../net/host/index.ts';
import { tapStream } from '../net/host/synthetic_tcp.ts';
import { net_if_attach } from '../net/net_if.ts';
import { PcapWriter } from '../net/pcap.ts';
import { parseBrokerUrl, RedirectInterface } from '../net/redirect.ts';
import { addBrokerTlsListener, addBrokerWsListener, SimNetwork, startSimBroker, type SimBroker } from '../net/sim/index.ts';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { UsageError } from './errors.ts';
import { openOutput } from './output_file.ts';

/** Addresses Zephyr's samples use when NET_CONFIG_SETTINGS gives none (RFC 5737 TEST-NET-1). */
export const DEFAULT_MY_IPV4 = '192.0.2.1';
export const DEFAULT_PEER_IPV4 = '192.0.2.2';

export interface NetRunOptions {
  broker?: string;
  pcap?: string;
  seed: number;
  /** The app folder: `certs/server.pem` + `certs/server.key` there give the embedded broker TLS on 8883. */
  appDir?: string;
  /** Explicit server certificate/key (and client CA) for the embedded broker's TLS listener. */
  brokerTls?: { cert: string; key: string; ca?: string };
}

export interface NetSetup {
  /** Gives the board its network (before it runs). */
  attach(kernel: Kernel): void;
  /** Releases the broker and the capture file. */
  close(): Promise<void>;
  /** What the run talks to, for the closing line. */
  describe: string;
}

function str(config: KConfig, name: string): string {
  const v = config[name];
  return typeof v === 'string' ? v : '';
}

/** True when the run must follow the wall clock because a board talks to the real network. */
export function needsRealtime(config: KConfig, opts: NetRunOptions): boolean {
  return config.NETWORKING === true && opts.broker !== undefined;
}

/** Builds the network for one board; null when the board has no networking enabled. */
export async function prepareNetwork(sim: Simulation, config: KConfig, opts: NetRunOptions): Promise<NetSetup | null> {
  if (config.NETWORKING !== true) {
    if (opts.broker) throw new UsageError('--broker needs an app with CONFIG_NETWORKING=y');
    if (opts.pcap) throw new UsageError('--pcap needs an app with CONFIG_NETWORKING=y');
    return null;
  }
  const my = str(config, 'NET_CONFIG_MY_IPV4_ADDR') || DEFAULT_MY_IPV4;
  const peer = str(config, 'NET_CONFIG_PEER_IPV4_ADDR') || DEFAULT_PEER_IPV4;
  const pcap = opts.pcap ? openOutput(opts.pcap, (f) => new PcapWriter(f)) : null;

  if (opts.broker) {
    let url;
    try {
      url = parseBrokerUrl(opts.broker);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const host = new HostInterface({ sim });
    const wrap = pcap ? (c: StreamConn): StreamConn => tapStream(c, pcap, 'local', { now: () => sim.clock.now() }) : undefined;
    const to = { family: (url.host.includes(':') ? 6 : 4) as 4 | 6, addr: url.host, port: url.port };
    const iface: NetInterface = new RedirectInterface(
      host,
      [
        { addr: peer, port: url.devicePort, to },
        { addr: peer, port: url.scheme === 'mqtt' ? 1883 : url.scheme === 'mqtts' ? 8883 : url.devicePort, to },
      ],
      wrap,
    );
    return {
      attach: (k) => void net_if_attach(k, iface),
      close: async () => pcap?.close(),
      describe: `broker ${opts.broker}`,
    };
  }

  const net = new SimNetwork(sim, { seed: opts.seed });
  if (pcap) net.setTap(pcap);
  let broker: SimBroker;
  try {
    broker = await startSimBroker(net, { addr: peer, port: 1883 });
  } catch (e) {
    throw new UsageError(`cannot start the embedded broker at ${peer}:1883: ${(e as Error).message}`);
  }
  const tlsFiles = opts.brokerTls ?? appBrokerCerts(opts.appDir);
  const tlsOpts = tlsFiles ? readBrokerTls(tlsFiles) : undefined;
  if (tlsOpts) {
    const l = addBrokerTlsListener(broker, peer, tlsOpts);
    if (typeof l === 'number') throw new UsageError(`cannot start the embedded broker's TLS listener at ${peer}:8883 (${l})`);
  }
  // MQTT over websocket (CONFIG_MQTT_LIB_WEBSOCKET): 9001, over TLS too when the app uses TLS.
  const ws = config.MQTT_LIB_WEBSOCKET === true;
  const wss = ws && config.MQTT_LIB_TLS === true && tlsOpts !== undefined;
  if (ws) {
    const l = addBrokerWsListener(broker, peer, { tls: wss ? tlsOpts : undefined });
    if (typeof l === 'number') throw new UsageError(`cannot start the embedded broker's websocket listener at ${peer}:9001 (${l})`);
  }
  const addrs = [my];
  const my6 = str(config, 'NET_CONFIG_MY_IPV6_ADDR');
  if (config.NET_IPV6 === true && my6) addrs.push(my6);
  const node = net.addNode({ name: 'board', addrs });
  return {
    attach: (k) => void net_if_attach(k, node),
    close: async () => {
      await broker.close();
      pcap?.close();
    },
    describe: `embedded broker ${peer}:1883${tlsFiles ? ' and :8883 (TLS)' : ''}${ws ? ` and :9001 (${wss ? 'wss' : 'ws'})` : ''}`,
  };
}

/** Reads the embedded broker's TLS files; a UsageError names one that cannot be read. */
export function readBrokerTls(files: { cert: string; key: string; ca?: string }): { cert: Buffer; key: Buffer; ca?: Buffer } {
  const read = (f: string): Buffer => {
    try {
      return readFileSync(f);
    } catch {
      throw new UsageError(`${f}: cannot read the embedded broker's TLS file`);
    }
  };
  return { cert: read(files.cert), key: read(files.key), ca: files.ca ? read(files.ca) : undefined };
}

/** `APP/certs/server.pem` and `server.key` (and `client_ca.pem` for client certificates), when present. */
export function appBrokerCerts(appDir: string | undefined): { cert: string; key: string; ca?: string } | null {
  if (!appDir) return null;
  const cert = path.join(appDir, 'certs', 'server.pem');
  const key = path.join(appDir, 'certs', 'server.key');
  if (!existsSync(cert) || !existsSync(key)) return null;
  const ca = path.join(appDir, 'certs', 'client_ca.pem');
  return { cert, key, ca: existsSync(ca) ? ca : undefined };
}
