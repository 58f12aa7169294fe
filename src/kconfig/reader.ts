/**
 * Reading Kconfig and .config files the way Python's text mode does
 * (UTF-8, universal newlines, readline() returning "" at EOF), plus the
 * include stack that `source` statements push onto.
 */
import fs from 'node:fs';
import { type ErrorLocation, KconfigError, KconfigIOError, errnoInfo } from './errors.ts';

/** Sequential line reader over a file's contents; lines keep their "\n". */
export class LineReader {
  private pos = 0;
  private readonly lines: string[];

  constructor(text: string) {
    const norm = text.replace(/\r\n?/g, '\n');
    this.lines = norm.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  }

  /** The next line, or "" at end of file (repeatedly). */
  readline(): string {
    return this.pos < this.lines.length ? this.lines[this.pos++]! : '';
  }

  /** All lines (for .config loading). */
  allLines(): readonly string[] {
    return this.lines;
  }
}

/** Reads and decodes a text file; throws the raw fs error on failure. */
export function readTextFile(absPath: string, displayName: string): string {
  const buf = fs.readFileSync(absPath);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(buf);
  } catch {
    throw new KconfigError(`\nMalformed utf-8 in '${displayName}'`);
  }
}

/** Opens a file as a LineReader, turning fs errors into a KconfigIOError built by `describe`. */
export function openReader(
  absPath: string,
  displayName: string,
  describe: (code: string, strerror: string) => string,
  location?: ErrorLocation,
): LineReader {
  let text: string;
  try {
    text = readTextFile(absPath, displayName);
  } catch (e) {
    if (e instanceof KconfigError) throw e;
    const { code, strerror } = errnoInfo(e);
    throw new KconfigIOError(describe(code, strerror), code, location);
  }
  return new LineReader(text);
}
