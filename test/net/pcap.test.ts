import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import type { Endpoint, WireSegment } from '../../src/net/conn.ts';
import { encodeFrame, macFor, PcapWriter, pcapRecordHeader, SyntheticTcp } from '../../src/net/pcap.ts';
import { HostInterface } from '../../src/net/host/index.ts';
import { fakeSim, Recorder, tcpServer, until } from './host/helpers.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zsim-pcap-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function tsharkAvailable(): boolean {
  try {
    execFileSync('tshark', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const HAVE_TSHARK = tsharkAvailable();
if (!HAVE_TSHARK) console.warn('tshark not installed: skipping the tshark decoding checks');

function tshark(file: string, ...args: string[]): string {
  return execFileSync('tshark', ['-r', file, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

/** MQTT 3.1.1 CONNECT of client "zsim", clean session, keep-alive 60 s. */
const CONNECT = Uint8Array.from([
  0x10, 0x10, 0x00, 0x04, 0x4d, 0x51, 0x54, 0x54, 0x04, 0x02, 0x00, 0x3c, 0x00, 0x04, 0x7a, 0x73, 0x69, 0x6d,
]);
/** CONNACK: session not present, accepted. */
const CONNACK = Uint8Array.from([0x20, 0x02, 0x00, 0x00]);

/** RFC 1071 checksum, written independently of the implementation under test. */
function checksum(...parts: Uint8Array[]): number {
  const all = Buffer.concat(parts);
  let sum = 0;
  for (let i = 0; i < all.length; i += 2) sum += (all[i]! << 8) + (i + 1 < all.length ? all[i + 1]! : 0);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return ~sum & 0xffff;
}

interface Rec {
  sec: number;
  usec: number;
  frame: Buffer;
}

function readPcap(file: string): { header: Buffer; records: Rec[] } {
  const b = fs.readFileSync(file);
  const records: Rec[] = [];
  for (let off = 24; off < b.length; ) {
    const incl = b.readUInt32LE(off + 8);
    expect(b.readUInt32LE(off + 12)).toBe(incl); // never truncated
    records.push({ sec: b.readUInt32LE(off), usec: b.readUInt32LE(off + 4), frame: b.subarray(off + 16, off + 16 + incl) });
    off += 16 + incl;
  }
  return { header: b.subarray(0, 24), records };
}

/** Checks an Ethernet/IPv4/TCP frame field by field; returns the TCP payload. */
function checkTcp4(f: Buffer, src: Endpoint, dst: Endpoint): { flags: number; seq: number; ack: number; payload: Buffer } {
  expect([...f.subarray(0, 6)]).toEqual([0x02, 0x00, ...dst.addr.split('.').map(Number)]);
  expect([...f.subarray(6, 12)]).toEqual([0x02, 0x00, ...src.addr.split('.').map(Number)]);
  expect(f.readUInt16BE(12)).toBe(0x0800);
  const ip = f.subarray(14, 34);
  expect(ip[0]).toBe(0x45);
  expect(ip.readUInt16BE(2)).toBe(f.length - 14);
  expect(ip[8]).toBe(64);
  expect(ip[9]).toBe(6);
  expect([...ip.subarray(12, 16)].join('.')).toBe(src.addr);
  expect([...ip.subarray(16, 20)].join('.')).toBe(dst.addr);
  const zeroed = Buffer.from(ip);
  zeroed.writeUInt16BE(0, 10);
  expect(ip.readUInt16BE(10)).toBe(checksum(zeroed));
  const tcp = f.subarray(34);
  expect(tcp.readUInt16BE(0)).toBe(src.port);
  expect(tcp.readUInt16BE(2)).toBe(dst.port);
  const hlen = (tcp[12]! >> 4) * 4;
  const pseudo = Buffer.alloc(12);
  ip.copy(pseudo, 0, 12, 20);
  pseudo[9] = 6;
  pseudo.writeUInt16BE(tcp.length, 10);
  const tcpZeroed = Buffer.from(tcp);
  tcpZeroed.writeUInt16BE(0, 16);
  expect(tcp.readUInt16BE(16)).toBe(checksum(pseudo, tcpZeroed));
  return { flags: tcp[13]!, seq: tcp.readUInt32BE(4), ack: tcp.readUInt32BE(8), payload: tcp.subarray(hlen) };
}

const CLIENT: Endpoint = { family: 4, addr: '192.0.2.1', port: 50000 };
const BROKER: Endpoint = { family: 4, addr: '192.0.2.2', port: 1883 };

/** Writes the synthetic MQTT exchange: handshake, CONNECT, CONNACK, both FINs. */
function writeMqttCapture(file: string): void {
  const w = new PcapWriter(file);
  let t = 1_500_001_234;
  const synth = new SyntheticTcp(w, () => CLIENT, () => BROKER, { now: () => t });
  synth.handshake('local');
  t += 1_000_000;
  synth.data('local', CONNECT);
  t += 1_000_000;
  synth.data('remote', CONNACK);
  t += 1_000_000;
  synth.fin('local');
  synth.fin('remote');
  expect(w.frames).toBe(9);
  w.close();
}

describe('pcap writer', () => {
  it('writes a byte-exact capture of an MQTT CONNECT/CONNACK exchange', () => {
    const file = path.join(dir, 'mqtt.pcap');
    writeMqttCapture(file);
    const { header, records } = readPcap(file);
    expect([...header]).toEqual([
      0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x04, 0x00, 1, 0, 0, 0,
    ]);
    expect(records).toHaveLength(9);
    expect([records[0]!.sec, records[0]!.usec]).toEqual([1, 500001]); // ns → µs, truncated
    expect([records[3]!.sec, records[3]!.usec]).toEqual([1, 501001]);
    const dirs = [0, 1, 0, 0, 1, 0, 1, 1, 0]; // 0: client → broker
    const tcp = records.map((r, i) => (dirs[i] ? checkTcp4(r.frame, BROKER, CLIENT) : checkTcp4(r.frame, CLIENT, BROKER)));
    expect(tcp.map((t) => t.flags)).toEqual([0x02, 0x12, 0x10, 0x18, 0x18, 0x11, 0x10, 0x11, 0x10]);
    expect(records[0]!.frame.length).toBe(14 + 20 + 24); // SYN carries the MSS option
    expect([...records[0]!.frame.subarray(54, 58)]).toEqual([2, 4, 0x05, 0xb4]);
    const [c0, b0] = [tcp[0]!.seq, tcp[1]!.seq];
    expect(tcp[1]!.ack).toBe((c0 + 1) >>> 0);
    expect(tcp[3]!.seq).toBe((c0 + 1) >>> 0);
    expect([...tcp[3]!.payload]).toEqual([...CONNECT]);
    expect(tcp[4]!.seq).toBe((b0 + 1) >>> 0);
    expect(tcp[4]!.ack).toBe((c0 + 1 + CONNECT.length) >>> 0);
    expect([...tcp[4]!.payload]).toEqual([...CONNACK]);
    expect(tcp[5]!.seq).toBe((c0 + 1 + CONNECT.length) >>> 0);
    expect(tcp[8]!.ack).toBe((b0 + 1 + CONNACK.length + 1) >>> 0);
  });

  it.skipIf(!HAVE_TSHARK)('is decoded by tshark as MQTT, with valid checksums', () => {
    const file = path.join(dir, 'mqtt-tshark.pcap');
    writeMqttCapture(file);
    const out = tshark(file, '-Y', 'mqtt');
    expect(out).toContain('MQTT');
    expect(out).toContain('Connect Command');
    expect(out).toContain('Connect Ack');
    const status = tshark(file, '-o', 'ip.check_checksum:TRUE', '-o', 'tcp.check_checksum:TRUE', '-T', 'fields',
      '-e', 'ip.checksum.status', '-e', 'tcp.checksum.status');
    expect(status.trim().split('\n')).toEqual(new Array(9).fill('1\t1')); // 1: Good
    const analysis = tshark(file, '-Y', 'tcp.analysis.flags');
    expect(analysis.trim()).toBe(''); // no retransmission, lost segment or bad ACK
  });

  it('encodes IPv6/UDP with a valid checksum and derives MACs for IPv6', () => {
    const seg: WireSegment = {
      timeNs: 0,
      proto: 'udp',
      src: { family: 6, addr: '2001:db8::1', port: 5353 },
      dst: { family: 6, addr: 'ff02::fb', port: 5353 },
      payload: Uint8Array.from([1, 2, 3]),
    };
    const f = Buffer.from(encodeFrame(seg, { srcMac: macFor('2001:db8::1'), dstMac: macFor('ff02::fb') }));
    expect(f.length).toBe(14 + 40 + 8 + 3);
    expect(f.readUInt16BE(12)).toBe(0x86dd);
    expect(f.readUInt16BE(14 + 4)).toBe(11); // payload length
    expect(f[14 + 6]).toBe(17);
    const udp = f.subarray(54);
    expect(udp.readUInt16BE(4)).toBe(11);
    const pseudo = Buffer.alloc(40);
    f.copy(pseudo, 0, 22, 54);
    pseudo.writeUInt32BE(11, 32);
    pseudo[39] = 17;
    const z = Buffer.from(udp);
    z.writeUInt16BE(0, 6);
    expect(udp.readUInt16BE(6)).toBe(checksum(pseudo, z));
    expect(macFor('2001:db8::1')).toEqual(macFor('2001:db8::1'));
    expect(macFor('2001:db8::1')).not.toEqual(macFor('2001:db8::2'));
    expect(macFor('2001:db8::1')[0]).toBe(0x02); // locally administered, unicast
  });

  it('splits TCP payloads larger than a frame and honours given MACs', () => {
    const file = path.join(dir, 'big.pcap');
    const w = new PcapWriter(file, { macs: { '192.0.2.1': 'aa:bb:cc:dd:ee:ff' } });
    w.segment({ timeNs: 0, proto: 'tcp', src: CLIENT, dst: BROKER, seq: 100, ack: 7, flags: 0x18, window: 1 << 20,
      payload: new Uint8Array(70000) });
    w.close();
    w.segment({ timeNs: 0, proto: 'udp', src: CLIENT, dst: BROKER, payload: new Uint8Array(1) }); // ignored
    const { records } = readPcap(file);
    expect(records).toHaveLength(2);
    const a = checkTcp4Loose(records[0]!.frame);
    const b = checkTcp4Loose(records[1]!.frame);
    expect(a.seq).toBe(100);
    expect(b.seq).toBe(100 + a.len);
    expect(a.len + b.len).toBe(70000);
    expect(a.flags).toBe(0x10); // PSH only on the last part
    expect(b.flags).toBe(0x18);
    expect(a.window).toBe(0xffff); // clamped: no window scaling in synthetic traffic
    expect([...records[0]!.frame.subarray(6, 12)]).toEqual([0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff]);
  });

  it('converts nanoseconds to seconds and microseconds', () => {
    const h = Buffer.from(pcapRecordHeader(12_345_678_999_999, 60, 60));
    expect([h.readUInt32LE(0), h.readUInt32LE(4), h.readUInt32LE(8), h.readUInt32LE(12)]).toEqual([12345, 678999, 60, 60]);
  });
});

function checkTcp4Loose(f: Buffer): { seq: number; flags: number; len: number; window: number } {
  const tcp = f.subarray(34);
  return { seq: tcp.readUInt32BE(4), flags: tcp[13]!, len: tcp.length - 20, window: tcp.readUInt16BE(14) };
}

/** The ClientHello Node's TLS sends, captured from a duplex that goes nowhere. */
async function clientHello(): Promise<Uint8Array> {
  let hello: Buffer | null = null;
  const sink = new Duplex({
    write(chunk: Buffer, _e, cb) {
      hello ??= chunk;
      cb();
    },
    read() {},
  });
  const t = tls.connect({ socket: sink, servername: 'broker.example', rejectUnauthorized: false });
  t.on('error', () => {});
  await until(() => hello !== null, 'ClientHello');
  t.destroy();
  return new Uint8Array(hello!);
}

describe('pcap of a host run', () => {
  it.skipIf(!HAVE_TSHARK)('shows MQTT and TLS records of real loopback connections', async () => {
    const file = path.join(dir, 'host.pcap');
    const w = new PcapWriter(file);
    const srv = await tcpServer((s) => s.on('data', (d: Buffer) => d[0] === 0x10 && s.write(Buffer.from(CONNACK))));
    const sink = await tcpServer((s) => s.resume());
    try {
      const clock = fakeSim();
      const hif = new HostInterface({ sim: clock.sim, tap: w });
      const rec = new Recorder();
      const c = hif.connect({ family: 4, addr: '127.0.0.1', port: srv.port }, null, rec);
      if (typeof c === 'number') throw new Error(`connect: ${c}`);
      clock.setTime(5_000_000);
      c.write(CONNECT);
      await until(() => rec.bytes === CONNACK.length, 'CONNACK');
      c.end();
      const rec2 = new Recorder();
      const c2 = hif.connect({ family: 4, addr: '127.0.0.1', port: sink.port }, null, rec2);
      if (typeof c2 === 'number') throw new Error(`connect: ${c2}`);
      c2.write(await clientHello());
      await until(() => rec2.connected === 1, 'connect');
      c2.destroy();
      c.destroy();
    } finally {
      w.close();
      await srv.close();
      await sink.close();
    }
    const mqtt = tshark(file, '-d', `tcp.port==${srv.port},mqtt`, '-Y', 'mqtt');
    expect(mqtt).toContain('Connect Command');
    expect(mqtt).toContain('Connect Ack');
    const tlsOut = tshark(file, '-d', `tcp.port==${sink.port},tls`, '-Y', 'tls');
    expect(tlsOut).toContain('Client Hello');
  });
});
