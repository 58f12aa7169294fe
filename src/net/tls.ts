/**
 * TLS sockets (`IPPROTO_TLS_1_2`, `IPPROTO_TLS_1_3`): node:tls does the cryptography over the
 * socket's TCP stream, whichever backend carries it, with the credentials of the socket's sec tags
 * (`TLS_SEC_TAG_LIST`). A failed handshake gives the errno Zephyr's `sockets_tls.c` gives
 * (`ECONNABORTED`, or `ETIMEDOUT`) and logs why in words: unknown CA, hostname mismatch, expired
 * certificate, missing client certificate, PSK mismatch. No secret is ever logged.
 */
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import { ECONNABORTED, ETIMEDOUT } from '../libc/errno.ts';
import type { StreamConn } from './conn.ts';
import { streamFromDuplex } from './host/stream.ts';
import type { NetContext, TlsOptions } from './net_context.ts';
import { IPPROTO_TLS_1_2, IPPROTO_TLS_1_3 } from './net_ip.ts';
import { TLS_PEER_VERIFY_NONE, TLS_PEER_VERIFY_OPTIONAL } from './socket_consts.ts';
import { isTls13Suite, suiteId, suiteName } from './tls_ciphers.ts';
import { credentialsForTags } from './tls_credentials.ts';

/** mbedTLS codes Zephyr logs for these failures. */
const MBEDTLS_ERR_X509_CERT_VERIFY_FAILED = 0x2700;
const MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE = 0x7780;
const MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE = 0x6a80;
const MBEDTLS_ERR_SSL_CONN_EOF = 0x7280;

/** Turns a StreamConn into the Node duplex node:tls needs (set by the backends that have one). */
export type DuplexAdapter = (conn: StreamConn, ctx: NetContext) => Duplex | null;
const adapters: DuplexAdapter[] = [(conn) => ((conn as { duplex?: Duplex }).duplex ?? null)];

/** Lets a backend (the simulated network) say how its streams become Node duplexes. */
export function registerDuplexAdapter(a: DuplexAdapter): void {
  adapters.unshift(a);
}

/**
 * A stream that wraps the backend's stream to watch it (the fleet's wire tap, `src/fleet/wire.ts`).
 * TLS runs over `tlsInner()`, the backend's stream; once the handshake succeeded, `tlsSecured`
 * gets the clear stream and returns what the socket uses instead (the wrapper, now over it).
 */
export interface TlsLayeredStream {
  tlsInner(): StreamConn;
  tlsSecured(clear: StreamConn): StreamConn;
}

function layered(conn: StreamConn): (StreamConn & TlsLayeredStream) | null {
  const c = conn as StreamConn & Partial<TlsLayeredStream>;
  return typeof c.tlsInner === 'function' && typeof c.tlsSecured === 'function' ? (c as StreamConn & TlsLayeredStream) : null;
}

interface Reason {
  mbedtls: number;
  words: string;
  errno: number;
}

/** Explains a node:tls failure the way a developer debugging a device needs it. */
export function explainTlsError(err: unknown, opts: TlsOptions, hadCert: boolean): Reason {
  const e = err as { code?: string; message?: string; reason?: string };
  const code = e.code ?? '';
  const msg = e.message ?? String(err);
  const tags = opts.secTags.length ? `sec tag(s) ${opts.secTags.join(', ')}` : 'no sec tags (TLS_SEC_TAG_LIST is empty)';
  const verify = (words: string): Reason => ({ mbedtls: MBEDTLS_ERR_X509_CERT_VERIFY_FAILED, words, errno: ECONNABORTED });
  const alert = (words: string): Reason => ({ mbedtls: MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE, words, errno: ECONNABORTED });
  switch (code) {
    case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
    case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
    case 'UNABLE_TO_GET_ISSUER_CERT':
    case 'SELF_SIGNED_CERT_IN_CHAIN':
    case 'DEPTH_ZERO_SELF_SIGNED_CERT':
    case 'CERT_SIGNATURE_FAILURE':
      return verify(`certificate verify failed: unknown CA (the server's certificate is not signed by a CA certificate in ${tags})`);
    case 'ERR_TLS_CERT_ALTNAME_INVALID':
      return verify(`certificate verify failed: hostname mismatch (TLS_HOSTNAME '${opts.hostname}' is not in the server certificate: ${e.reason ?? msg})`);
    case 'CERT_HAS_EXPIRED':
      return verify('certificate verify failed: expired certificate (the server certificate is past its notAfter date)');
    case 'CERT_NOT_YET_VALID':
      return verify('certificate verify failed: the server certificate is not valid yet (notBefore is in the future)');
    case 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED':
      return alert(`no client certificate: the server requires one (add a PUBLIC_CERTIFICATE and its PRIVATE_KEY under ${tags})`);
    case 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE':
      return hadCert || opts.secTags.length === 0
        ? { mbedtls: MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE, words: 'handshake failure: the server accepted no offered cipher suite or credential', errno: ECONNABORTED }
        : alert(`no client certificate: the server requires one (add a PUBLIC_CERTIFICATE and its PRIVATE_KEY under ${tags})`);
    case 'ERR_SSL_TLSV1_ALERT_UNKNOWN_CA':
    case 'ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE':
      return alert('the server rejected the client certificate (unknown CA or bad certificate)');
    case 'ERR_SSL_SSLV3_ALERT_BAD_RECORD_MAC':
    case 'ERR_SSL_TLSV1_ALERT_DECRYPT_ERROR':
    case 'ERR_SSL_DECRYPTION_FAILED_OR_BAD_RECORD_MAC':
    case 'ERR_SSL_BAD_RECORD_MAC':
      return alert('PSK mismatch: the server could not verify the handshake with this PSK (wrong key or identity)');
    case 'ERR_SSL_TLSV1_ALERT_UNKNOWN_PSK_IDENTITY':
      return alert('PSK mismatch: the server does not know this PSK identity');
    case 'ECONNRESET':
    case 'ERR_SSL_UNEXPECTED_EOF_WHILE_READING':
      return { mbedtls: MBEDTLS_ERR_SSL_CONN_EOF, words: 'the server closed the connection during the handshake', errno: ECONNABORTED };
    default:
      if (/wrong version number|unsupported protocol|no protocols available/i.test(msg)) {
        return alert(`protocol version mismatch: ${msg}`);
      }
      return { mbedtls: MBEDTLS_ERR_SSL_HANDSHAKE_FAILURE, words: `handshake failed: ${msg}`, errno: ECONNABORTED };
  }
}

function versionsOf(opts: TlsOptions): { minVersion: tls.SecureVersion; maxVersion: tls.SecureVersion } {
  if (opts.version === IPPROTO_TLS_1_3) return { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' };
  if (opts.version === IPPROTO_TLS_1_2) return { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2' };
  return { minVersion: 'TLSv1', maxVersion: 'TLSv1.2' };
}

/**
 * Starts TLS on a socket whose TCP stream just connected; calls `done(0)` once the handshake
 * succeeded (the socket's stream is then the TLS one) or `done(-errno)`.
 */
export function startTls(ctx: NetContext, done: (err: number) => void): void {
  const k = ctx.kernel;
  const opts = ctx.tls!;
  const wrapper = layered(ctx.conn!);
  const tcp = wrapper ? wrapper.tlsInner() : ctx.conn!;
  const fail = (r: Reason): void => {
    k.log(1, 'net_sock_tls', `TLS handshake error: -0x${r.mbedtls.toString(16)}`);
    k.log(1, 'net_sock_tls', r.words);
    done(-r.errno);
  };
  const creds = credentialsForTags(k, opts.secTags);
  if (creds.failure) {
    k.log(1, 'net_sock_tls', `TLS credentials of sec tag(s) ${opts.secTags.join(', ')} cannot be used: ${creds.failure}`);
    done(-ECONNABORTED);
    return;
  }
  let duplex: Duplex | null = null;
  for (const a of adapters) if ((duplex = a(tcp, ctx))) break;
  if (!duplex) {
    k.log(1, 'net_sock_tls', 'TLS is not available over this network backend');
    done(-ECONNABORTED);
    return;
  }
  const verify = opts.peerVerify ?? 2;
  const suites = opts.ciphersuites.map(suiteName).filter((n): n is string => !!n);
  const { minVersion, maxVersion } = versionsOf(opts);
  const options: tls.ConnectionOptions = {
    socket: duplex,
    ca: creds.ca.length ? creds.ca : undefined,
    cert: creds.cert,
    key: creds.key,
    servername: opts.hostname ?? undefined,
    rejectUnauthorized: verify !== TLS_PEER_VERIFY_NONE && verify !== TLS_PEER_VERIFY_OPTIONAL,
    // Zephyr checks the host name only when TLS_HOSTNAME was set.
    checkServerIdentity: opts.hostname === null ? () => undefined : tls.checkServerIdentity,
    ALPNProtocols: opts.alpn.length ? opts.alpn : undefined,
    minVersion,
    maxVersion,
  };
  if (creds.psk) {
    const psk = creds.psk;
    options.pskCallback = () => ({ psk: psk.key, identity: psk.identity });
    options.maxVersion = 'TLSv1.2';
    if (options.minVersion === 'TLSv1.3') options.minVersion = 'TLSv1.2';
    options.ciphers = suites.filter((s) => s.startsWith('PSK')).join(':') || 'PSK-AES128-GCM-SHA256:PSK-AES256-GCM-SHA384:PSK-CHACHA20-POLY1305:PSK-AES128-CBC-SHA256';
    options.checkServerIdentity = () => undefined;
  } else if (suites.length) {
    const t12 = opts.ciphersuites.filter((id) => !isTls13Suite(id)).map(suiteName).filter(Boolean);
    const t13 = opts.ciphersuites.filter(isTls13Suite).map(suiteName).filter(Boolean);
    if (t12.length) options.ciphers = t12.join(':');
    if (t13.length) (options as { ciphersuites?: string }).ciphersuites = t13.join(':');
  }
  let settled = false;
  let sock: tls.TLSSocket;
  try {
    sock = tls.connect(options);
  } catch (e) {
    fail(explainTlsError(e, opts, !!creds.cert));
    return;
  }
  const timeoutMs = k.cfgInt('NET_SOCKETS_TLS_HANDSHAKE_TIMEOUT') || 0;
  sock.once('secureConnect', () => {
    if (settled) return;
    settled = true;
    if (!sock.authorized && verify === TLS_PEER_VERIFY_OPTIONAL) {
      k.log(2, 'net_sock_tls', `peer certificate not verified (TLS_PEER_VERIFY_OPTIONAL): ${String(sock.authorizationError)}`);
    }
    opts.ciphersuiteUsed = suiteId(sock.getCipher()?.standardName) || suiteId(sock.getCipher()?.name);
    const conn = streamFromDuplex(sock, tcp.local, tcp.remote, { sendBuffer: ctx.sndbuf });
    ctx.conn = withHostTurns(wrapper ? wrapper.tlsSecured(conn) : conn, ctx);
    ctx.conn.setEvents(ctx.streamEvents());
    done(0);
  });
  sock.once('error', (e) => {
    if (settled) return;
    settled = true;
    sock.destroy();
    fail(explainTlsError(e, opts, !!creds.cert));
  });
  sock.once('close', () => {
    if (settled) return;
    settled = true;
    fail({ mbedtls: MBEDTLS_ERR_SSL_CONN_EOF, words: 'the server closed the connection during the handshake', errno: ECONNABORTED });
  });
  if (timeoutMs > 0) {
    setTimeout(() => {
      if (settled) return;
      settled = true;
      sock.destroy();
      fail({ mbedtls: 0x6800, words: `handshake timed out after ${timeoutMs} ms`, errno: ETIMEDOUT });
    }, timeoutMs).unref();
  }
}

/**
 * node:tls encrypts what the board writes in later Node callbacks. In virtual time the
 * simulation must not move on before that ciphertext reaches the network, so each write holds
 * the simulation for a couple of event-loop turns.
 */
function withHostTurns(conn: StreamConn, ctx: NetContext): StreamConn {
  const host = ctx.kernel.host;
  if (host.clock.realtime) return conn;
  const write = conn.write.bind(conn);
  conn.write = (data: Uint8Array): number => {
    const n = write(data);
    if (n > 0) {
      const release = host.beginHostIo();
      setImmediate(() => setImmediate(release));
    }
    return n;
  };
  return conn;
}
