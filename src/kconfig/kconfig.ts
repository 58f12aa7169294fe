/**
 * The Kconfig tree: symbol tables, menu tree, warnings and user-facing
 * operations. Parsing happens in the constructor (see load.ts); value I/O and
 * introspection live in their own modules and are exposed here as methods.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Choice } from './choice.ts';
import { type Tri } from './constants.ts';
import { autoconfContents, configContents, loadConfigFile, minConfigContents, type LoadConfigOptions } from './config_io.ts';
import { KconfigError } from './errors.ts';
import { buildMenuTree, symbolInfo, type MenuTreeNode, type SymbolInfo } from './introspect.ts';
import { parseKconfigTree } from './load.ts';
import { MenuNode } from './menunode.ts';
import { evalExpressionString } from './expr_parser.ts';
import { KSymbol } from './symbol.ts';

/**
 * A warning produced by the engine. `filename`/`linenr` locate it when known:
 * either Kconfiglib's own location, or the .config line being loaded when
 * Kconfiglib's text has none (e.g. invalid values rejected by set_value()).
 */
export interface KconfigWarning {
  /** The message without location or "warning: " prefix. */
  readonly message: string;
  readonly filename?: string;
  readonly linenr?: number;
  /** Full text exactly as Kconfiglib formats it: `[FILE:LINE: ]warning: MESSAGE`. */
  readonly text: string;
}

/** A preprocessor variable (`FOO = ...`, `FOO := ...`). */
export interface PreprocessorVariable {
  readonly name: string;
  value: string;
  isRecursive: boolean;
  /** @internal recursion guard */
  nExpansions: number;
}

/**
 * A user-defined preprocessor function, like those Kconfiglib loads from
 * KCONFIG_FUNCTIONS (Zephyr's kconfigfunctions.py). `args[0]` is the
 * function name; the rest are the (unstripped) arguments.
 */
export interface PreprocessorFunction {
  readonly minArgs: number;
  /** Maximum number of arguments; null for no limit. */
  readonly maxArgs: number | null;
  readonly fn: (kconf: Kconfig, args: readonly string[], where: { filename: string | null; linenr: number }) => string;
}

/** Options for loading a Kconfig tree. */
export interface KconfigOptions {
  /** Environment used for `$(VAR)`, `option env=`, `$VAR` in strings and `$(shell,...)`. Defaults to process.env. */
  env?: Record<string, string | undefined>;
  /** Source tree root ($srctree). Defaults to env.srctree, else "". Relative paths resolve against `cwd`. */
  srctree?: string;
  /** Directory relative paths are resolved against. Defaults to process.cwd(). */
  cwd?: string;
  /** Record warnings (default true). */
  warn?: boolean;
  /** Called for `$(info,...)` output; Kconfiglib prints it to stdout. Defaults to collecting in `infoMessages`. */
  onInfo?: (line: string) => void;
  /** Extra preprocessor functions; they override built-ins of the same name. */
  functions?: Readonly<Record<string, PreprocessorFunction>>;
}

/** A parsed Kconfig tree with its current configuration. */
export class Kconfig {
  readonly env: Record<string, string | undefined>;
  readonly cwd: string;
  readonly srctree: string;
  /** @internal realpath($srctree) + '/', stripped from sourced paths */
  readonly srctreePrefix: string;
  /** Whether warnings are recorded at all. */
  warnEnabled: boolean;
  /** Warn on `.config` assignments to undefined symbols (Kconfiglib: KCONFIG_WARN_UNDEF_ASSIGN=y). */
  warnAssignUndef: boolean;
  /** Warn when a `.config` assigns a symbol a second time with a different value. */
  warnAssignOverride = true;
  /** Warn when a `.config` assigns a symbol a second time with the same value. */
  warnAssignRedun = true;
  /** @internal disabled while loading .config files */
  warnAssignNoPrompt = true;
  /** @internal the .config line being applied, to locate location-less warnings */
  assignmentLoc: { filename: string; linenr: number } | null = null;
  readonly warnings: KconfigWarning[] = [];
  readonly infoMessages: string[] = [];
  readonly onInfo: (line: string) => void;
  /** User-defined preprocessor functions. */
  readonly functions: Readonly<Record<string, PreprocessorFunction>>;
  readonly configPrefix: string;
  readonly configHeader: string;
  readonly headerHeader: string;

  /** Every non-constant symbol ever referenced, by name (insertion ordered). */
  readonly syms = new Map<string, KSymbol>();
  /** Constant symbols (n, m, y and quoted values). */
  readonly constSyms = new Map<string, KSymbol>();
  /** Defined symbols in definition order, with repeats for multiple definitions. */
  readonly definedSyms: KSymbol[] = [];
  uniqueDefinedSyms: KSymbol[] = [];
  /** `[name, value]` for every .config assignment to an undefined symbol. */
  missingSyms: Array<[string, string]> = [];
  readonly namedChoices = new Map<string, Choice>();
  readonly choices: Choice[] = [];
  uniqueChoices: Choice[] = [];
  readonly menus: MenuNode[] = [];
  readonly comments: MenuNode[] = [];
  readonly variables = new Map<string, PreprocessorVariable>();
  /** Files parsed, relative to $srctree where possible. */
  readonly kconfigFilenames: string[] = [];
  /** Environment variables referenced via `$(VAR)`. */
  readonly envVars = new Set<string>();
  /** @internal false after parsing: lookups no longer register new symbols */
  parsingKconfigs = true;

  readonly n: KSymbol;
  readonly m: KSymbol;
  readonly y: KSymbol;
  readonly modules: KSymbol;
  defconfigList: KSymbol | null = null;
  readonly topNode: MenuNode;

  /** Parses `filename` (relative to $srctree) and everything it sources. Throws KconfigError on errors. */
  constructor(filename = 'Kconfig', opts: KconfigOptions = {}) {
    this.env = { ...(opts.env ?? process.env) };
    this.cwd = opts.cwd ?? process.cwd();
    this.srctree = opts.srctree ?? this.env['srctree'] ?? '';
    if (opts.srctree !== undefined) this.env['srctree'] = opts.srctree;
    this.srctreePrefix = realpathLoose(path.resolve(this.cwd, this.srctree)) + '/';
    this.warnEnabled = opts.warn ?? true;
    this.warnAssignUndef = this.env['KCONFIG_WARN_UNDEF_ASSIGN'] === 'y';
    this.configPrefix = this.env['CONFIG_'] ?? 'CONFIG_';
    this.configHeader = this.env['KCONFIG_CONFIG_HEADER'] ?? '';
    this.headerHeader = this.env['KCONFIG_AUTOHEADER_HEADER'] ?? '';
    this.onInfo = opts.onInfo ?? ((line) => void this.infoMessages.push(line));
    this.functions = opts.functions ?? {};

    const mk = (name: 'n' | 'm' | 'y', n?: KSymbol): KSymbol => {
      const s = new KSymbol(this, name, true, n);
      s.origType = 'tristate';
      s.cachedTri = name === 'n' ? 0 : name === 'm' ? 1 : 2;
      this.constSyms.set(name, s);
      return s;
    };
    this.n = mk('n');
    this.m = mk('m', this.n);
    this.y = mk('y', this.n);
    this.modules = this.lookupSym('MODULES');

    this.topNode = new MenuNode(this);
    this.topNode.item = 'menu';
    this.topNode.isMenuconfig = true;
    this.topNode.prompt = ['Main menu', this.y];
    this.topNode.filename = filename;
    this.topNode.linenr = 1;
    this.kconfigFilenames.push(filename);

    parseKconfigTree(this, filename);
  }

  /** The `mainmenu` text, or "Main menu". */
  get mainmenuText(): string {
    return this.topNode.prompt![0];
  }

  /** @internal Resolves a path the way Python's open() would from `cwd`. */
  resolvePath(p: string): string {
    return path.resolve(this.cwd, p);
  }

  /** @internal Kconfiglib's _warn(). */
  warn(msg: string, filename?: string | null, linenr?: number | null): void {
    if (!this.warnEnabled) return;
    const hasLoc = filename !== undefined && filename !== null;
    const text = (hasLoc ? `${filename}:${linenr}: ` : '') + 'warning: ' + msg;
    if (hasLoc) this.warnings.push({ message: msg, filename, linenr: linenr ?? 0, text });
    else if (this.assignmentLoc) this.warnings.push({ message: msg, ...this.assignmentLoc, text });
    else this.warnings.push({ message: msg, text });
  }

  /** @internal Fetches or registers a non-constant symbol. */
  lookupSym(name: string): KSymbol {
    const existing = this.syms.get(name);
    if (existing) return existing;
    const sym = new KSymbol(this, name, false, this.n);
    if (this.parsingKconfigs) this.syms.set(name, sym);
    else this.warn(`no symbol ${name} in configuration`);
    return sym;
  }

  /** @internal Fetches or registers a constant (quoted) symbol. */
  lookupConstSym(name: string): KSymbol {
    const existing = this.constSyms.get(name);
    if (existing) return existing;
    const sym = new KSymbol(this, name, true, this.n);
    if (this.parsingKconfigs) this.constSyms.set(name, sym);
    return sym;
  }

  /** @internal */
  invalidateAll(): void {
    for (const s of this.uniqueDefinedSyms) s.invalidate();
    for (const c of this.uniqueChoices) c.invalidate();
  }

  /** A defined or referenced symbol by name (without CONFIG_ prefix). */
  symbol(name: string): KSymbol | undefined {
    return this.syms.get(name);
  }

  /** A named choice. */
  choice(name: string): Choice | undefined {
    return this.namedChoices.get(name);
  }

  /** Evaluates an expression string such as `FOO && BAR = "x"` to a tristate. */
  evalString(s: string): Tri {
    return evalExpressionString(this, s);
  }

  /**
   * Loads a .config or fragment. With `replace` (default true) all other user
   * values are cleared first; pass false to merge, as Zephyr does.
   */
  loadConfig(filename: string, opts: LoadConfigOptions = {}): string {
    return loadConfigFile(this, filename, opts);
  }

  /** Removes every user value. */
  unsetValues(): void {
    this.warnAssignNoPrompt = false;
    try {
      for (const s of this.uniqueDefinedSyms) s.unsetValue();
      for (const c of this.uniqueChoices) c.unsetValue();
    } finally {
      this.warnAssignNoPrompt = true;
    }
  }

  /** The .config text Kconfiglib's write_config() would produce. */
  configText(header?: string): string {
    return configContents(this, header ?? this.configHeader);
  }

  /** The autoconf.h text Kconfiglib's write_autoconf() would produce. */
  autoconfText(header?: string): string {
    return autoconfContents(this, header ?? this.headerHeader);
  }

  /** The minimal configuration text (write_min_config()). */
  minConfigText(header?: string): string {
    return minConfigContents(this, header ?? this.configHeader);
  }

  /** Writes the .config, keeping the previous file as FILE.old like Kconfiglib (unless unchanged). */
  writeConfig(filename: string, opts: { header?: string; saveOld?: boolean } = {}): string {
    const file = this.resolvePath(filename);
    const contents = this.configText(opts.header);
    if (contentsEqual(file, contents)) return `No change to configuration in '${filename}'`;
    if (opts.saveOld ?? true) {
      try {
        fs.renameSync(file, file + '.old');
      } catch {
        // A missing or unmovable old file is not worth failing over.
      }
    }
    fs.writeFileSync(file, contents);
    return `Configuration saved to '${filename}'`;
  }

  /** Writes autoconf.h, leaving an identical existing file untouched. */
  writeAutoconf(filename: string, opts: { header?: string } = {}): string {
    const file = this.resolvePath(filename);
    const contents = this.autoconfText(opts.header);
    if (contentsEqual(file, contents)) return `No change to Kconfig header in '${filename}'`;
    fs.writeFileSync(file, contents);
    return `Kconfig header saved to '${filename}'`;
  }

  /** Writes a minimal configuration (only values differing from defaults). */
  writeMinConfig(filename: string, opts: { header?: string } = {}): string {
    const file = this.resolvePath(filename);
    const contents = this.minConfigText(opts.header);
    if (contentsEqual(file, contents)) return `No change to minimal configuration in '${filename}'`;
    fs.writeFileSync(file, contents);
    return `Minimal configuration saved to '${filename}'`;
  }

  /** Iterates over all menu nodes in definition order, skipping the top node. */
  *nodeIter(uniqueSyms = false): Generator<MenuNode> {
    const seen = new Set<KSymbol>();
    let node: MenuNode = this.topNode;
    for (;;) {
      if (node.list) node = node.list;
      else if (node.next) node = node.next;
      else {
        let found = false;
        while (node.parent) {
          node = node.parent;
          if (node.next) {
            node = node.next;
            found = true;
            break;
          }
        }
        if (!found) return;
      }
      if (uniqueSyms && node.item instanceof KSymbol) {
        if (seen.has(node.item)) continue;
        seen.add(node.item);
      }
      yield node;
    }
  }

  /** The menu tree in a plain-data form for UIs (menuconfig). */
  menuTree(): MenuTreeNode {
    return buildMenuTree(this);
  }

  /** Everything about one symbol: value, origin of the user value, dependencies with values, help. */
  symbolInfo(name: string): SymbolInfo | undefined {
    return symbolInfo(this, name);
  }
}

function realpathLoose(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return p;
  }
}

function contentsEqual(file: string, contents: string): boolean {
  try {
    return fs.readFileSync(file, 'utf8') === contents;
  } catch {
    return false;
  }
}

export { KconfigError };
