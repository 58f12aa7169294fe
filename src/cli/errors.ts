/** Errors the CLI reports as "zsim: error: ..." with exit code 2 (bad usage or bad input). */
import { BuildError } from '../build/app.ts';
import { BoardError } from '../build/boards.ts';

/** A command-line usage error. */
export class UsageError extends Error {}

const inputErrors: (abstract new (...args: never[]) => Error)[] = [UsageError, BuildError, BoardError];

/** Lets a subsystem register its own input-error class (Kconfig, manifest, ...). */
export function registerInputError(cls: abstract new (...args: never[]) => Error): void {
  inputErrors.push(cls);
}

export function isInputError(e: unknown): e is Error {
  return inputErrors.some((c) => e instanceof c);
}
