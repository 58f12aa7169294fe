/**
 * `<zephyr/net/net_ip.h>`: address families, socket types, protocols, address structures and
 * byte-order helpers, with Zephyr's values.
 */
import type { Endpoint } from './conn.ts';

export const AF_UNSPEC = 0;
export const AF_INET = 1;
export const AF_INET6 = 2;
export const AF_PACKET = 3;
export const AF_CAN = 4;
export const AF_NET_MGMT = 5;
export const AF_LOCAL = 6;
export const AF_UNIX = AF_LOCAL;
export const PF_UNSPEC = AF_UNSPEC;
export const PF_INET = AF_INET;
export const PF_INET6 = AF_INET6;

export const SOCK_STREAM = 1;
export const SOCK_DGRAM = 2;
export const SOCK_RAW = 3;

export const IPPROTO_IP = 0;
export const IPPROTO_ICMP = 1;
export const IPPROTO_TCP = 6;
export const IPPROTO_UDP = 17;
export const IPPROTO_IPV6 = 41;
export const IPPROTO_ICMPV6 = 58;
export const IPPROTO_RAW = 255;
/** Secure protocols (`NET_SOCKETS_SOCKOPT_TLS`). */
export const IPPROTO_TLS_1_0 = 256;
export const IPPROTO_TLS_1_1 = 257;
export const IPPROTO_TLS_1_2 = 258;
export const IPPROTO_TLS_1_3 = 259;
export const IPPROTO_DTLS_1_0 = 272;
export const IPPROTO_DTLS_1_2 = 273;

export const INADDR_ANY = 0;
export const NET_IPV4_ADDR_LEN = 16;
export const NET_IPV6_ADDR_LEN = 46;
export const INET_ADDRSTRLEN = 16;
export const INET6_ADDRSTRLEN = 46;

/** `struct in_addr`: an IPv4 address in network order. */
export class in_addr {
  readonly s4_addr = new Uint8Array(4);
  /** `s_addr` as a 32-bit number in network byte order read big-endian (so 127.0.0.1 is 0x7f000001). */
  get s_addr(): number {
    const b = this.s4_addr;
    return ((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0;
  }
  set s_addr(v: number) {
    const b = this.s4_addr;
    b[0] = v >>> 24;
    b[1] = (v >>> 16) & 0xff;
    b[2] = (v >>> 8) & 0xff;
    b[3] = v & 0xff;
  }
}

/** `struct in6_addr`. */
export class in6_addr {
  readonly s6_addr = new Uint8Array(16);
}

/** `struct sockaddr_in`. `sin_port` is in network byte order, as in C (use `htons`). */
export interface sockaddr_in {
  sin_family: number;
  sin_port: number;
  sin_addr: in_addr;
}

/** `struct sockaddr_in6`. */
export interface sockaddr_in6 {
  sin6_family: number;
  sin6_port: number;
  sin6_addr: in6_addr;
  sin6_scope_id?: number;
}

/** `struct sockaddr`: either family. */
export type sockaddr = sockaddr_in | sockaddr_in6 | { sa_family: number };
/** `struct sockaddr_storage`. */
export type sockaddr_storage = sockaddr;
export type socklen_t = number;

/** A `sockaddr_in` with every field zero, to fill in. */
export function sockaddr_in_new(): sockaddr_in {
  return { sin_family: AF_UNSPEC, sin_port: 0, sin_addr: new in_addr() };
}

/** A `sockaddr_in6` with every field zero. */
export function sockaddr_in6_new(): sockaddr_in6 {
  return { sin6_family: AF_UNSPEC, sin6_port: 0, sin6_addr: new in6_addr(), sin6_scope_id: 0 };
}

/** `htons`: host to network order of a 16-bit value (targets are little-endian). */
export function htons(x: number): number {
  return ((x & 0xff) << 8) | ((x >>> 8) & 0xff);
}
export const ntohs = htons;
/** `htonl`. */
export function htonl(x: number): number {
  return (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | ((x >>> 24) & 0xff)) >>> 0;
}
export const ntohl = htonl;

/** The family of a sockaddr-like object, or AF_UNSPEC. */
export function sa_family(addr: sockaddr | null | undefined): number {
  if (!addr) return AF_UNSPEC;
  if ('sin_family' in addr) return addr.sin_family;
  if ('sin6_family' in addr) return addr.sin6_family;
  return addr.sa_family;
}

/** Parses dotted-quad IPv4 text into 4 bytes, or null. */
export function parseIpv4(s: string): Uint8Array | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (!m) return null;
  const b = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const v = Number(m[i + 1]);
    if (v > 255) return null;
    b[i] = v;
  }
  return b;
}

/** Parses IPv6 text (with `::` and an optional embedded IPv4 tail) into 16 bytes, or null. */
export function parseIpv6(s: string): Uint8Array | null {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || s.length < 2) return null;
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (part: string): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const items = part.split(':');
    for (let i = 0; i < items.length; i++) {
      const it = items[i]!;
      if (i === items.length - 1 && it.includes('.')) {
        const v4 = parseIpv4(it);
        if (!v4) return null;
        out.push((v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!);
      } else {
        if (!/^[0-9a-fA-F]{1,4}$/.test(it)) return null;
        out.push(parseInt(it, 16));
      }
    }
    return out;
  };
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  if (!head || !tail) return null;
  const fill = 8 - head.length - tail.length;
  if ((halves.length === 1 && fill !== 0) || (halves.length === 2 && fill < 1)) return null;
  const all = [...head, ...new Array<number>(halves.length === 2 ? fill : 0).fill(0), ...tail];
  const b = new Uint8Array(16);
  all.forEach((g, i) => {
    b[2 * i] = g >>> 8;
    b[2 * i + 1] = g & 0xff;
  });
  return b;
}

/** Formats 4 bytes as dotted-quad text. */
export function formatIpv4(b: Uint8Array): string {
  return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
}

/** Formats 16 bytes as RFC 5952 IPv6 text (longest zero run compressed). */
export function formatIpv6(b: Uint8Array): string {
  const g: number[] = [];
  for (let i = 0; i < 8; i++) g.push((b[2 * i]! << 8) | b[2 * i + 1]!);
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (xs: number[]): string => xs.map((x) => x.toString(16)).join(':');
  if (bestStart < 0) return hex(g);
  return `${hex(g.slice(0, bestStart))}::${hex(g.slice(bestStart + bestLen))}`;
}

/** The endpoint a sockaddr names, or null when it is malformed. */
export function sockaddrToEndpoint(addr: sockaddr): Endpoint | null {
  if ('sin_addr' in addr && addr.sin_family === AF_INET) {
    return { family: 4, addr: formatIpv4(addr.sin_addr.s4_addr), port: ntohs(addr.sin_port) };
  }
  if ('sin6_addr' in addr && addr.sin6_family === AF_INET6) {
    return { family: 6, addr: formatIpv6(addr.sin6_addr.s6_addr), port: ntohs(addr.sin6_port) };
  }
  return null;
}

/** Fills `out` (a sockaddr_in or sockaddr_in6) from an endpoint; returns the C struct size. */
export function endpointToSockaddr(ep: Endpoint, out: sockaddr): number {
  if (ep.family === 4) {
    const o = out as sockaddr_in;
    o.sin_family = AF_INET;
    o.sin_port = htons(ep.port);
    if (!(o.sin_addr instanceof in_addr)) o.sin_addr = new in_addr();
    o.sin_addr.s4_addr.set(parseIpv4(ep.addr) ?? new Uint8Array(4));
    return 8;
  }
  const o = out as sockaddr_in6;
  o.sin6_family = AF_INET6;
  o.sin6_port = htons(ep.port);
  if (!(o.sin6_addr instanceof in6_addr)) o.sin6_addr = new in6_addr();
  o.sin6_addr.s6_addr.set(parseIpv6(ep.addr) ?? new Uint8Array(16));
  return 24;
}

/** `net_addr_pton(family, src, dst)`: 0, or -EINVAL. */
export function net_addr_pton(family: number, src: string, dst: in_addr | in6_addr): number {
  if (family === AF_INET && dst instanceof in_addr) {
    const b = parseIpv4(src);
    if (!b) return -22;
    dst.s4_addr.set(b);
    return 0;
  }
  if (family === AF_INET6 && dst instanceof in6_addr) {
    const b = parseIpv6(src);
    if (!b) return -22;
    dst.s6_addr.set(b);
    return 0;
  }
  return -22;
}
