/**
 * The host network backend: boards on the real network through Node's sockets.
 */
export { HostInterface, HostListener, hostAddresses, type HostInterfaceOptions, type HostSim } from './interface.ts';
export { DuplexStream, streamFromDuplex, DEFAULT_SEND_BUFFER, type DuplexStreamOptions } from './stream.ts';
export { HostDatagram, captureSource, type HostDatagramContext } from './udp.ts';
export { SyntheticTcp, tapStream, type SyntheticTcpOptions, type TcpSide } from './synthetic_tcp.ts';
export { zephyrErrno, zephyrDnsErrno } from './errno_map.ts';
