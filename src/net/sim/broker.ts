/**
 * An embedded MQTT broker on the simulated network: an aedes instance whose connections are
 * simulated TCP connections accepted on a node, each handed to `aedes.handle` as a Duplex. The
 * node gets a host-like TCP stack (`HOST_TCP`: 64 KiB buffers) unless told otherwise.
 */
import { Aedes, type AedesOptions } from 'aedes';
import type { Listener } from '../conn.ts';
import { canonicalAddr, endpoint } from './addr.ts';
import { toDuplex } from './duplex.ts';
import type { LinkParams } from './link.ts';
import type { SimNetwork } from './network.ts';
import type { SimNode } from './node.ts';
import { HOST_TCP, type TcpParams } from './tcp_params.ts';

export interface SimBrokerOptions {
  /** The broker's address; the node that has it is used, or a node is added with it. */
  addr: string;
  /** MQTT port (default 1883). */
  port?: number;
  /** Name of the node added for the broker (default `broker`). */
  name?: string;
  /** Link of the added node. */
  link?: Partial<LinkParams>;
  /** TCP parameters of the added node (default `HOST_TCP` over Zephyr's). */
  tcp?: Partial<TcpParams>;
  /** Listen backlog (default 128). */
  backlog?: number;
  aedesOptions?: AedesOptions;
}

export interface SimBroker {
  aedes: Aedes;
  node: SimNode;
  listener: Listener;
  /** Stops listening and closes aedes (its clients' connections close gracefully). */
  close(): Promise<void>;
}

export async function startSimBroker(net: SimNetwork, opts: SimBrokerOptions): Promise<SimBroker> {
  const addr = canonicalAddr(opts.addr);
  if (!addr) throw new Error(`startSimBroker: ${opts.addr} is not an IP address`);
  const node =
    net.lookup(addr) ??
    net.addNode({ name: opts.name ?? 'broker', addrs: [addr], link: opts.link, tcp: { ...HOST_TCP, ...opts.tcp } });
  const aedes = await Aedes.createBroker(opts.aedesOptions);
  const listener = node.listen(endpoint(addr, opts.port ?? 1883), opts.backlog ?? 128, (conn) => {
    aedes.handle(toDuplex(conn));
  });
  if (typeof listener === 'number') {
    await new Promise<void>((r) => aedes.close(() => r()));
    throw new Error(`startSimBroker: listen on ${addr}:${opts.port ?? 1883} failed (${listener})`);
  }
  return {
    aedes,
    node,
    listener,
    close: async () => {
      listener.close();
      await new Promise<void>((r) => aedes.close(() => r()));
    },
  };
}
