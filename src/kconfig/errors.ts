/**
 * Errors raised by the Kconfig engine.
 */

/** A source location. */
export interface ErrorLocation {
  readonly filename: string;
  readonly linenr: number;
}

/**
 * A Kconfig syntax or semantic error. `message` always reads
 * `FILE:LINE: error: ...` when a location is known; `kconfiglibMessage` is
 * the exact text Kconfiglib would raise (some of its messages carry no
 * location or a different prefix).
 */
export class KconfigError extends Error {
  readonly kconfiglibMessage: string;
  readonly location: ErrorLocation | undefined;

  constructor(kconfiglibMessage: string, location?: ErrorLocation) {
    super(formatError(kconfiglibMessage, location));
    this.name = 'KconfigError';
    this.kconfiglibMessage = kconfiglibMessage;
    this.location = location;
  }
}

function formatError(msg: string, loc: ErrorLocation | undefined): string {
  let body = msg.replace(/^\n+/, '');
  if (!loc) return body.startsWith('error: ') ? body : 'error: ' + body;
  const prefix = `${loc.filename}:${loc.linenr}: `;
  if (body.startsWith(prefix)) body = body.slice(prefix.length);
  if (!body.startsWith('error: ')) body = 'error: ' + body;
  return prefix + body;
}

/** An I/O error while opening a Kconfig or .config file, with Kconfiglib's wording. */
export class KconfigIOError extends KconfigError {
  constructor(
    message: string,
    readonly code: string,
    location?: ErrorLocation,
  ) {
    super(message, location);
    this.name = 'KconfigIOError';
  }
}

const STRERROR: Record<string, string> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  ELOOP: 'Too many levels of symbolic links',
};

/** The errno name and Python-style strerror() text of a Node fs error. */
export function errnoInfo(e: unknown): { code: string; strerror: string } {
  const code = (e as NodeJS.ErrnoException | undefined)?.code ?? 'EIO';
  return { code, strerror: STRERROR[code] ?? (e instanceof Error ? e.message : String(e)) };
}
