/** `zsock_inet_pton` / `zsock_inet_ntop`. */
import { EAFNOSUPPORT, ENOSPC, set_errno } from '../libc/errno.ts';
import { AF_INET, AF_INET6, formatIpv4, formatIpv6, in6_addr, in_addr, parseIpv4, parseIpv6 } from './net_ip.ts';

/** `zsock_inet_pton(family, src, dst)`: 1 on success, 0 when `src` is not an address, -1 (EAFNOSUPPORT). */
export function zsock_inet_pton(family: number, src: string, dst: in_addr | in6_addr): number {
  if (family === AF_INET) {
    const b = parseIpv4(src);
    if (!b) return 0;
    (dst as in_addr).s4_addr.set(b);
    return 1;
  }
  if (family === AF_INET6) {
    const b = parseIpv6(src);
    if (!b) return 0;
    (dst as in6_addr).s6_addr.set(b);
    return 1;
  }
  set_errno(EAFNOSUPPORT);
  return -1;
}

/** `zsock_inet_ntop(family, src, dst, size)`: the text (also written to `dst.value`), or null with errno. */
export function zsock_inet_ntop(family: number, src: in_addr | in6_addr, dst?: { value: string }, size = 46): string | null {
  let s: string;
  if (family === AF_INET && src instanceof in_addr) s = formatIpv4(src.s4_addr);
  else if (family === AF_INET6 && src instanceof in6_addr) s = formatIpv6(src.s6_addr);
  else {
    set_errno(EAFNOSUPPORT);
    return null;
  }
  if (s.length + 1 > size) {
    set_errno(ENOSPC);
    return null;
  }
  if (dst) dst.value = s;
  return s;
}
