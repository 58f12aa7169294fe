/** `zsock_getaddrinfo` and friends, over the board's resolver (simulated network or host DNS). */
import { kick } from '../kernel/cpu.ts';
import type { Kernel } from '../kernel/kernel.ts';
import { currentKernel, requireThread, z_pend_curr } from '../kernel/sched.ts';
import { THREAD_PENDING, type WaitTarget } from '../kernel/thread.ts';
import { K_FOREVER } from '../kernel/timeout.ts';
import { EAGAIN, EIO } from '../libc/errno.ts';
import type { Endpoint, NetInterface } from './conn.ts';
import { net_stack } from './net_if.ts';
import {
  AF_INET, AF_INET6, AF_UNSPEC, IPPROTO_TCP, IPPROTO_UDP, SOCK_DGRAM, SOCK_STREAM, endpointToSockaddr, parseIpv4,
  parseIpv6, sockaddr_in6_new, sockaddr_in_new, type sockaddr,
} from './net_ip.ts';
import {
  AI_NUMERICHOST, AI_PASSIVE, DNS_EAI_AGAIN, DNS_EAI_FAIL, DNS_EAI_FAMILY, DNS_EAI_MEMORY, DNS_EAI_NONAME,
  DNS_EAI_SERVICE, DNS_EAI_SOCKTYPE, DNS_EAI_SYSTEM,
} from './socket_consts.ts';

/** `struct zsock_addrinfo`: a linked list through `ai_next`. */
export class zsock_addrinfo {
  ai_next: zsock_addrinfo | null = null;
  ai_flags = 0;
  ai_family = AF_UNSPEC;
  ai_socktype = 0;
  ai_protocol = 0;
  ai_addrlen = 0;
  ai_addr: sockaddr = sockaddr_in_new();
  ai_canonname: string | null = null;
}

function familyOf(f: number): 0 | 4 | 6 | null {
  return f === AF_UNSPEC ? 0 : f === AF_INET ? 4 : f === AF_INET6 ? 6 : null;
}

/**
 * `zsock_getaddrinfo(host, service, hints, res)`: 0 with the list in `res.value`, or a DNS_EAI_*
 * error. Numeric addresses resolve at once; names go to the board's resolver.
 */
export async function zsock_getaddrinfo(
  host: string | null,
  service: string | null,
  hints: Partial<zsock_addrinfo> | null,
  res: { value: zsock_addrinfo | null },
): Promise<number> {
  const k = currentKernel('zsock_getaddrinfo');
  res.value = null;
  const fam = familyOf(hints?.ai_family ?? AF_UNSPEC);
  if (fam === null) return DNS_EAI_FAMILY;
  const socktype = hints?.ai_socktype ?? 0;
  if (socktype !== 0 && socktype !== SOCK_STREAM && socktype !== SOCK_DGRAM) return DNS_EAI_SOCKTYPE;
  let port = 0;
  if (service !== null && service !== undefined) {
    if (!/^\d+$/.test(service) || Number(service) > 65535) return DNS_EAI_SERVICE;
    port = Number(service);
  }
  if (host === null || host === undefined) {
    if (service === null) return DNS_EAI_NONAME;
    const passive = ((hints?.ai_flags ?? 0) & AI_PASSIVE) !== 0;
    const f = fam === 6 ? 6 : 4;
    return fill(res, [{ family: f, addr: passive ? (f === 4 ? '0.0.0.0' : '::') : f === 4 ? '127.0.0.1' : '::1', port }], socktype, hints);
  }
  const v4 = parseIpv4(host);
  const v6 = v4 ? null : parseIpv6(host);
  if (v4 || v6) {
    const f = v4 ? 4 : 6;
    if (fam !== 0 && fam !== f) return DNS_EAI_FAMILY;
    return fill(res, [{ family: f, addr: host, port }], socktype, hints);
  }
  if (((hints?.ai_flags ?? 0) & AI_NUMERICHOST) !== 0) return DNS_EAI_NONAME;
  const st = net_stack(k);
  if (!st) return DNS_EAI_SYSTEM;
  if (!k.enabled('DNS_RESOLVER') && !st.iface.realNetwork && !k.enabled('NET_SOCKETS')) return DNS_EAI_FAIL;
  const r = await resolveBlocking(k, st.iface, host, fam);
  if (typeof r === 'number') return r === -11 ? DNS_EAI_AGAIN : r === -5 ? DNS_EAI_FAIL : DNS_EAI_NONAME;
  if (r.length === 0) return DNS_EAI_NONAME;
  return fill(res, r.map((e) => ({ ...e, port })), socktype, hints);
}

/**
 * Waits for the resolver as a blocked thread (not by awaiting a foreign promise, which would keep
 * the board's CPU and stop virtual time), woken from the resolver's answer in ISR context.
 */
async function resolveBlocking(k: Kernel, iface: NetInterface, host: string, fam: 0 | 4 | 6): Promise<Endpoint[] | number> {
  const t = requireThread('zsock_getaddrinfo');
  const target: WaitTarget = { kind: 'getaddrinfo', name: host };
  let answer: Endpoint[] | number = -EAGAIN;
  let done = false;
  const release = iface.realNetwork ? k.host.beginHostIo() : null;
  void iface.resolve(host, fam).then(
    (r) => finish(r),
    () => finish(-EIO),
  );
  function finish(r: Endpoint[] | number): void {
    answer = r;
    done = true;
    release?.();
    k.isr(() => {
      if (t.state === THREAD_PENDING && t.waitTarget === target) k.readyThread(t, 0);
    });
    kick();
  }
  // The resolver may answer before the thread pends (an already settled promise): then no wait.
  await Promise.resolve();
  if (!done) await z_pend_curr(null, target, K_FOREVER, 'zsock_getaddrinfo');
  return answer;
}

function fill(
  res: { value: zsock_addrinfo | null },
  eps: Endpoint[],
  socktype: number,
  hints: Partial<zsock_addrinfo> | null,
): number {
  if (eps.length > 32) return DNS_EAI_MEMORY;
  let head: zsock_addrinfo | null = null;
  let tail: zsock_addrinfo | null = null;
  const types = socktype ? [socktype] : [SOCK_STREAM, SOCK_DGRAM];
  for (const ep of eps) {
    for (const t of types) {
      const ai = new zsock_addrinfo();
      ai.ai_flags = hints?.ai_flags ?? 0;
      ai.ai_family = ep.family === 4 ? AF_INET : AF_INET6;
      ai.ai_socktype = t;
      ai.ai_protocol = hints?.ai_protocol || (t === SOCK_STREAM ? IPPROTO_TCP : IPPROTO_UDP);
      ai.ai_addr = ep.family === 4 ? sockaddr_in_new() : sockaddr_in6_new();
      ai.ai_addrlen = endpointToSockaddr(ep, ai.ai_addr);
      if (tail) tail.ai_next = ai;
      else head = ai;
      tail = ai;
    }
  }
  res.value = head;
  return 0;
}

/** `zsock_freeaddrinfo`: nothing to free in a garbage-collected heap. */
export function zsock_freeaddrinfo(_ai: zsock_addrinfo | null): void {}

const GAI: Record<number, string> = {
  [DNS_EAI_NONAME]: 'Host not found',
  [DNS_EAI_AGAIN]: 'Try again',
  [DNS_EAI_FAIL]: 'DNS failure',
  [DNS_EAI_FAMILY]: 'Family not supported',
  [DNS_EAI_SOCKTYPE]: 'Socket type not supported',
  [DNS_EAI_SERVICE]: 'Invalid service',
  [DNS_EAI_MEMORY]: 'Out of memory',
  [DNS_EAI_SYSTEM]: 'System error',
};

/** `zsock_gai_strerror(errcode)`. */
export function zsock_gai_strerror(errcode: number): string {
  return GAI[errcode] ?? 'Unknown error';
}
