/**
 * The options `zsim pub` and `zsim sub` share (connection, will, TLS, protocol version, debug),
 * spelled as mosquitto_pub/mosquitto_sub spell them, and their validation into
 * {@link ConnOptions}. Bad values are `UsageError`s (exit code 2, zsim's convention).
 */
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import type { Argv } from 'yargs';
import { UsageError } from '../cli/errors.ts';
import {
  credentialFileBytes, TLS_CREDENTIAL_CA_CERTIFICATE, TLS_CREDENTIAL_PRIVATE_KEY, TLS_CREDENTIAL_PUBLIC_CERTIFICATE,
  type tls_credential_kind,
} from '../net/tls_credentials.ts';
import { MQTT_VERSION_3_1_0, MQTT_VERSION_3_1_1, MQTT_VERSION_5_0, type mqtt_qos, type mqtt_version } from '../net/mqtt/mqtt.ts';

/** A file for the board's TLS credential store, already read on the host. */
export interface ToolCredential {
  /** Which option named it (`--cafile`...), for messages. */
  option: string;
  file: string;
  type: tls_credential_kind;
  /** As a C array in an app would hold it (PEM gets its NUL). */
  bytes: Uint8Array;
}

/** The will message (`--will-*`). */
export interface WillOptions {
  topic: string;
  payload: Uint8Array;
  qos: mqtt_qos;
  retain: boolean;
}

/** TLS settings: the credentials go under {@link TOOL_SEC_TAG}. */
export interface TlsToolOptions {
  credentials: ToolCredential[];
  /** `--insecure`: do not check the server certificate's host name (the CA is still checked). */
  insecure: boolean;
}

/** Everything needed to open the MQTT connection. */
export interface ConnOptions {
  host: string;
  port: number;
  clientId: string;
  keepalive: number;
  cleanSession: boolean;
  username: string | null;
  password: string | null;
  will: WillOptions | null;
  tls: TlsToolOptions | null;
  version: mqtt_version;
  debug: boolean;
}

/** The sec tag the tools store `--cafile/--cert/--key` under. */
export const TOOL_SEC_TAG = 1;

/** Adds the shared options to a command. `-h` is read in `parseConnOptions` (see there). */
export function connectionOptions(y: Argv): Argv {
  return y
    .option('host', { type: 'string', describe: 'broker host (-h HOST also works, as in mosquitto); default localhost' })
    .option('port', { alias: 'p', type: 'number', describe: 'broker port; default 1883, or 8883 with TLS' })
    .option('id', { alias: 'i', type: 'string', describe: 'client id; default zsim-<tool>-<random>' })
    .option('keepalive', { alias: 'k', type: 'number', default: 60, describe: 'keep-alive interval, seconds (0: none)' })
    .option('username', { alias: 'u', type: 'string', describe: 'user name' })
    .option('pw', { alias: 'P', type: 'string', describe: 'password' })
    .option('will-topic', { type: 'string', describe: 'topic of the will message' })
    .option('will-payload', { type: 'string', describe: 'payload of the will message' })
    .option('will-qos', { type: 'number', default: 0, describe: 'QoS of the will message' })
    .option('will-retain', { type: 'boolean', default: false, describe: 'retain the will message' })
    .option('cafile', { type: 'string', describe: 'CA certificate(s) (PEM) that signed the broker\'s: enables TLS' })
    .option('cert', { type: 'string', describe: 'client certificate (PEM), with --cafile' })
    .option('key', { type: 'string', describe: 'client private key (PEM), with --cert' })
    .option('insecure', { type: 'boolean', default: false, describe: 'do not check the broker certificate\'s host name' })
    .option('protocol-version', { alias: 'V', type: 'string', default: '311', describe: 'MQTT version: 31, 311 or 5' })
    .option('debug', { alias: 'd', type: 'boolean', default: false, describe: 'print the MQTT exchange and the board\'s log on stderr' });
}

function str(a: Record<string, unknown>, name: string): string | undefined {
  const v = a[name];
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) throw new UsageError(`-${name.length === 1 ? '' : '-'}${name} given more than once`);
  return String(v);
}

/** An integer option within [min, max]. */
export function intOption(a: Record<string, unknown>, name: string, flag: string, min: number, max: number): number | undefined {
  const v = a[name];
  if (v === undefined) return undefined;
  const n = typeof v === 'number' ? v : Number(v);
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${flag} ${String(v)}: expected an integer from ${min} to ${max}`);
  return n;
}

/** A QoS option (0, 1 or 2). */
export function qosOption(a: Record<string, unknown>, name: string, flag: string): mqtt_qos {
  return (intOption(a, name, flag, 0, 2) ?? 0) as mqtt_qos;
}

function parseVersion(v: string): mqtt_version {
  switch (v.toLowerCase()) {
    case '31':
    case 'mqttv31':
      return MQTT_VERSION_3_1_0;
    case '311':
    case 'mqttv311':
      return MQTT_VERSION_3_1_1;
    case '5':
    case 'mqttv5':
      return MQTT_VERSION_5_0;
    default:
      throw new UsageError(`-V ${v}: expected 31, 311 or 5 (mqttv31, mqttv311, mqttv5)`);
  }
}

function readCredential(option: string, file: string, type: tls_credential_kind): ToolCredential {
  let data: Uint8Array;
  try {
    data = new Uint8Array(readFileSync(file));
  } catch (e) {
    throw new UsageError(`${option} ${file}: cannot read the file (${(e as NodeJS.ErrnoException).code ?? String(e)})`);
  }
  return { option, file, type, bytes: credentialFileBytes(type, data).bytes };
}

/** A random client id, like mosquitto's `mosq-XXXX`, short enough for MQTT 3.1's 23 characters. */
function defaultId(tool: string): string {
  return `zsim-${tool}-${Math.random().toString(16).slice(2, 10).padEnd(8, '0')}`;
}

/**
 * Validates the shared options. `-h HOST` cannot be declared as an option: zsim's global `-h` is
 * `--help`. With help turned off for the command, yargs hands `-h VALUE` over as `h`, a string.
 */
export function parseConnOptions(a: Record<string, unknown>, tool: 'pub' | 'sub'): ConnOptions {
  const h = a.h;
  const host = str(a, 'host') ?? (typeof h === 'string' || typeof h === 'number' ? String(h) : undefined) ?? 'localhost';
  if (host === '') throw new UsageError('-h: the host name is empty');
  const cafile = str(a, 'cafile');
  const cert = str(a, 'cert');
  const key = str(a, 'key');
  if ((cert === undefined) !== (key === undefined)) throw new UsageError('--cert and --key go together');
  if (cert !== undefined && cafile === undefined) throw new UsageError('--cert needs --cafile (TLS is enabled by --cafile)');
  if (a.insecure === true && cafile === undefined) throw new UsageError('--insecure needs --cafile');
  let tls: TlsToolOptions | null = null;
  if (cafile !== undefined) {
    const credentials = [readCredential('--cafile', cafile, TLS_CREDENTIAL_CA_CERTIFICATE)];
    if (cert !== undefined && key !== undefined) {
      credentials.push(readCredential('--cert', cert, TLS_CREDENTIAL_PUBLIC_CERTIFICATE));
      credentials.push(readCredential('--key', key, TLS_CREDENTIAL_PRIVATE_KEY));
    }
    tls = { credentials, insecure: a.insecure === true };
  }
  const port = intOption(a, 'port', '-p', 1, 65535) ?? (tls ? 8883 : 1883);
  const keepalive = intOption(a, 'keepalive', '-k', 0, 65535) ?? 60;
  const username = str(a, 'username') ?? null;
  const password = str(a, 'pw') ?? null;
  const version = parseVersion(str(a, 'protocol-version') ?? '311');
  if (password !== null && username === null && version !== MQTT_VERSION_5_0) {
    throw new UsageError('-P needs -u: MQTT 3.1.1 sends a password only with a user name');
  }
  const willTopic = str(a, 'will-topic');
  const willPayload = str(a, 'will-payload');
  if (willTopic === undefined && (willPayload !== undefined || a['will-retain'] === true)) {
    throw new UsageError('--will-payload and --will-retain need --will-topic');
  }
  const will: WillOptions | null = willTopic === undefined ? null : {
    topic: willTopic,
    payload: new TextEncoder().encode(willPayload ?? ''),
    qos: qosOption(a, 'will-qos', '--will-qos'),
    retain: a['will-retain'] === true,
  };
  if (will && /[+#]/.test(will.topic)) throw new UsageError(`--will-topic ${will.topic}: wildcards are not allowed in a topic name`);
  const id = str(a, 'id');
  if (id === '') throw new UsageError('-i: the client id is empty');
  return {
    host,
    port,
    clientId: id ?? defaultId(tool),
    keepalive,
    cleanSession: true,
    username,
    password,
    will,
    tls,
    version,
    debug: a.debug === true,
  };
}

/** Whether TLS will check the certificate against an IP address (`-h 127.0.0.1 --cafile ...`). */
export function tlsHostIsIp(c: ConnOptions): boolean {
  return c.tls !== null && !c.tls.insecure && isIP(c.host) !== 0;
}
