/**
 * The simulated network: nodes, links, partitions, TCP-like streams, UDP, names, a Duplex adapter
 * for host-side Node code, and an embedded aedes broker. See `network.ts` for the model.
 */
export { SimNetwork, type SimNetworkOptions, type SimNodeOptions, type NetTraceEvent, type NetStats } from './network.ts';
export { SimNode } from './node.ts';
export { DEFAULT_LINK, type LinkParams } from './link.ts';
export { ZEPHYR_TCP, HOST_TCP, type TcpParams } from './tcp_params.ts';
export { SimTcpConn, type TcpState } from './tcp.ts';
export { TcpSender } from './tcp_sender.ts';
export { SimListener } from './listener.ts';
export { SimUdpConn } from './udp.ts';
export { HostGate, type HostGateStats } from './host_gate.ts';
export { SimDuplex, toDuplex, connectDuplex, connError, type DuplexOptions } from './duplex.ts';
export { startSimBroker, type SimBroker, type SimBrokerOptions } from './broker.ts';
export { TCP_ACK, TCP_FIN, TCP_PSH, TCP_RST, TCP_SYN, flagText } from './packet.ts';
export type { NetSimHost } from './timer.ts';
export { registerSimTlsAdapter } from './tls_adapter.ts';
export { addBrokerTlsListener, addBrokerWsListener, type BrokerTlsOptions } from './broker_tls.ts';
