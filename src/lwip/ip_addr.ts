/**
 * lwIP's IPv4 address type and helpers (`lwip/ip_addr.h`, `lwip/ip4_addr.h`, `ip4_addr.c`):
 * `ip_addr_t`, `IP4_ADDR`, `ipaddr_aton`, `ipaddr_ntoa`, `ipaddr_addr`...
 *
 * As in lwIP, `addr` holds the address in network byte order as a 32-bit word read on the target,
 * and zsim's targets are little-endian: 192.0.2.1 is 0x010200c0, `ip4_addr1()` is 192. Only IPv4
 * (lwIP built with `LWIP_IPV4=1, LWIP_IPV6=0`, where `ip_addr_t` is `ip4_addr_t`).
 */

/** `ip4_addr_t` / `ip_addr_t`: an IPv4 address. */
export class ip_addr_t {
  /** Network byte order, as lwIP stores it. */
  addr = 0;
}
/** lwIP's name for the IPv4-only type. */
export type ip4_addr_t = ip_addr_t;

/** 255.255.255.255, which is also what `ipaddr_addr` returns for an invalid string. */
export const IPADDR_NONE = 0xffffffff;
/** 0.0.0.0 */
export const IPADDR_ANY = 0;
/** 127.0.0.1, in host order as lwIP defines it. */
export const IPADDR_LOOPBACK = 0x7f000001;
/** 255.255.255.255 */
export const IPADDR_BROADCAST = 0xffffffff;

/** `LWIP_MAKEU32(a, b, c, d)`, in host order. */
export function LWIP_MAKEU32(a: number, b: number, c: number, d: number): number {
  return (((a & 0xff) << 24) | ((b & 0xff) << 16) | ((c & 0xff) << 8) | (d & 0xff)) >>> 0;
}

/** `lwip_htonl` on a little-endian target. */
export function lwip_htonl(x: number): number {
  return (((x & 0xff) << 24) | ((x & 0xff00) << 8) | ((x >>> 8) & 0xff00) | ((x >>> 24) & 0xff)) >>> 0;
}
/** `lwip_ntohl`. */
export const lwip_ntohl = lwip_htonl;

/** `IP4_ADDR(ipaddr, a, b, c, d)`: sets `ipaddr` to a.b.c.d. */
export function IP4_ADDR(ipaddr: ip_addr_t, a: number, b: number, c: number, d: number): void {
  ipaddr.addr = lwip_htonl(LWIP_MAKEU32(a, b, c, d));
}
/** `IP_ADDR4(ipaddr, a, b, c, d)`: the same for an `ip_addr_t`. */
export const IP_ADDR4 = IP4_ADDR;

/** `IPADDR4_INIT_BYTES(a, b, c, d)`: a new address a.b.c.d. */
export function IPADDR4_INIT_BYTES(a: number, b: number, c: number, d: number): ip_addr_t {
  const ip = new ip_addr_t();
  IP4_ADDR(ip, a, b, c, d);
  return ip;
}

/** The four bytes of an address, most significant (first printed) first. */
export function ip4_addr_bytes(ipaddr: ip_addr_t): [number, number, number, number] {
  const v = ipaddr.addr >>> 0;
  return [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
}
/** `ip4_addr1(ipaddr)`: the first byte (192 in 192.0.2.1). */
export const ip4_addr1 = (ipaddr: ip_addr_t): number => ip4_addr_bytes(ipaddr)[0];
/** `ip4_addr2(ipaddr)`. */
export const ip4_addr2 = (ipaddr: ip_addr_t): number => ip4_addr_bytes(ipaddr)[1];
/** `ip4_addr3(ipaddr)`. */
export const ip4_addr3 = (ipaddr: ip_addr_t): number => ip4_addr_bytes(ipaddr)[2];
/** `ip4_addr4(ipaddr)`. */
export const ip4_addr4 = (ipaddr: ip_addr_t): number => ip4_addr_bytes(ipaddr)[3];

/** `ip4_addr_get_u32(ipaddr)`: the address in network order. */
export function ip4_addr_get_u32(ipaddr: ip_addr_t): number {
  return ipaddr.addr >>> 0;
}
/** `ip4_addr_set_u32(ipaddr, v)`: `v` in network order. */
export function ip4_addr_set_u32(ipaddr: ip_addr_t, v: number): void {
  ipaddr.addr = v >>> 0;
}
/** `ip_addr_copy(dest, src)`. */
export function ip_addr_copy(dest: ip_addr_t, src: ip_addr_t): void {
  dest.addr = src.addr;
}
/** `ip_addr_set_zero(ipaddr)`. */
export function ip_addr_set_zero(ipaddr: ip_addr_t): void {
  ipaddr.addr = 0;
}
/** `ip_addr_isany(ipaddr)`: 0.0.0.0 (or no address). */
export function ip_addr_isany(ipaddr: ip_addr_t | null): boolean {
  return ipaddr === null || ipaddr.addr === IPADDR_ANY;
}
/** `ip_addr_cmp(a, b)`. */
export function ip_addr_cmp(a: ip_addr_t, b: ip_addr_t): boolean {
  return a.addr >>> 0 === b.addr >>> 0;
}

/** `IP_ADDR_ANY`: 0.0.0.0 (do not modify). */
export const IP_ADDR_ANY: Readonly<ip_addr_t> = Object.freeze(new ip_addr_t());

function digitValue(c: string, base: number): number {
  const v = c >= '0' && c <= '9' ? c.charCodeAt(0) - 48 : c >= 'a' && c <= 'f' ? c.charCodeAt(0) - 87 : c >= 'A' && c <= 'F' ? c.charCodeAt(0) - 55 : 99;
  return v < base ? v : -1;
}

/**
 * `ip4addr_aton` / `ipaddr_aton(cp, addr)`: parses `cp` as inet_aton does (a.b.c.d, a.b.c with a
 * 16-bit c, a.b with a 24-bit b, a 32-bit a; each part decimal, octal with a leading 0, or hex
 * with 0x), trailing white space allowed. Stores into `addr` when given. 1 if valid, 0 if not.
 */
export function ipaddr_aton(cp: string, addr: ip_addr_t | null): number {
  const parts: number[] = [];
  let i = 0;
  for (;;) {
    // Every part must start with a digit.
    if (!(cp[i]! >= '0' && cp[i]! <= '9')) return 0;
    let base = 10;
    if (cp[i] === '0') {
      i++;
      if (cp[i] === 'x' || cp[i] === 'X') {
        base = 16;
        i++;
      } else base = 8;
    }
    let val = 0;
    for (let d = digitValue(cp[i] ?? '', base); d >= 0; d = digitValue(cp[i] ?? '', base)) {
      val = val * base + d;
      if (val > 0xffffffff) return 0;
      i++;
    }
    parts.push(val);
    if (cp[i] !== '.') break;
    if (parts.length >= 4) return 0;
    i++;
  }
  if (i < cp.length && !/\s/.test(cp[i]!)) return 0;
  let v = parts[parts.length - 1]!;
  const head = parts.slice(0, -1);
  const max = [0xffffffff, 0xffffff, 0xffff, 0xff][head.length]!;
  if (v > max || head.some((p) => p > 0xff)) return 0;
  for (let k = 0; k < head.length; k++) v += head[k]! * 2 ** (24 - 8 * k);
  if (addr) addr.addr = lwip_htonl(v >>> 0);
  return 1;
}
/** `ip4addr_aton`. */
export const ip4addr_aton = ipaddr_aton;

/** `ipaddr_addr(cp)`: the address in network order, or `IPADDR_NONE` when `cp` is not one. */
export function ipaddr_addr(cp: string): number {
  const ip = new ip_addr_t();
  return ipaddr_aton(cp, ip) ? ip.addr : IPADDR_NONE;
}

/** `ipaddr_ntoa(addr)`: dotted-decimal text. */
export function ipaddr_ntoa(addr: ip_addr_t): string {
  return ip4_addr_bytes(addr).join('.');
}
/** `ip4addr_ntoa`. */
export const ip4addr_ntoa = ipaddr_ntoa;
