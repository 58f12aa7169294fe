/** Temporary workspaces for the manifest tests. */
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const created: string[] = [];
// Registered while the importing test file is collected, so each file removes its own folders.
afterAll(() => {
  for (const d of created.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A file's content: text as is, anything else as JSON. */
export type FileContent = string | object;

/**
 * Creates a temporary folder holding `files` (relative path -> content; a path ending in `/` makes
 * an empty folder) and returns its real path (macOS's /tmp is a symlink).
 */
export function workspace(files: Record<string, FileContent>): string {
  const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'zsim-ws-')));
  created.push(dir);
  addFiles(dir, files);
  return dir;
}

/** Adds files to an existing folder. */
export function addFiles(dir: string, files: Record<string, FileContent>): void {
  for (const [rel, content] of Object.entries(files)) {
    const abs = path.join(dir, rel);
    if (rel.endsWith('/')) {
      mkdirSync(abs, { recursive: true });
      continue;
    }
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  }
}

/** `{ manifest: body }`, the shape of every manifest file. */
export function man(body: object): object {
  return { manifest: body };
}
