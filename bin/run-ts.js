#!/usr/bin/env node
// Runs a TypeScript entry point with zsim's loader (ts-hooks.js): Node 20 cannot strip types.
import './ts-register.js';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const entry = process.argv[2];
if (!entry) {
  console.error('usage: run-ts.js FILE.ts [ARGS...]');
  process.exit(2);
}
process.argv.splice(1, 1);
await import(pathToFileURL(path.resolve(entry)).href);
