/**
 * Errors raised by the Kconfig engine.
 */

/** A Kconfig syntax or semantic error (parse errors read `FILE:LINE: error: ...`). */
export class KconfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KconfigError';
  }
}

/** An I/O error while opening a Kconfig or .config file, with Kconfiglib's wording. */
export class KconfigIOError extends KconfigError {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
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
