/**
 * Address text helpers: one canonical spelling per address, so `2001:0db8::1` and `2001:db8:0::1`
 * name the same node, and the family of an address derived from its text.
 */
import { isIPv4, isIPv6 } from 'node:net';
import type { Endpoint } from '../conn.ts';

/** The canonical text of an IPv4 or IPv6 address, or null when `addr` is neither. */
export function canonicalAddr(addr: string): string | null {
  if (isIPv4(addr)) return addr;
  if (!isIPv6(addr)) return null;
  // The WHATWG URL parser prints IPv6 hosts in RFC 5952 form (lower case, longest zero run as ::).
  const host = new URL(`http://[${addr}]/`).hostname;
  return host.slice(1, -1);
}

/** 4 or 6 for a valid address, 0 otherwise. */
export function familyOf(addr: string): 0 | 4 | 6 {
  return isIPv4(addr) ? 4 : isIPv6(addr) ? 6 : 0;
}

/** True for the unspecified address of either family (bind to any local address). */
export function isWildcard(addr: string): boolean {
  return addr === '0.0.0.0' || addr === '::';
}

/** A fresh endpoint object (endpoints are handed out, so never share one). */
export function endpoint(addr: string, port: number): Endpoint {
  return { family: isIPv4(addr) ? 4 : 6, addr, port };
}

/** Bytes of IP + transport headers a segment carries on the wire (no link-layer framing). */
export function headerBytes(family: 4 | 6, proto: 'tcp' | 'udp'): number {
  return (family === 4 ? 20 : 40) + (proto === 'tcp' ? 20 : 8);
}

/** Text of an endpoint for messages: `192.0.2.1:80`, `[2001:db8::1]:80`. */
export function formatEndpoint(ep: Endpoint): string {
  return ep.family === 6 ? `[${ep.addr}]:${ep.port}` : `${ep.addr}:${ep.port}`;
}
