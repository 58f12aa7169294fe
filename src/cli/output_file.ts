/**
 * The files commands write (`--pcap`, `--trace`, `--json`, `-o`): checked before a run starts and
 * opened so that a path that cannot be written is a usage error naming the file and the reason,
 * `FILE: cannot write: ENOENT (no such file or directory)`, never a Node stack trace.
 */
import { closeSync, createWriteStream, lstatSync, openSync, statSync, unlinkSync, writeFileSync, type WriteStream } from 'node:fs';
import { UsageError } from './errors.ts';

/** Why a node:fs call failed, as `ENOENT (no such file or directory)` (`e` from node:fs). */
export function fsErrorReason(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  // Node's messages read "ENOENT: no such file or directory, open '/x/y'".
  const why = /^[A-Z0-9_]+: ([^,]+)/.exec(err?.message ?? '')?.[1];
  return err?.code ? (why ? `${err.code} (${why})` : err.code) : String(err?.message ?? e);
}

/** The usage error for `file` that could not be opened or written (`e` from node:fs). */
export function cannotWrite(file: string, e: unknown): UsageError {
  return new UsageError(`${file}: cannot write: ${fsErrorReason(e)}`);
}

/** Runs `open(file)`; a file-system error becomes {@link cannotWrite}'s usage error. */
export function openOutput<T>(file: string, open: (file: string) => T): T {
  try {
    return open(file);
  } catch (e) {
    if ((e as NodeJS.ErrnoException)?.code) throw cannotWrite(file, e);
    throw e;
  }
}

/** A stream writing `file` (created or truncated), opened now: failing to open it throws. */
export function openOutputStream(file: string): WriteStream {
  return openOutput(file, (f) => createWriteStream(f, { fd: openSync(f, 'w') }));
}

/** Writes `file` whole. */
export function writeOutputFile(file: string, text: string): void {
  openOutput(file, (f) => writeFileSync(f, text));
}

/**
 * Checks, before a run, that each file given (by option: `{ '--pcap': a.pcap }`) can be written,
 * leaving it as it was: an existing file keeps its contents (until the run writes it), a missing
 * one is not left behind. Pipes and devices are left to the run (opening a FIFO here would block,
 * or end its reader early).
 */
export function checkOutputFiles(files: Readonly<Record<string, unknown>>): void {
  for (const [option, file] of Object.entries(files)) {
    if (file === undefined || file === null) continue;
    if (typeof file !== 'string' || file === '') throw new UsageError(`${option} needs a FILE`);
    openOutput(file, (f) => {
      let existed = true;
      try {
        const st = statSync(f);
        if (!st.isFile() && !st.isDirectory()) return;
      } catch {
        existed = false;
        // A dangling symbolic link: opening it would create its target, out of sight.
        if (lstatSync(f, { throwIfNoEntry: false })) return;
      }
      // 'a' creates a missing file and never truncates; a directory fails with EISDIR.
      closeSync(openSync(f, 'a'));
      if (!existed) unlinkSync(f);
    });
  }
}
