/**
 * lwIP's error codes (`lwip/err.h`): `err_t` with lwIP's numbers, and `lwip_strerr`.
 *
 * lwIP's raw and app APIs return these instead of errno values; the MQTT client's calls return
 * them and pass them to request callbacks.
 */

/** lwIP's `err_t`: 0 or one of the negative `ERR_*` values. */
export type err_t = number;

/** No error, everything OK. */
export const ERR_OK = 0;
/** Out of memory error. */
export const ERR_MEM = -1;
/** Buffer error. */
export const ERR_BUF = -2;
/** Timeout. */
export const ERR_TIMEOUT = -3;
/** Routing problem. */
export const ERR_RTE = -4;
/** Operation in progress. */
export const ERR_INPROGRESS = -5;
/** Illegal value. */
export const ERR_VAL = -6;
/** Operation would block. */
export const ERR_WOULDBLOCK = -7;
/** Address in use. */
export const ERR_USE = -8;
/** Already connecting. */
export const ERR_ALREADY = -9;
/** Connection already established. */
export const ERR_ISCONN = -10;
/** Not connected. */
export const ERR_CONN = -11;
/** Low-level netif error. */
export const ERR_IF = -12;
/** Connection aborted. */
export const ERR_ABRT = -13;
/** Connection reset. */
export const ERR_RST = -14;
/** Connection closed. */
export const ERR_CLSD = -15;
/** Illegal argument. */
export const ERR_ARG = -16;

const TEXT: Record<number, string> = {
  [ERR_OK]: 'Ok.',
  [ERR_MEM]: 'Out of memory error.',
  [ERR_BUF]: 'Buffer error.',
  [ERR_TIMEOUT]: 'Timeout.',
  [ERR_RTE]: 'Routing problem.',
  [ERR_INPROGRESS]: 'Operation in progress.',
  [ERR_VAL]: 'Illegal value.',
  [ERR_WOULDBLOCK]: 'Operation would block.',
  [ERR_USE]: 'Address in use.',
  [ERR_ALREADY]: 'Already connecting.',
  [ERR_ISCONN]: 'Already connected.',
  [ERR_CONN]: 'Not connected.',
  [ERR_IF]: 'Low-level netif error.',
  [ERR_ABRT]: 'Connection aborted.',
  [ERR_RST]: 'Connection reset.',
  [ERR_CLSD]: 'Connection closed.',
  [ERR_ARG]: 'Illegal argument.',
};

/** `lwip_strerr(err)`: lwIP's text for an `err_t`, "Unknown error." for anything else. */
export function lwip_strerr(err: err_t): string {
  return TEXT[err] ?? 'Unknown error.';
}
