/**
 * `net iface` and `net conn` (`CONFIG_NET_SHELL`, Zephyr's `subsys/net/lib/shell/iface.c` and
 * `conn.c`), in Zephyr's layout, for the board's one interface (its addresses from the network it
 * is attached to, its MAC from the board file's `zsim.netif`) and its sockets.
 *
 * zsim differences: in `net conn` the bracketed number of a context is its socket descriptor (Zephyr
 * counts 1, 2, ...); TCP sequence numbers are not modelled ("n/a"); the interface's device is named
 * after its type (`eth0`, `wlan0`) and its driver capabilities are not listed.
 */
import type { Kernel } from '../kernel/kernel.ts';
import { ENOEXEC } from '../libc/errno.ts';
import type { Endpoint } from '../net/conn.ts';
import type { NetContext } from '../net/net_context.ts';
import { net_stack } from '../net/net_if.ts';
import { AF_INET6, IPPROTO_UDP, SOCK_DGRAM, SOCK_RAW, SOCK_STREAM } from '../net/net_ip.ts';
import { boardShell, type ShellNetif } from './shell_instance.ts';
import { registerBuiltinInstaller } from './shell_registry.ts';
import { SHELL_NORMAL, SHELL_WARNING, type ShellCmdHandler, type ShellContext, type ShellStaticEntry } from './shell_types.ts';

const PR = (sh: ShellContext, text: string): void => sh.write(SHELL_NORMAL, text);

/** `get_addresses`: `a.b.c.d:port` or `[v6]:port`, the unspecified address when unset. */
function endpointStr(ep: Endpoint | null | undefined, family6: boolean): string {
  if (!ep) return family6 ? '[::]:0' : '0.0.0.0:0';
  return ep.family === 6 ? `[${ep.addr}]:${ep.port}` : `${ep.addr}:${ep.port}`;
}

function localOf(c: NetContext): Endpoint | null {
  return c.listener?.local ?? c.udp?.local ?? c.conn?.local ?? c.local;
}

/** `net_tcp_state_str` for a socket's state. */
function tcpState(c: NetContext): string | null {
  switch (c.state) {
    case 'connecting': return 'SYN_SENT';
    case 'listening': return 'LISTEN';
    case 'connected':
      if (c.rxEof) return c.txShut ? 'LAST_ACK' : 'CLOSE_WAIT';
      return c.txShut ? 'FIN_WAIT_1' : 'ESTABLISHED';
    default: return null; // no TCP connection object exists yet (or any more)
  }
}

const cmdConn: ShellCmdHandler = (sh) => {
  const k = sh.kernel;
  const st = net_stack(k);
  const sockets: [number, NetContext][] = [];
  st?.fds.forEach((c, fd) => {
    if (c) sockets.push([fd, c]);
  });
  PR(sh, '     Context   \tIface  Flags            Local             Remote\n');
  for (const [fd, c] of sockets) {
    const v6 = c.family === AF_INET6;
    const fam = v6 ? '6' : '4';
    const type = c.type === SOCK_DGRAM ? 'D' : c.type === SOCK_STREAM ? 'S' : c.type === SOCK_RAW ? 'R' : ' ';
    // TLS sockets are TCP underneath, as Zephyr's net_context sees them.
    const proto = c.proto === IPPROTO_UDP ? 'U' : c.type === SOCK_STREAM ? 'T' : ' ';
    const local = endpointStr(localOf(c), v6).padStart(16);
    const remote = endpointStr(c.remote ?? c.conn?.remote, v6).padStart(16);
    PR(sh, `[${String(fd).padStart(2)}] ${k.addrStr(c)}\t1      ${fam}${type}${proto}   ${local}\t${remote}\n`);
  }
  if (sockets.length === 0) PR(sh, 'No connections\n');
  if (k.enabled('NET_TCP')) {
    PR(sh, '\nTCP        Context   Src port Dst port   Send-Seq   Send-Ack  MSS    State\n');
    let n = 0;
    for (const [, c] of sockets) {
      const state = c.type === SOCK_STREAM ? tcpState(c) : null;
      if (!state) continue;
      n++;
      const v6 = c.family === AF_INET6;
      const conn = k.addrStr(c.conn ?? c.listener ?? c);
      const sport = String(localOf(c)?.port ?? 0).padStart(5);
      const dport = String((c.remote ?? c.conn?.remote)?.port ?? 0).padStart(5);
      const mss = String(v6 ? 1440 : 1460).padStart(5);
      PR(sh, `${conn} ${k.addrStr(c)}   ${sport}    ${dport} ${'n/a'.padStart(10)} ${'n/a'.padStart(10)} ${mss}   ${state}\n`);
    }
    if (n === 0) PR(sh, 'No TCP connections\n');
  }
  return 0;
};

function cfgStr(k: Kernel, name: string, dflt: string): string {
  const v = k.config[name];
  return typeof v === 'string' && v !== '' ? v : dflt;
}

/** `iface_cb`: one interface's description. */
function printIface(sh: ShellContext, netif: ShellNetif | undefined): void {
  const k = sh.kernel;
  const st = net_stack(k)!;
  const [kind, extra, dev] = netif?.type === 'wifi' ? ['WiFi', '====', 'wlan0'] : netif ? ['Ethernet', '========', 'eth0']
    : ['<unknown type>', '==============', '<?>'];
  PR(sh, `\nInterface ${k.addrStr(st.iface)} (${kind}) [1]\n`);
  PR(sh, `===========================${extra}\n`);
  if (netif) PR(sh, `Link addr : ${netif.mac.toUpperCase()}\n`);
  PR(sh, 'MTU       : 1500\n');
  const flags = ['AUTO_START'];
  if (k.enabled('NET_IPV4')) flags.push('IPv4');
  if (k.enabled('NET_IPV6')) flags.push('IPv6');
  PR(sh, `Flags     : ${flags.join(',')}\n`);
  PR(sh, `Device    : ${dev} (${k.addrStr(netif ?? st)})\n`);
  const list = (title: string, max: number, items: string[]): void => {
    PR(sh, `${title} (max ${max}):\n`);
    PR(sh, items.length ? items.map((i) => `\t${i}\n`).join('') : '\t<none>\n');
  };
  if (k.enabled('NET_IPV6')) {
    const v6 = st.iface.addrs.filter((a) => a.family === 6).map((a) => `${a.addr} manual preferred infinite`);
    list('IPv6 unicast addresses', k.cfgInt('NET_IF_UNICAST_IPV6_ADDR_COUNT') || 3, v6);
    list('IPv6 multicast addresses', k.cfgInt('NET_IF_MCAST_IPV6_ADDR_COUNT') || 4, []);
    list('IPv6 prefixes', k.cfgInt('NET_IF_IPV6_PREFIX_COUNT') || 2, []);
    PR(sh, 'IPv6 hop limit           : 64\n');
    PR(sh, 'IPv6 base reachable time : 30000\n');
    PR(sh, 'IPv6 reachable time      : 30000\n');
    PR(sh, 'IPv6 retransmit timer    : 1000\n');
  }
  if (k.enabled('NET_IPV4')) {
    const mask = cfgStr(k, 'NET_CONFIG_MY_IPV4_NETMASK', '255.255.255.0');
    const v4 = st.iface.addrs.filter((a) => a.family === 4).map((a) => `${a.addr}/${mask} manual preferred infinite`);
    list('IPv4 unicast addresses', k.cfgInt('NET_IF_UNICAST_IPV4_ADDR_COUNT') || 1, v4);
    list('IPv4 multicast addresses', k.cfgInt('NET_IF_MCAST_IPV4_ADDR_COUNT') || 1, []);
    PR(sh, `IPv4 gateway : ${cfgStr(k, 'NET_CONFIG_MY_IPV4_GW', '0.0.0.0')}\n`);
  }
}

const cmdIface: ShellCmdHandler = (sh, argc, argv) => {
  const k = sh.kernel;
  const idxArg = argv[argc - 1] !== 'show' && argc > 1 ? argv[argc - 1] : undefined;
  if (idxArg !== undefined) {
    if (!/^-?\d+$/.test(idxArg)) {
      sh.write(SHELL_WARNING, `Invalid index ${idxArg}\n`);
      return -ENOEXEC;
    }
    const idx = Number(idxArg);
    if (idx < 0 || idx > 255) {
      sh.write(SHELL_WARNING, `Invalid index ${idx}\n`);
      return -ENOEXEC;
    }
    if (idx !== 1 || !net_stack(k)) {
      sh.write(SHELL_WARNING, `No such interface in index ${idx}\n`);
      return -ENOEXEC;
    }
  }
  if (k.enabled('NET_HOSTNAME_ENABLE')) PR(sh, `Hostname: ${cfgStr(k, 'NET_HOSTNAME', 'zephyr')}\n\n`);
  if (net_stack(k)) printIface(sh, boardShell(k)?.netif[0]);
  return 0;
};

const entry = (syntax: string, help: string, handler: ShellCmdHandler | null, mandatory: number, optional: number,
  subs: ShellStaticEntry[] | null = null): ShellStaticEntry => ({
  syntax, help, handler, args: { mandatory, optional }, subcmd: subs ? { kind: 'static', name: `net_cmd_${syntax}`, entries: subs } : null,
});

registerBuiltinInstaller('net', (k) => {
  if (!k.enabled('NET_SHELL') || !k.enabled('NETWORKING')) return [];
  // SHELL_SUBCMD_ADD((net), ...) entries live in a sorted section: alphabetical.
  const subs = [
    entry('conn', 'Print information about network connections.', cmdConn, 1, 0),
    entry('iface', 'Print information about network interfaces.', cmdIface, 1, 1, [
      entry('show', "'net iface <index>' shows network interface information.", cmdIface, 1, 1),
    ]),
  ];
  return [entry('net', 'Networking commands', null, 0, 0, subs)];
});
