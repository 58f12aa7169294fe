/**
 * Exit codes and stderr messages of the pub/sub tools, as mosquitto_pub/mosquitto_sub 2.x give
 * them (checked against mosquitto 2.0.11): a refused TCP connection is `Error: Connection refused`
 * and 1; a CONNACK refusal is `Connection error: ...` and its return code (3.1.x) or reason code
 * (5.0); a TLS failure is 1, with the TLS layer's reason in words where mosquitto only says
 * "A TLS error occurred".
 */
import type { LogRecord } from '../kernel/console.ts';
import { ECONNABORTED, ECONNREFUSED, ETIMEDOUT, strerror } from '../libc/errno.ts';

/** mosquitto's `MOSQ_ERR_TIMEOUT`: mosquitto_sub's exit code when `-W` runs out. */
export const EXIT_TIMEOUT = 27;
/** mosquitto's `MOSQ_ERR_CONN_LOST`. */
export const EXIT_CONN_LOST = 7;

/** A failure to report: the exit code and the line for stderr. */
export interface ToolFailure {
  code: number;
  message: string;
}

/** `mosquitto_connack_string`: 3.1.x CONNACK return codes. */
const CONNACK_3: Readonly<Record<number, string>> = {
  1: 'Connection Refused: unacceptable protocol version.',
  2: 'Connection Refused: identifier rejected.',
  3: 'Connection Refused: broker unavailable.',
  4: 'Connection Refused: bad user name or password.',
  5: 'Connection Refused: not authorised.',
};

/** `mosquitto_reason_string` for the 5.0 reason codes a CONNACK, SUBACK or PUBACK may carry. */
const REASON_5: Readonly<Record<number, string>> = {
  16: 'No matching subscribers',
  128: 'Unspecified error',
  129: 'Malformed packet',
  130: 'Protocol error',
  131: 'Implementation specific error',
  132: 'Unsupported protocol version',
  133: 'Client identifier not valid',
  134: 'Bad username or password',
  135: 'Not authorized',
  136: 'Server unavailable',
  137: 'Server busy',
  138: 'Banned',
  140: 'Bad authentication method',
  143: 'Topic filter invalid',
  144: 'Topic name invalid',
  145: 'Packet identifier in use',
  147: 'Receive maximum exceeded',
  149: 'Packet too large',
  151: 'Quota exceeded',
  153: 'Payload format invalid',
  154: 'Retain not supported',
  155: 'QoS not supported',
  156: 'Use another server',
  157: 'Server moved',
  158: 'Shared subscriptions not supported',
  159: 'Connection rate exceeded',
  161: 'Subscription identifiers not supported',
  162: 'Wildcard subscriptions not supported',
};

/** The text of a 5.0 reason code. */
export function reasonString(code: number): string {
  return REASON_5[code] ?? `Unknown reason (${code})`;
}

/** A refused CONNACK (`return_code` != 0). */
export function connackFailure(returnCode: number, v5: boolean): ToolFailure {
  if (v5) {
    const extra = returnCode === 132 ? '. Try connecting to an MQTT v5 broker, or use MQTT v3.x mode.' : '';
    return { code: returnCode, message: `Connection error: ${reasonString(returnCode)}${extra}` };
  }
  return { code: returnCode, message: `Connection error: ${CONNACK_3[returnCode] ?? 'Connection Refused: unknown reason.'}` };
}

/**
 * The TLS layer's own explanation of the last failed handshake: it logs a line with the mbedTLS
 * code, then one in words (unknown CA, hostname mismatch...), or a credential problem.
 */
export function tlsReason(log: readonly LogRecord[]): string | null {
  for (let i = log.length - 1; i >= 0; i--) {
    const r = log[i]!;
    if (r.module === 'net_sock_tls' && r.level === 1 && !/^TLS handshake error: -0x/.test(r.message)) return r.message;
  }
  return null;
}

/** `mqtt_connect`'s negative errno, said as mosquitto says a failed connect. */
export function connectFailure(err: number, tls: boolean, log: readonly LogRecord[]): ToolFailure {
  const e = -err;
  if (tls && (e === ECONNABORTED || e === ETIMEDOUT)) {
    const why = tlsReason(log);
    if (why) return { code: 1, message: `Error: A TLS error occurred: ${why}` };
  }
  if (e === ECONNREFUSED) return { code: 1, message: 'Error: Connection refused' };
  return { code: 1, message: `Error: ${strerror(e)}` };
}

/** The connection dropped after it was up. */
export function lostFailure(err: number): ToolFailure {
  const why = err < 0 ? ` (${strerror(-err)})` : '';
  return { code: EXIT_CONN_LOST, message: `Error: The connection was lost${why}.` };
}
