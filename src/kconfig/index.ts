/**
 * zsim's Kconfig engine: a TypeScript port of Kconfiglib's semantics (the
 * implementation Zephyr's build uses), plus Zephyr's fragment merge step.
 *
 * @example
 * const kconf = loadKconfig('Kconfig', { srctree: '/path/to/app' });
 * kconf.loadConfig('prj.conf', { replace: false });
 * kconf.writeConfig('build/.config');
 */
import { type Tri, typeBase } from './constants.ts';
import { Kconfig, type KconfigOptions } from './kconfig.ts';
import { parsePyInt } from './pyutil.ts';

export { Kconfig } from './kconfig.ts';
export type { KconfigOptions, KconfigWarning, PreprocessorFunction, PreprocessorVariable } from './kconfig.ts';
export { KSymbol } from './symbol.ts';
export type { DefaultProp, SelectProp, RangeProp } from './symbol.ts';
export { Choice } from './choice.ts';
export { MenuNode } from './menunode.ts';
export type { MenuItem } from './menunode.ts';
export { KconfigError, KconfigIOError } from './errors.ts';
export type { ErrorLocation } from './errors.ts';
export type { SymType, Tri, RelOp } from './constants.ts';
export { TRI_TO_STR } from './constants.ts';
export type { Expr, Operand, AndExpr, OrExpr, NotExpr, RelExpr } from './expr.ts';
export { exprStr, exprValue, splitExpr, escapeStr, unescapeStr } from './expr.ts';
export type { LoadConfigOptions } from './config_io.ts';
export type { MenuTreeNode, SymbolInfo, Location, ExprWithValue } from './introspect.ts';
export { mergeConfigs, formatDiagnostic } from './merge.ts';
export type { Diagnostic, MergeOptions, MergeResult, ExtraAssignment } from './merge.ts';
export { kconfigCommand } from './command.ts';
export type { KconfigCommandOptions, KconfigCommandResult } from './command.ts';

/** Options for {@link loadKconfig}. */
export type LoadKconfigOptions = KconfigOptions;

/**
 * Parses a Kconfig tree. `path` is relative to `srctree` (like Kconfiglib's
 * filename argument). Throws KconfigError on syntax/semantic errors and
 * dependency loops.
 */
export function loadKconfig(path: string, opts: LoadKconfigOptions = {}): Kconfig {
  return new Kconfig(path, opts);
}

/** The typed value of a symbol: boolean for bool, 0/1/2 for tristate, bigint for int/hex, string otherwise. */
export type TypedValue = boolean | 0 | 1 | 2 | bigint | string;

/** Reads a symbol's value converted to its type, or undefined for unknown names. */
export function typedValue(kconf: Kconfig, name: string): TypedValue | undefined {
  const sym = kconf.symbol(name);
  if (!sym) return undefined;
  switch (sym.origType) {
    case 'bool':
      return sym.triValue === 2;
    case 'tristate':
      return sym.triValue;
    case 'int':
    case 'hex':
      // An empty value (no default) reads as 0, like strtoll() in the C tools.
      return sym.strValue === '' ? 0n : (parsePyInt(sym.strValue, typeBase(sym.origType)) ?? sym.strValue);
    default:
      return sym.strValue;
  }
}

/**
 * Sets a symbol's user value like a .config assignment would (strings for
 * all types; "y"/"m"/"n" or 0/1/2 for bool/tristate). Returns false if the
 * value was rejected (a warning is recorded) or the symbol is undefined.
 */
export function setValue(kconf: Kconfig, name: string, value: string | Tri): boolean {
  const sym = kconf.symbol(name);
  if (!sym || sym.nodes.length === 0) return false;
  if (sym.choice && (value === 'y' || value === 2)) sym.choice.setValue(value);
  return sym.setValue(value);
}
