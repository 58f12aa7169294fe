/**
 * The broker side of MQTT over WebSocket (RFC 6455, subprotocol `mqtt`): an HTTP upgrade on any
 * path, then binary messages carrying the MQTT byte stream. It serves any connected byte stream,
 * so the same code answers on the simulated network (the embedded broker's port 9001, where
 * Zephyr's mqtt_publisher looks with `overlay-websocket.conf`) and on a real port
 * (`zsim broker --ws`).
 *
 * Each turn of the broker's writes leaves as one binary message. aedes writes a packet in several
 * pieces, and a message per piece would hand a client that reads one message per call (Zephyr's
 * websocket transport does) part of a packet, where mosquitto sends whole packets.
 */
import http from 'node:http';
import { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';

/** The MQTT byte stream of one websocket, as the Duplex a broker's `handle` takes. */
class MqttOverWebSocket extends Duplex {
  private out: Buffer[] = [];

  constructor(private readonly ws: WebSocket) {
    super({ allowHalfOpen: false });
    ws.on('message', (data: RawData) => {
      const chunks = Array.isArray(data) ? data : [Buffer.from(data as Buffer)];
      for (const c of chunks) this.push(c);
    });
    ws.on('close', () => this.push(null));
    ws.on('error', (e) => this.destroy(e));
  }

  override _read(): void {}

  override _write(chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    if (this.out.length === 0) process.nextTick(this.flush);
    this.out.push(chunk);
    cb();
  }

  override _final(cb: (err?: Error | null) => void): void {
    this.flush();
    this.ws.close(1000);
    cb();
  }

  override _destroy(err: Error | null, cb: (err?: Error | null) => void): void {
    this.out = [];
    this.ws.terminate();
    cb(err);
  }

  private readonly flush = (): void => {
    if (this.out.length === 0) return;
    const data = this.out.length === 1 ? this.out[0]! : Buffer.concat(this.out);
    this.out = [];
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(data, { binary: true });
  };
}

/** A websocket front for an MQTT broker. */
export interface WsMqttServer {
  /** Serves one connected byte stream: its HTTP upgrade, then MQTT. */
  accept(socket: Duplex): void;
  /** The HTTP server underneath, to `listen` on a real port. */
  readonly http: http.Server;
  close(): void;
}

/**
 * A websocket front whose MQTT streams go to `handle` (e.g. `aedes.handle`), each with the byte
 * stream it came over (the one given to `accept`).
 */
export function wsMqttServer(handle: (stream: Duplex, socket: Duplex) => void): WsMqttServer {
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (p) => (p.has('mqtt') ? 'mqtt' : false) });
  const server = http.createServer((_req, res) => {
    res.writeHead(426, { 'Content-Type': 'text/plain', Upgrade: 'websocket' });
    res.end('MQTT over WebSocket: connect with a websocket client (subprotocol mqtt)\n');
  });
  server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    wss.handleUpgrade(req, socket, head, (ws) => handle(new MqttOverWebSocket(ws), socket));
  });
  // A dropped or reset client must not become an unhandled 'error'.
  server.on('clientError', (_e, socket: Duplex) => socket.destroy());
  return {
    http: server,
    accept: (s) => {
      s.on('error', () => s.destroy());
      server.emit('connection', s);
    },
    close: () => {
      for (const c of wss.clients) c.terminate();
      wss.close();
      server.close();
    },
  };
}
