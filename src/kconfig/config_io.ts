/**
 * .config reading and writing, and autoconf.h generation, matching
 * Kconfiglib's load_config(), write_config(), write_min_config() and
 * write_autoconf() byte for byte (including warnings and their locations).
 */
import { TRI_TO_STR, isBoolTri } from './constants.ts';
import { escapeStr, exprValue, unescapeStr } from './expr.ts';
import type { Kconfig } from './kconfig.ts';
import type { MenuNode } from './menunode.ts';
import { pyJoin, pyLstrip, pyRstrip } from './pyutil.ts';
import { openReader, type LineReader } from './reader.ts';
import { KSymbol } from './symbol.ts';

/** Options for loading a configuration file. */
export interface LoadConfigOptions {
  /** Clear user values not assigned by this file (default true). Zephyr merges fragments with false. */
  replace?: boolean;
  /** Name used in messages and locations (defaults to the path as given). */
  displayName?: string;
  /** Load from this text instead of reading the file. */
  text?: string;
}

function escapeRegExp(s: string): string {
  return s.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

function openConfig(kconf: Kconfig, filename: string): LineReader {
  try {
    return openReader(kconf.resolvePath(filename), filename, () => '');
  } catch {
    const srctreeMsg = kconf.srctree ? `set to '${kconf.srctree}'` : 'unset or blank';
    return openReader(
      kconf.resolvePath(pyJoin(kconf.srctree, filename)),
      filename,
      (code, msg) =>
        `Could not open '${filename}' (${code}: ${msg}). Check that the $srctree environment variable (${srctreeMsg}) is set correctly.`,
    );
  }
}

/** Kconfiglib's load_config(filename, replace). Returns its "Loaded/Merged configuration '...'" message. */
export function loadConfigFile(kconf: Kconfig, filename: string, opts: LoadConfigOptions = {}): string {
  const replace = opts.replace ?? true;
  const name = opts.displayName ?? filename;
  const lines = opts.text !== undefined ? splitConfigText(opts.text) : openConfig(kconf, filename).allLines();
  // Promptless assignments are normal in a .config, so that warning is off while loading.
  kconf.warnAssignNoPrompt = false;
  try {
    loadLines(kconf, lines, name, replace);
  } finally {
    kconf.warnAssignNoPrompt = true;
    kconf.assignmentLoc = null;
  }
  return `${replace ? 'Loaded' : 'Merged'} configuration '${name}'`;
}

function splitConfigText(text: string): string[] {
  return text.replace(/\r\n?/g, '\n').match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function loadLines(kconf: Kconfig, lines: readonly string[], filename: string, replace: boolean): void {
  if (replace) {
    kconf.missingSyms = [];
    for (const s of kconf.uniqueDefinedSyms) s.wasSet = false;
    for (const c of kconf.uniqueChoices) c.wasSet = false;
  }
  const prefix = escapeRegExp(kconf.configPrefix);
  const setRe = new RegExp(`^${prefix}([^=]+)=([^\\n]*)`);
  const unsetRe = new RegExp(`^# ${prefix}([^ ]+) is not set`);
  lines.forEach((raw, idx) => {
    const linenr = idx + 1;
    kconf.assignmentLoc = { filename, linenr };
    const line = pyRstrip(raw);
    let sym: KSymbol | undefined;
    let val: string;
    const m = setRe.exec(line);
    if (m) {
      const symName = m[1]!;
      val = m[2]!;
      sym = kconf.syms.get(symName);
      if (!sym || sym.nodes.length === 0) return undefAssign(kconf, symName, val, filename, linenr);
      if (isBoolTri(sym.origType)) {
        // Like the C tools, only the first character after '=' matters.
        const ok = sym.origType === 'bool' ? /^[yn]/.test(val) : /^[ymn]/.test(val);
        if (!ok) {
          kconf.warn(`'${val}' is not a valid value for the ${sym.origType} symbol ${sym.nameAndLoc}. Assignment ignored.`, filename, linenr);
          return;
        }
        val = val[0]!;
        if (sym.choice && val !== 'n') {
          // The choice's mode is inferred from the values given to its symbols.
          const prevMode = sym.choice.userValue;
          if (prevMode !== null && TRI_TO_STR[prevMode] !== val) {
            kconf.warn('both m and y assigned to symbols within the same choice', filename, linenr);
          }
          sym.choice.setValue(val);
        }
      } else if (sym.origType === 'string') {
        const sm = /^"((?:[^\\"\n]|\\[^\n])*)"/.exec(val);
        if (!sm) {
          kconf.warn(`malformed string literal in assignment to ${sym.nameAndLoc}. Assignment ignored.`, filename, linenr);
          return;
        }
        val = unescapeStr(sm[1]!);
      }
    } else {
      const um = unsetRe.exec(line);
      if (!um) {
        if (line && !pyLstrip(line).startsWith('#')) kconf.warn(`ignoring malformed line '${line}'`, filename, linenr);
        return;
      }
      const symName = um[1]!;
      sym = kconf.syms.get(symName);
      if (!sym || sym.nodes.length === 0) return undefAssign(kconf, symName, 'n', filename, linenr);
      if (!isBoolTri(sym.origType)) return;
      val = 'n';
    }
    if (sym.wasSet) assignedTwice(kconf, sym, val, filename, linenr);
    if (sym.setValue(val)) sym.userValueLoc = { filename, linenr };
  });
  kconf.assignmentLoc = null;
  if (replace) {
    for (const s of kconf.uniqueDefinedSyms) if (!s.wasSet) s.unsetValue();
    for (const c of kconf.uniqueChoices) if (!c.wasSet) c.unsetValue();
  }
}

function undefAssign(kconf: Kconfig, name: string, val: string, filename: string, linenr: number): void {
  kconf.missingSyms.push([name, val]);
  if (kconf.warnAssignUndef) {
    kconf.warn(`attempt to assign the value '${val}' to the undefined symbol ${name}`, filename, linenr);
  }
}

function assignedTwice(kconf: Kconfig, sym: KSymbol, newVal: string, filename: string, linenr: number): void {
  const uv = sym.userValue;
  const userVal = isBoolTri(sym.origType) ? (typeof uv === 'number' ? TRI_TO_STR[uv] : String(uv)) : String(uv);
  const msg = `${sym.nameAndLoc} set more than once. Old value "${userVal}", new value "${newVal}".`;
  if (userVal === newVal) {
    if (kconf.warnAssignRedun) kconf.warn(msg, filename, linenr);
  } else if (kconf.warnAssignOverride) {
    kconf.warn(msg, filename, linenr);
  }
}

/** Kconfiglib's _config_contents(): the .config text. */
export function configContents(kconf: Kconfig, header: string): string {
  const visited = new Set<KSymbol>();
  const chunks: string[] = [header];
  let afterEndComment = false;
  let node: MenuNode = kconf.topNode;
  for (;;) {
    if (node.list) node = node.list;
    else if (node.next) node = node.next;
    else {
      let found = false;
      while (node.parent) {
        node = node.parent;
        // '# end of' closes every visible menu.
        if (node.item === 'menu' && exprValue(node.dep) && exprValue(node.visibility) && node !== kconf.topNode) {
          chunks.push(`# end of ${node.prompt![0]}\n`);
          afterEndComment = true;
        }
        if (node.next) {
          node = node.next;
          found = true;
          break;
        }
      }
      if (!found) return chunks.join('');
    }
    const item = node.item;
    if (item instanceof KSymbol) {
      if (visited.has(item)) continue;
      visited.add(item);
      const s = item.configString;
      if (!s) continue;
      if (afterEndComment) {
        afterEndComment = false;
        chunks.push('\n');
      }
      chunks.push(s);
    } else if (exprValue(node.dep) && ((item === 'menu' && exprValue(node.visibility)) || item === 'comment')) {
      chunks.push(`\n#\n# ${node.prompt![0]}\n#\n`);
      afterEndComment = false;
    }
  }
}

/** Kconfiglib's _autoconf_contents(): the C header text. */
export function autoconfContents(kconf: Kconfig, header: string): string {
  const p = kconf.configPrefix;
  const chunks: string[] = [header];
  for (const sym of kconf.uniqueDefinedSyms) {
    let val = sym.strValue;
    if (!sym.writeToConf) continue;
    if (isBoolTri(sym.origType)) {
      if (val === 'y') chunks.push(`#define ${p}${sym.name} 1\n`);
      else if (val === 'm') chunks.push(`#define ${p}${sym.name}_MODULE 1\n`);
    } else if (sym.origType === 'string') {
      chunks.push(`#define ${p}${sym.name} "${escapeStr(val)}"\n`);
    } else {
      if (sym.origType === 'hex' && !val.startsWith('0x') && !val.startsWith('0X')) val = '0x' + val;
      chunks.push(`#define ${p}${sym.name} ${val}\n`);
    }
  }
  return chunks.join('');
}

/** Kconfiglib's _min_config_contents(): only values that differ from their defaults. */
export function minConfigContents(kconf: Kconfig, header: string): string {
  const chunks: string[] = [header];
  for (const sym of kconf.uniqueDefinedSyms) {
    // Symbols that cannot be changed (selects do not affect choice symbols).
    if (!sym.choice && sym.visibility <= exprValue(sym.revDep)) continue;
    if (sym.strValue === sym.strDefault()) continue;
    // The default selection of a mandatory bool choice is implied.
    if (
      sym.choice &&
      !sym.choice.isOptional &&
      sym.choice.selectionFromDefaults() === sym &&
      sym.origType === 'bool' &&
      sym.triValue === 2
    ) {
      continue;
    }
    chunks.push(sym.configString);
  }
  return chunks.join('');
}
