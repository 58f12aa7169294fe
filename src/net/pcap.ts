/**
 * `--pcap`: captures in the classic libpcap format (LINKTYPE_ETHERNET), readable by Wireshark
 * and tshark. Backends hand over `WireSegment`s (addresses, ports, TCP numbers and payload); the
 * Ethernet, IP and TCP/UDP headers around them are synthesized here with correct lengths and
 * checksums, because Wireshark flags (and some dissectors distrust) frames that are inconsistent.
 *
 * The host backend cannot see real TCP segments: `tapStream` (re-exported below) replays a
 * stream's bytes as synthetic segments.
 */
import * as fs from 'node:fs';
import type { WireSegment, WireTap } from './conn.ts';
import { parseIpv4, parseIpv6 } from './net_ip.ts';

export { SyntheticTcp, tapStream, type SyntheticTcpOptions, type TcpSide } from './host/synthetic_tcp.ts';

/** libpcap link type of Ethernet II frames. */
export const LINKTYPE_ETHERNET = 1;
/** Default snapshot length: large enough that no frame is ever truncated. */
export const PCAP_SNAPLEN = 262144;

const ETH_LEN = 14;
const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const PROTO_TCP = 6;
const PROTO_UDP = 17;
const TCP_SYN = 0x02;
/** Largest TCP payload in one frame: IPv4's 16-bit total length minus headers (with options). */
const MAX_TCP_PAYLOAD = 65535 - 20 - 24;
const MAX_UDP_PAYLOAD = 65535 - 20 - 8;

/** Options of {@link PcapWriter}. */
export interface PcapWriterOptions {
  /** Ethernet addresses by IP address text (`"aa:bb:cc:dd:ee:ff"` or 6 bytes); others are derived. */
  macs?: ReadonlyMap<string, string | Uint8Array> | Readonly<Record<string, string | Uint8Array>>;
  /** Added to every timestamp, ns (e.g. the wall-clock start of the run, for real dates). */
  baseTimeNs?: number;
  /** Snapshot length written in the global header (default {@link PCAP_SNAPLEN}). */
  snaplen?: number;
}

/** Parses an IP address (IPv4, or IPv6 with an optional `%zone`) to 4 or 16 bytes. */
export function ipBytes(addr: string): Uint8Array | null {
  return parseIpv4(addr) ?? parseIpv6(addr.replace(/%.*$/, ''));
}

/** 16 bytes of IPv6 for any address (IPv4 becomes `::ffff:a.b.c.d`). */
function ipv6Bytes(addr: string): Uint8Array {
  const b = ipBytes(addr);
  if (b && b.length === 16) return b;
  const out = new Uint8Array(16);
  out[10] = 0xff;
  out[11] = 0xff;
  if (b) out.set(b, 12);
  return out;
}

/**
 * A deterministic, locally administered unicast MAC for an IP address: `02:00:a:b:c:d` for
 * IPv4 (readable), `02:` and 5 bytes of an FNV-1a hash for IPv6.
 */
export function macFor(addr: string): Uint8Array {
  const ip = ipBytes(addr);
  const mac = new Uint8Array(6);
  mac[0] = 0x02;
  if (ip && ip.length === 4) {
    mac.set(ip, 2);
    return mac;
  }
  let h = 0xcbf29ce484222325n;
  for (const c of ip ?? new TextEncoder().encode(addr)) {
    h ^= BigInt(c);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  for (let i = 1; i < 6; i++) mac[i] = Number((h >> BigInt(8 * (i - 1))) & 0xffn);
  return mac;
}

/** Parses `aa:bb:cc:dd:ee:ff` (or `-` separated) to 6 bytes. */
export function parseMac(s: string): Uint8Array {
  const parts = s.split(/[:-]/);
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-fA-F]{1,2}$/.test(p))) {
    throw new Error(`invalid MAC address "${s}"`);
  }
  return Uint8Array.from(parts.map((p) => parseInt(p, 16)));
}

/** RFC 1071 one's-complement sum of `data` folded to 16 bits, starting from `sum` (not inverted). */
export function onesSum(data: Uint8Array, sum = 0): number {
  let s = sum;
  const n = data.length & ~1;
  for (let i = 0; i < n; i += 2) s += (data[i]! << 8) | data[i + 1]!;
  if (data.length & 1) s += data[data.length - 1]! << 8;
  while (s > 0xffff) s = (s & 0xffff) + (s >>> 16);
  return s;
}

/** The Internet checksum of `data` (the value to store in a header). */
export function internetChecksum(data: Uint8Array, sum = 0): number {
  return ~onesSum(data, sum) & 0xffff;
}

/** Per-frame values that are not part of the segment. */
export interface FrameOptions {
  srcMac: Uint8Array;
  dstMac: Uint8Array;
  /** IPv4 identification field. */
  ipId?: number;
}

/**
 * One Ethernet frame for a segment: Ethernet II, IPv4 (or IPv6 when either end is IPv6), then
 * TCP or UDP with the checksum over the pseudo-header. SYN segments carry an MSS option, as real
 * ones do. The payload must fit one frame (see {@link PcapWriter.segment} for splitting).
 */
export function encodeFrame(seg: WireSegment, fo: FrameOptions): Uint8Array {
  const v6 = seg.src.family === 6 || seg.dst.family === 6;
  const tcp = seg.proto === 'tcp';
  const flags = seg.flags ?? 0;
  const tcpOpts = tcp && flags & TCP_SYN ? 4 : 0;
  const l4Len = (tcp ? 20 + tcpOpts : 8) + seg.payload.length;
  const ipLen = v6 ? 40 : 20;
  const frame = new Uint8Array(ETH_LEN + ipLen + l4Len);
  const dv = new DataView(frame.buffer);
  frame.set(fo.dstMac, 0);
  frame.set(fo.srcMac, 6);
  dv.setUint16(12, v6 ? ETHERTYPE_IPV6 : ETHERTYPE_IPV4);

  const src = v6 ? ipv6Bytes(seg.src.addr) : (ipBytes(seg.src.addr) ?? new Uint8Array(4));
  const dst = v6 ? ipv6Bytes(seg.dst.addr) : (ipBytes(seg.dst.addr) ?? new Uint8Array(4));
  const proto = tcp ? PROTO_TCP : PROTO_UDP;
  const ip = ETH_LEN;
  if (v6) {
    dv.setUint32(ip, 0x60000000);
    dv.setUint16(ip + 4, l4Len);
    frame[ip + 6] = proto;
    frame[ip + 7] = 64;
    frame.set(src, ip + 8);
    frame.set(dst, ip + 24);
  } else {
    frame[ip] = 0x45;
    dv.setUint16(ip + 2, ipLen + l4Len);
    dv.setUint16(ip + 4, (fo.ipId ?? 0) & 0xffff);
    dv.setUint16(ip + 6, 0x4000); // DF: no fragmentation in synthesized traffic
    frame[ip + 8] = 64;
    frame[ip + 9] = proto;
    frame.set(src, ip + 12);
    frame.set(dst, ip + 16);
    dv.setUint16(ip + 10, internetChecksum(frame.subarray(ip, ip + 20)));
  }

  const l4 = ip + ipLen;
  dv.setUint16(l4, seg.src.port);
  dv.setUint16(l4 + 2, seg.dst.port);
  let csumAt: number;
  if (tcp) {
    dv.setUint32(l4 + 4, (seg.seq ?? 0) >>> 0);
    dv.setUint32(l4 + 8, (seg.ack ?? 0) >>> 0);
    frame[l4 + 12] = ((20 + tcpOpts) / 4) << 4;
    frame[l4 + 13] = flags & 0xff;
    // No window scaling is negotiated in synthesized SYNs, so larger windows are clamped.
    dv.setUint16(l4 + 14, Math.min(0xffff, Math.max(0, seg.window ?? 65535)));
    if (tcpOpts) {
      frame[l4 + 20] = 2; // MSS
      frame[l4 + 21] = 4;
      dv.setUint16(l4 + 22, v6 ? 1440 : 1460);
    }
    frame.set(seg.payload, l4 + 20 + tcpOpts);
    csumAt = l4 + 16;
  } else {
    dv.setUint16(l4 + 4, l4Len);
    frame.set(seg.payload, l4 + 8);
    csumAt = l4 + 6;
  }
  const pseudo = new Uint8Array(v6 ? 40 : 12);
  const pv = new DataView(pseudo.buffer);
  pseudo.set(src, 0);
  pseudo.set(dst, src.length);
  if (v6) {
    pv.setUint32(32, l4Len);
    pseudo[39] = proto;
  } else {
    pseudo[9] = proto;
    pv.setUint16(10, l4Len);
  }
  let csum = internetChecksum(frame.subarray(l4), onesSum(pseudo));
  if (!tcp && csum === 0) csum = 0xffff; // 0 means "no checksum" in UDP
  dv.setUint16(csumAt, csum);
  return frame;
}

/** The 24-byte pcap global header (microsecond timestamps, little-endian). */
export function pcapGlobalHeader(snaplen = PCAP_SNAPLEN, linktype = LINKTYPE_ETHERNET): Uint8Array {
  const h = new Uint8Array(24);
  const dv = new DataView(h.buffer);
  dv.setUint32(0, 0xa1b2c3d4, true);
  dv.setUint16(4, 2, true);
  dv.setUint16(6, 4, true);
  dv.setInt32(8, 0, true); // thiszone: timestamps are UTC
  dv.setUint32(12, 0, true); // sigfigs
  dv.setUint32(16, snaplen, true);
  dv.setUint32(20, linktype, true);
  return h;
}

/** The 16-byte record header of a frame sent at `timeNs` (ns → seconds and microseconds). */
export function pcapRecordHeader(timeNs: number, capLen: number, origLen: number): Uint8Array {
  const t = Math.max(0, Math.floor(timeNs / 1000)); // µs
  const h = new Uint8Array(16);
  const dv = new DataView(h.buffer);
  dv.setUint32(0, Math.floor(t / 1e6), true);
  dv.setUint32(4, t % 1e6, true);
  dv.setUint32(8, capLen, true);
  dv.setUint32(12, origLen, true);
  return h;
}

/** Flush at once beyond this many buffered bytes rather than waiting for the next turn. */
const FLUSH_BYTES = 1 << 20;

/**
 * A `WireTap` writing a pcap file. Frames are buffered and written at the next turn of the
 * event loop (one system call per burst, yet little lost if the process dies); `close()` writes
 * the rest and must be called at the end of the run.
 */
export class PcapWriter implements WireTap {
  private fd: number | null;
  private chunks: Uint8Array[] = [];
  private buffered = 0;
  private flushScheduled: NodeJS.Immediate | null = null;
  private ipId = 0;
  private readonly macs = new Map<string, Uint8Array>();
  private readonly baseTimeNs: number;
  private readonly snaplen: number;
  private count = 0;

  /** Creates (or truncates) `path` and writes the global header. Throws if it cannot be opened. */
  constructor(readonly path: string, opts: PcapWriterOptions = {}) {
    this.baseTimeNs = opts.baseTimeNs ?? 0;
    this.snaplen = opts.snaplen ?? PCAP_SNAPLEN;
    const given = opts.macs instanceof Map ? [...opts.macs] : Object.entries(opts.macs ?? {});
    for (const [ip, mac] of given) this.macs.set(ip, typeof mac === 'string' ? parseMac(mac) : mac);
    this.fd = fs.openSync(path, 'w');
    fs.writeSync(this.fd, pcapGlobalHeader(this.snaplen));
  }

  /** Frames written so far. */
  get frames(): number {
    return this.count;
  }

  /** Records a segment; TCP payloads larger than a frame are split, with seq advancing. */
  segment(s: WireSegment): void {
    if (this.fd === null) return;
    if (s.proto === 'tcp' && s.payload.length > MAX_TCP_PAYLOAD) {
      const fin = (s.flags ?? 0) & 0x01;
      for (let off = 0; off < s.payload.length; off += MAX_TCP_PAYLOAD) {
        const end = Math.min(s.payload.length, off + MAX_TCP_PAYLOAD);
        const first = off === 0;
        const last = end === s.payload.length;
        let flags = s.flags ?? 0;
        if (!first) flags &= ~TCP_SYN;
        if (!last) flags &= ~(fin | 0x08);
        const seq = ((s.seq ?? 0) + off + (!first && (s.flags ?? 0) & TCP_SYN ? 1 : 0)) >>> 0;
        this.write({ ...s, seq, flags, payload: s.payload.subarray(off, end) });
      }
      return;
    }
    // A UDP datagram over 64 KiB cannot exist on a real network; keep what a frame can hold.
    const payload = s.proto === 'udp' ? s.payload.subarray(0, MAX_UDP_PAYLOAD) : s.payload;
    this.write(payload === s.payload ? s : { ...s, payload });
  }

  /** Writes everything buffered to the file now. */
  flush(): void {
    if (this.flushScheduled) clearImmediate(this.flushScheduled);
    this.flushScheduled = null;
    if (this.fd === null || this.chunks.length === 0) return;
    const data = Buffer.concat(this.chunks);
    this.chunks = [];
    this.buffered = 0;
    fs.writeSync(this.fd, data);
  }

  /** Flushes and closes the file; later segments are ignored. */
  close(): void {
    if (this.fd === null) return;
    this.flush();
    fs.closeSync(this.fd);
    this.fd = null;
  }

  private mac(addr: string): Uint8Array {
    let m = this.macs.get(addr);
    if (!m) {
      m = macFor(addr);
      this.macs.set(addr, m);
    }
    return m;
  }

  private write(s: WireSegment): void {
    const frame = encodeFrame(s, { srcMac: this.mac(s.src.addr), dstMac: this.mac(s.dst.addr), ipId: this.ipId++ });
    const cap = Math.min(frame.length, this.snaplen);
    this.chunks.push(pcapRecordHeader(this.baseTimeNs + s.timeNs, cap, frame.length), frame.subarray(0, cap));
    this.buffered += 16 + cap;
    this.count++;
    if (this.buffered >= FLUSH_BYTES) this.flush();
    else if (!this.flushScheduled) {
      this.flushScheduled = setImmediate(() => this.flush());
      this.flushScheduled.unref(); // a pending capture write must not keep the process alive
    }
  }
}
