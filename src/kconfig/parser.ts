/**
 * Kconfig parser: builds the raw menu tree (before dependency propagation)
 * from the token stream, following `source` statements. A port of
 * Kconfiglib's _parse_block()/_parse_props() and friends.
 */
import { Choice } from './choice.ts';
import { DEF_TOKEN_TO_TYPE, T, TYPE_TOKENS, type SymType } from './constants.ts';
import { KconfigError } from './errors.ts';
import { type Expr, makeAnd } from './expr.ts';
import { TokenCursor } from './expr_parser.ts';
import { sortedGlob } from './glob.ts';
import type { Kconfig } from './kconfig.ts';
import { isKeyword, isSymbolToken, tokenize } from './lexer.ts';
import { MenuNode } from './menunode.ts';
import { here, parseError } from './preprocessor.ts';
import { expandTabs, pyDirname, pyIsSpace, pyJoin, pyLstrip, pyRstrip, pyStrip } from './pyutil.ts';
import { LineReader, openReader } from './reader.ts';
import { KSymbol } from './symbol.ts';

type IncludePath = ReadonlyArray<readonly [string, number]>;

const SOURCE_TOKENS = new Set([T.SOURCE, T.RSOURCE, T.OSOURCE, T.ORSOURCE]);

/** Parses Kconfig files into the raw menu tree hanging off `kconf.topNode`. */
export class Parser extends TokenCursor {
  private reuseTokens = false;
  private reader: LineReader = new LineReader('');
  private readonly filestack: Array<[IncludePath, LineReader]> = [];
  private includePath: IncludePath = [];

  /** Parses the top-level file and everything it sources. */
  parseTop(filename: string): void {
    const kconf = this.kconf;
    this.filename = filename;
    const full = kconf.resolvePath(pyJoin(kconf.srctree, filename));
    this.reader = openReader(full, filename, (code, msg) => `Could not open '${pyJoin(kconf.srctree, filename)}' (${code}: ${msg})`);
    const last = this.parseBlock(null, kconf.topNode, kconf.topNode);
    last.next = null;
    kconf.topNode.list = kconf.topNode.next;
    kconf.topNode.next = null;
  }

  private nextLine(): boolean {
    if (this.reuseTokens) {
      this.reuseTokens = false;
      return true;
    }
    let line = this.reader.readline();
    if (!line) return false;
    this.linenr++;
    while (line.endsWith('\\\n')) {
      line = line.slice(0, -2) + this.reader.readline();
      this.linenr++;
    }
    this.tokens = tokenize(this, line);
    this.ti = 1;
    return true;
  }

  private lineAfterHelp(line: string): void {
    while (line.endsWith('\\\n')) {
      line = line.slice(0, -2) + this.reader.readline();
      this.linenr++;
    }
    this.tokens = tokenize(this, line);
    this.reuseTokens = true;
  }

  private enterFile(absFilename: string): void {
    const kconf = this.kconf;
    const rel = absFilename.startsWith(kconf.srctreePrefix) ? absFilename.slice(kconf.srctreePrefix.length) : absFilename;
    kconf.kconfigFilenames.push(rel);
    this.filestack.push([this.includePath, this.reader]);
    this.includePath = [...this.includePath, [this.filename!, this.linenr] as const];
    for (const [name] of this.includePath) {
      if (name === rel) {
        throw new KconfigError(
          `\n${this.filename}:${this.linenr}: recursive 'source' of '${rel}' detected. Check that environment variables are set correctly.\n` +
            `Include path:\n${this.includePath.map(([f, l]) => `${f}:${l}`).join('\n')}`,
          here(this),
        );
      }
    }
    this.reader = openReader(
      absFilename,
      rel,
      (code, msg) => `${this.filename}:${this.linenr}: Could not open '${absFilename}' (in '${pyStrip(this.line)}') (${code}: ${msg})`,
      here(this),
    );
    this.filename = rel;
    this.linenr = 0;
  }

  private leaveFile(): void {
    const top = this.includePath[this.includePath.length - 1]!;
    this.filename = top[0];
    this.linenr = top[1];
    [this.includePath, this.reader] = this.filestack.pop()!;
  }

  private newNode(item: MenuNode['item'], parent: MenuNode): MenuNode {
    const node = new MenuNode(this.kconf);
    node.item = item;
    node.parent = parent;
    node.filename = this.filename!;
    node.linenr = this.linenr;
    node.includePath = this.includePath;
    return node;
  }

  /** Parses statements until `endToken` (or EOF for files); returns the last node, for chaining. */
  private parseBlock(endToken: T | null, parent: MenuNode, prev: MenuNode): MenuNode {
    const kconf = this.kconf;
    while (this.nextLine()) {
      const t0 = this.tokens[0] ?? null;
      if (t0 === T.CONFIG || t0 === T.MENUCONFIG) {
        const sym = this.tokens[1] ?? null;
        if (!isSymbolToken(sym) || sym.isConstant) parseError(this, 'missing or bad symbol name');
        if (this.tokens[2] !== null) this.trailingTokensError();
        kconf.definedSyms.push(sym);
        const node = this.newNode(sym, parent);
        node.isMenuconfig = t0 === T.MENUCONFIG;
        sym.nodes.push(node);
        this.parseProps(node);
        if (node.isMenuconfig && !node.prompt) kconf.warn(`the menuconfig symbol ${sym.nameAndLoc} has no prompt`);
        prev.next = node;
        prev = node;
      } else if (t0 === null) {
        continue;
      } else if (isKeyword(t0) && SOURCE_TOKENS.has(t0)) {
        prev = this.parseSource(t0, parent, prev);
      } else if (t0 === endToken) {
        if (this.tokens[1] !== null) this.trailingTokensError();
        prev.next = null;
        return prev;
      } else if (t0 === T.IF) {
        const node = new MenuNode(kconf);
        node.parent = parent;
        node.dep = this.expectExprAndEol();
        this.parseBlock(T.ENDIF, node, node);
        node.list = node.next;
        prev.next = node;
        prev = node;
      } else if (t0 === T.MENU) {
        const node = this.newNode('menu', parent);
        node.isMenuconfig = true;
        node.prompt = [this.expectStrAndEol(), kconf.y];
        kconf.menus.push(node);
        this.parseProps(node);
        this.parseBlock(T.ENDMENU, node, node);
        node.list = node.next;
        prev.next = node;
        prev = node;
      } else if (t0 === T.COMMENT) {
        const node = this.newNode('comment', parent);
        node.prompt = [this.expectStrAndEol(), kconf.y];
        kconf.comments.push(node);
        this.parseProps(node);
        prev.next = node;
        prev = node;
      } else if (t0 === T.CHOICE) {
        let choice: Choice;
        if (this.tokens[1] === null) {
          choice = new Choice(kconf, null);
        } else {
          const name = this.expectStrAndEol();
          choice = kconf.namedChoices.get(name) ?? new Choice(kconf, name);
          kconf.namedChoices.set(name, choice);
        }
        kconf.choices.push(choice);
        const node = this.newNode(choice, parent);
        node.isMenuconfig = true;
        choice.nodes.push(node);
        this.parseProps(node);
        this.parseBlock(T.ENDCHOICE, node, node);
        node.list = node.next;
        prev.next = node;
        prev = node;
      } else if (t0 === T.MAINMENU) {
        kconf.topNode.prompt = [this.expectStrAndEol(), kconf.y];
      } else {
        parseError(
          this,
          t0 === T.ENDCHOICE
            ? "no corresponding 'choice'"
            : t0 === T.ENDIF
              ? "no corresponding 'if'"
              : t0 === T.ENDMENU
                ? "no corresponding 'menu'"
                : 'unrecognized construct',
        );
      }
    }
    if (endToken !== null) {
      const what = endToken === T.ENDCHOICE ? 'endchoice' : endToken === T.ENDIF ? 'endif' : 'endmenu';
      throw new KconfigError(`error: expected '${what}' at end of '${this.filename}'`, here(this));
    }
    return prev;
  }

  private parseSource(t0: T, parent: MenuNode, prev: MenuNode): MenuNode {
    const kconf = this.kconf;
    let pattern = this.expectStrAndEol();
    if (t0 === T.RSOURCE || t0 === T.ORSOURCE) pattern = pyJoin(pyDirname(this.filename!), pattern);
    // Sorting keeps symbol order (and so .config order) independent of directory order.
    const filenames = sortedGlob(pyJoin(kconf.srctreePrefix, pattern));
    if (filenames.length === 0 && (t0 === T.SOURCE || t0 === T.RSOURCE)) {
      throw new KconfigError(
        `${this.filename}:${this.linenr}: '${pattern}' not found (in '${pyStrip(this.line)}'). Check that environment ` +
          `variables are set correctly (e.g. $srctree, which is ${kconf.srctree ? `set to '${kconf.srctree}'` : 'unset or blank'}). ` +
          'Also note that unset environment variables expand to the empty string.',
        here(this),
      );
    }
    for (const f of filenames) {
      this.enterFile(f);
      prev = this.parseBlock(null, parent, prev);
      this.leaveFile();
    }
    return prev;
  }

  private requireSymChoice(node: MenuNode, what: string): KSymbol | Choice {
    const item = node.item;
    if (item instanceof KSymbol || item instanceof Choice) return item;
    return parseError(this, `${what} is only valid for symbols and choices`);
  }

  private requireSym(node: MenuNode, msg: string): KSymbol {
    if (node.item instanceof KSymbol) return node.item;
    return parseError(this, msg);
  }

  /** Parses the property lines following a config/menu/comment/choice line. */
  private parseProps(node: MenuNode): void {
    const kconf = this.kconf;
    node.dep = kconf.y;
    while (this.nextLine()) {
      const t0 = this.tokens[0] ?? null;
      const typ = isKeyword(t0) ? TYPE_TOKENS.get(t0) : undefined;
      const defTyp = isKeyword(t0) ? DEF_TOKEN_TO_TYPE.get(t0) : undefined;
      if (typ !== undefined) {
        this.setType(this.requireSymChoice(node, 'a type'), typ);
        if (this.tokens[1] !== null) this.parsePrompt(node);
      } else if (t0 === T.DEPENDS) {
        if (!this.checkToken(T.ON)) parseError(this, "expected 'on' after 'depends'");
        node.dep = andExpr(kconf, node.dep, this.expectExprAndEol());
      } else if (t0 === T.HELP) {
        this.requireSymChoice(node, 'help');
        this.parseHelp(node);
      } else if (t0 === T.SELECT || t0 === T.IMPLY) {
        const what = t0 === T.SELECT ? 'select' : 'imply';
        this.requireSym(node, `only symbols can ${what}`);
        const prop = [this.expectNonconstSym(), this.parseCond()] as const;
        (t0 === T.SELECT ? node.selects : node.implies).push(prop);
      } else if (t0 === null) {
        continue;
      } else if (t0 === T.DEFAULT) {
        node.defaults.push([this.parseExpr(false), this.parseCond()]);
      } else if (defTyp !== undefined) {
        this.setType(this.requireSymChoice(node, 'a type'), defTyp);
        node.defaults.push([this.parseExpr(false), this.parseCond()]);
      } else if (t0 === T.PROMPT) {
        this.requireSymChoice(node, 'prompt');
        this.parsePrompt(node);
      } else if (t0 === T.RANGE) {
        node.ranges.push([this.expectSym(), this.expectSym(), this.parseCond()]);
      } else if (t0 === T.VISIBLE) {
        if (!this.checkToken(T.IF)) parseError(this, "expected 'if' after 'visible'");
        if (node.item !== 'menu') parseError(this, "'visible if' is only valid for menus");
        node.visibility = andExpr(kconf, node.visibility, this.expectExprAndEol());
      } else if (t0 === T.OPTION) {
        this.parseOption(node);
      } else if (t0 === T.OPTIONAL) {
        if (!(node.item instanceof Choice)) parseError(this, '"optional" is only valid for choices');
        node.item.isOptional = true;
      } else {
        // Not a property: hand the line back to the block parser.
        this.reuseTokens = true;
        return;
      }
    }
  }

  private parseOption(node: MenuNode): void {
    const kconf = this.kconf;
    if (this.checkToken(T.ENV)) {
      if (!this.checkToken(T.EQUAL)) parseError(this, "expected '=' after 'env'");
      const sym = this.requireSym(node, "the 'env' option is only valid for symbols");
      const envVar = this.expectStrAndEol();
      sym.envVar = envVar;
      const val = kconf.env[envVar];
      if (Object.prototype.hasOwnProperty.call(kconf.env, envVar) && val !== undefined) {
        node.defaults.push([kconf.lookupConstSym(val), kconf.y]);
      } else {
        // The placeholders are swapped relative to intent; this is Kconfiglib's exact text.
        kconf.warn(
          `${envVar} has 'option env="${sym.name}"', but the environment variable ${sym.name} is not set`,
          this.filename,
          this.linenr,
        );
      }
      if (envVar !== sym.name) {
        kconf.warn(
          'Kconfiglib expands environment variables in strings directly, meaning you do not need ' +
            `'option env=...' "bounce" symbols. For compatibility with the C tools, rename ${sym.name} to ${envVar} ` +
            '(so that the symbol name matches the environment variable name).',
          this.filename,
          this.linenr,
        );
      }
    } else if (this.checkToken(T.DEFCONFIG_LIST)) {
      const sym = this.requireSym(node, "the 'defconfig_list' option is only valid for symbols");
      if (!kconf.defconfigList) kconf.defconfigList = sym;
      else {
        kconf.warn(
          `'option defconfig_list' set on multiple symbols (${kconf.defconfigList.name} and ${sym.name}). ` +
            `Only ${kconf.defconfigList.name} will be used.`,
          this.filename,
          this.linenr,
        );
      }
    } else if (this.checkToken(T.MODULES)) {
      if (node.item !== kconf.modules) {
        kconf.warn(
          "the 'modules' option is not supported. Let me know if this is a problem for you, as it wouldn't be " +
            'that hard to implement. Note that modules are supported -- Kconfiglib just assumes the symbol name ' +
            "MODULES, like older versions of the C implementation did when 'option modules' wasn't used.",
          this.filename,
          this.linenr,
        );
      }
    } else if (this.checkToken(T.ALLNOCONFIG_Y)) {
      this.requireSym(node, "the 'allnoconfig_y' option is only valid for symbols").isAllnoconfigY = true;
    } else {
      parseError(this, 'unrecognized option');
    }
  }

  private setType(sc: KSymbol | Choice, newType: SymType): void {
    if (sc.origType !== 'unknown' && sc.origType !== newType) {
      this.kconf.warn(`${sc.nameAndLoc} defined with multiple types, ${newType} will be used`);
    }
    sc.origType = newType;
  }

  private parsePrompt(node: MenuNode): void {
    const item = node.item as KSymbol | Choice;
    if (node.prompt) this.kconf.warn(item.nameAndLoc + ' defined with multiple prompts in single location');
    let prompt = this.tokens[1] ?? null;
    this.ti = 2;
    if (typeof prompt !== 'string') parseError(this, 'expected prompt string');
    if (prompt !== pyStrip(prompt)) {
      this.kconf.warn(item.nameAndLoc + ' has leading or trailing whitespace in its prompt');
      prompt = pyStrip(prompt);
    }
    node.prompt = [prompt, this.parseCond()];
  }

  private parseHelp(node: MenuNode): void {
    const item = node.item as KSymbol | Choice;
    if (node.help !== null) {
      this.kconf.warn(item.nameAndLoc + ' defined with more than one help text -- only the last one will be used');
    }
    let line: string;
    for (;;) {
      line = this.reader.readline();
      this.linenr++;
      if (!line) return this.emptyHelp(node, line);
      if (!pyIsSpace(line)) break;
    }
    // The first non-blank line sets the indentation; the text ends at the
    // first non-blank line indented less.
    let expline = expandTabs(line);
    const indent = expline.length - pyLstrip(expline).length;
    if (!indent) return this.emptyHelp(node, line);
    const lines = [expline.slice(indent)];
    for (;;) {
      line = this.reader.readline();
      if (pyIsSpace(line)) lines.push('\n');
      else if (!line) break;
      else {
        expline = expandTabs(line);
        if (expline.length - pyLstrip(expline).length < indent) break;
        lines.push(expline.slice(indent));
      }
    }
    this.linenr += lines.length;
    node.help = pyRstrip(lines.join(''));
    if (line) this.lineAfterHelp(line);
  }

  private emptyHelp(node: MenuNode, line: string): void {
    this.kconf.warn((node.item as KSymbol | Choice).nameAndLoc + " has 'help' but empty help text");
    node.help = '';
    if (line) this.lineAfterHelp(line);
  }
}

function andExpr(kconf: Kconfig, a: Expr, b: Expr): Expr {
  return makeAnd(a, b, kconf.y, kconf.n);
}
