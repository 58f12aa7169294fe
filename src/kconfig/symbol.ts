/**
 * Kconfig symbols and their value calculation. Values are computed lazily
 * and cached, with the same invalidation scheme as Kconfiglib: warnings are
 * emitted as a side effect of (re)computing a value, so caching decides how
 * often and in which order they appear.
 */
import { type SymType, type Tri, TRI_TO_STR, isBoolTri, isIntHex, strToTri, typeBase } from './constants.ts';
import { type Expr, escapeStr, exprStr, exprValue, splitExpr } from './expr.ts';
import type { Choice } from './choice.ts';
import type { Kconfig } from './kconfig.ts';
import type { MenuNode } from './menunode.ts';
import { isBaseN, parsePyInt, pyHex } from './pyutil.ts';
import { computeVisibility, locsStr } from './visibility.ts';

/** A `(value, condition)` default. */
export type DefaultProp = readonly [value: Expr, cond: Expr];
/** A `(target, condition)` select or imply. */
export type SelectProp = readonly [target: KSymbol, cond: Expr];
/** A `(low, high, condition)` range. */
export type RangeProp = readonly [low: KSymbol, high: KSymbol, cond: Expr];

/** A Kconfig symbol (defined, undefined, or constant such as `y` or `"foo"`). */
export class KSymbol {
  readonly kind = 'symbol' as const;
  /** Type as declared (tristate stays tristate even without modules). */
  origType: SymType = 'unknown';
  /** Menu nodes, one per definition location. Empty for undefined/constant symbols. */
  readonly nodes: MenuNode[] = [];
  defaults: DefaultProp[] = [];
  selects: SelectProp[] = [];
  implies: SelectProp[] = [];
  ranges: RangeProp[] = [];
  /** User value: a tristate for bool/tristate symbols, a string otherwise; null when unset. */
  userValue: Tri | string | null = null;
  /** The choice this symbol belongs to, if any. */
  choice: Choice | null = null;
  /** Environment variable from `option env=`, if any. */
  envVar: string | null = null;
  isAllnoconfigY = false;
  /** OR of the dependencies of every definition location. */
  directDep: Expr;
  /** Reverse dependencies from `select`. */
  revDep: Expr;
  /** Weak reverse dependencies from `imply`. */
  weakRevDep: Expr;

  /** @internal where the current user value came from, for symbolInfo(). */
  userValueLoc: { filename: string; linenr: number } | null = null;
  /** @internal */ cachedStr: string | null = null;
  /** @internal */ cachedTri: Tri | null = null;
  /** @internal */ cachedVis: Tri | null = null;
  /** @internal */ cachedAssignable: Tri[] | null = null;
  /** @internal */ wasSet = false;
  /** @internal */ writeToConf = false;
  /** @internal items whose value may change when this symbol's value changes */
  readonly dependents = new Set<KSymbol | Choice>();
  /** @internal traversal mark for dependency-loop detection and writers */
  visited: 0 | 1 | 2 = 0;

  constructor(
    readonly kconfig: Kconfig,
    readonly name: string,
    readonly isConstant: boolean,
    nSym?: KSymbol,
  ) {
    const n = nSym ?? this;
    this.directDep = this.revDep = this.weakRevDep = n;
  }

  /** Effective type: tristate degrades to bool without modules or inside a y-mode choice. */
  get type(): SymType {
    if (this.origType === 'tristate' && ((this.choice && this.choice.triValue === 2) || !this.kconfig.modules.triValue)) {
      return 'bool';
    }
    return this.origType;
  }

  /** `name (defined at FILE:LINE, ...)`, as in Kconfiglib messages. */
  get nameAndLoc(): string {
    return this.name + ' ' + locsStr(this);
  }

  /** Every definition in Kconfig syntax, with parent dependencies folded into `depends on`. */
  toString(): string {
    return this.nodes.map((n) => n.toString()).join('\n\n');
  }

  /** Visibility: the upper bound on the value a user can give the symbol. */
  get visibility(): Tri {
    if (this.cachedVis === null) this.cachedVis = computeVisibility(this);
    return this.cachedVis;
  }

  /** The value as a string ("n"/"m"/"y" for bool/tristate). */
  get strValue(): string {
    if (this.cachedStr !== null) return this.cachedStr;
    if (isBoolTri(this.origType)) {
      this.cachedStr = TRI_TO_STR[this.triValue];
      return this.cachedStr;
    }
    // Undefined symbols evaluate to their own name, which is what makes
    // comparisons such as FOO = bar work.
    if (this.origType === 'unknown') {
      this.cachedStr = this.name;
      return this.name;
    }
    let val = '';
    const vis = this.visibility;
    this.writeToConf = vis !== 0;
    if (isIntHex(this.origType)) val = this.numValue(vis);
    else val = this.stringValue(vis);
    if (this.envVar !== null || this === this.kconfig.defconfigList) this.writeToConf = false;
    this.cachedStr = val;
    return val;
  }

  private activeRange(base: 10 | 16): [bigint, bigint] | null {
    for (const [lowSym, highSym, cond] of this.ranges) {
      if (exprValue(cond)) {
        // Unparsable bounds count as 0, like strtoll() on garbage in the C tools.
        const low = parsePyInt(lowSym.strValue, base) ?? 0n;
        const high = parsePyInt(highSym.strValue, base) ?? 0n;
        return [low, high];
      }
    }
    return null;
  }

  private numValue(vis: Tri): string {
    const base = typeBase(this.origType) as 10 | 16;
    const num2str = (v: bigint): string => (base === 10 ? v.toString() : pyHex(v));
    const range = this.activeRange(base);
    let val = '';
    if (vis && this.userValue) {
      const userVal = parsePyInt(this.userValue as string, base)!;
      if (range && !(range[0] <= userVal && userVal <= range[1])) {
        this.kconfig.warn(
          `user value ${num2str(userVal)} on the ${this.origType} symbol ${this.nameAndLoc} ignored due to ` +
            `being outside the active range ([${num2str(range[0])}, ${num2str(range[1])}]) -- falling back on defaults`,
        );
      } else {
        return this.userValue as string;
      }
    }
    let hasDefault = false;
    let valNum = 0n;
    for (const [sym, cond] of this.defaults) {
      if (exprValue(cond)) {
        hasDefault = this.writeToConf = true;
        val = (sym as KSymbol).strValue;
        valNum = parsePyInt(val, base) ?? 0n;
        break;
      }
    }
    if (range) {
      let clamp: bigint | null = null;
      if (valNum < range[0]) clamp = range[0];
      else if (valNum > range[1]) clamp = range[1];
      if (clamp !== null) {
        val = this.origType === 'int' ? clamp.toString() : pyHex(clamp);
        if (hasDefault) {
          this.kconfig.warn(
            `default value ${valNum.toString()} on ${this.nameAndLoc} clamped to ${num2str(clamp)} due to ` +
              `being outside the active range ([${num2str(range[0])}, ${num2str(range[1])}])`,
          );
        }
      }
    }
    return val;
  }

  private stringValue(vis: Tri): string {
    if (vis && this.userValue !== null) return this.userValue as string;
    for (const [sym, cond] of this.defaults) {
      if (exprValue(cond)) {
        this.writeToConf = true;
        return (sym as KSymbol).strValue;
      }
    }
    return '';
  }

  /** The value as a tristate (always n for non-bool/tristate symbols). */
  get triValue(): Tri {
    if (this.cachedTri !== null) return this.cachedTri;
    if (!isBoolTri(this.origType)) {
      if (this.origType !== 'unknown') {
        this.kconfig.warn(
          `The ${this.origType} symbol ${this.nameAndLoc} is being evaluated in a logical context somewhere. It will always evaluate to n.`,
        );
      }
      this.cachedTri = 0;
      return 0;
    }
    const vis = this.visibility;
    this.writeToConf = vis !== 0;
    let val: Tri = 0;
    if (!this.choice) {
      if (vis && this.userValue !== null) {
        val = Math.min(this.userValue as Tri, vis) as Tri;
      } else {
        for (const [def, cond] of this.defaults) {
          const depVal = exprValue(cond);
          if (depVal) {
            val = Math.min(exprValue(def), depVal) as Tri;
            if (val) this.writeToConf = true;
            break;
          }
        }
        // Implies only count when the direct dependencies are met.
        const weak = exprValue(this.weakRevDep);
        if (weak && exprValue(this.directDep)) {
          val = Math.max(weak, val) as Tri;
          this.writeToConf = true;
        }
      }
      const rev = exprValue(this.revDep);
      if (rev) {
        if (exprValue(this.directDep) < rev) this.warnSelectUnsatisfiedDeps();
        val = Math.max(rev, val) as Tri;
        this.writeToConf = true;
      }
      if (val === 1 && (this.type === 'bool' || exprValue(this.weakRevDep) === 2)) val = 2;
    } else if (vis === 2) {
      val = this.choice.selection === this ? 2 : 0;
    } else if (vis && this.userValue) {
      val = 1;
    }
    this.cachedTri = val;
    return val;
  }

  /** Tristate values a user could currently give the symbol. */
  get assignable(): readonly Tri[] {
    if (this.cachedAssignable === null) this.cachedAssignable = this.computeAssignable();
    return this.cachedAssignable;
  }

  private computeAssignable(): Tri[] {
    if (!isBoolTri(this.origType)) return [];
    const vis = this.visibility;
    if (!vis) return [];
    const rev = exprValue(this.revDep);
    const boolish = (): boolean => this.type === 'bool' || exprValue(this.weakRevDep) === 2;
    if (vis === 2) {
      if (this.choice) return [2];
      if (!rev) return boolish() ? [0, 2] : [0, 1, 2];
      if (rev === 2) return [2];
      return boolish() ? [2] : [1, 2];
    }
    if (!rev) return exprValue(this.weakRevDep) !== 2 ? [0, 1] : [0, 2];
    if (rev === 2) return [2];
    return [1];
  }

  /** The symbol's `.config` line (with newline), or "" when it is not written. */
  get configString(): string {
    const val = this.strValue;
    if (!this.writeToConf) return '';
    const p = this.kconfig.configPrefix;
    if (isBoolTri(this.origType)) return val !== 'n' ? `${p}${this.name}=${val}\n` : `# ${p}${this.name} is not set\n`;
    if (isIntHex(this.origType)) return `${p}${this.name}=${val}\n`;
    return `${p}${this.name}="${escapeStr(val)}"\n`;
  }

  /**
   * Sets the user value, as a `.config` assignment would. Returns false (with
   * Kconfiglib's warning) when the value is malformed for the symbol's type.
   */
  setValue(value: Tri | string): boolean {
    if (isBoolTri(this.origType) && typeof value === 'string' && strToTri(value) !== undefined) {
      value = strToTri(value)!;
    }
    // Choice symbols always go through: setting one to y may change the choice.
    if (value === this.userValue && !this.choice) {
      this.wasSet = true;
      return true;
    }
    const t = this.origType;
    const ok =
      (t === 'bool' && (value === 2 || value === 0)) ||
      (t === 'tristate' && typeof value === 'number') ||
      (typeof value === 'string' &&
        (t === 'string' ||
          (t === 'int' && isBaseN(value, 10)) ||
          (t === 'hex' && isBaseN(value, 16) && parsePyInt(value, 16)! >= 0n)));
    if (!ok) {
      const shown = typeof value === 'number' ? TRI_TO_STR[value] : `'${value}'`;
      this.kconfig.warn(`the value ${shown} is invalid for ${this.nameAndLoc}, which has type ${t} -- assignment ignored`);
      return false;
    }
    this.userValue = value;
    this.wasSet = true;
    if (this.choice && value === 2) {
      this.choice.userSelection = this;
      this.choice.wasSet = true;
      this.choice.recInvalidate();
    } else {
      this.recInvalidateIfHasPrompt();
    }
    return true;
  }

  /** Removes the user value, as if it had never been set. */
  unsetValue(): void {
    if (this.userValue !== null) {
      this.userValue = null;
      this.userValueLoc = null;
      this.recInvalidateIfHasPrompt();
    }
  }

  /** @internal */
  invalidate(): void {
    this.cachedStr = this.cachedTri = this.cachedVis = null;
    this.cachedAssignable = null;
  }

  /** @internal invalidates this symbol and everything that may depend on it */
  recInvalidate(): void {
    if (this === this.kconfig.modules) {
      this.kconfig.invalidateAll();
      return;
    }
    this.invalidate();
    // Items without a cached visibility cannot have cached anything else,
    // so nothing downstream of them needs invalidating either.
    for (const item of this.dependents) if (item.cachedVis !== null) item.recInvalidate();
  }

  private recInvalidateIfHasPrompt(): void {
    if (this.nodes.some((n) => n.prompt)) {
      this.recInvalidate();
      return;
    }
    if (this.kconfig.warnAssignNoPrompt) {
      this.kconfig.warn(this.nameAndLoc + ' has no prompt, meaning user values have no effect on it');
    }
  }

  /** @internal Kconfiglib's _str_default(), used for minimal configurations. */
  strDefault(): string {
    if (isBoolTri(this.origType)) {
      let val: Tri = 0;
      if (!this.choice) {
        for (const [def, cond] of this.defaults) {
          const c = exprValue(cond);
          if (c) {
            val = Math.min(exprValue(def), c) as Tri;
            break;
          }
        }
        val = Math.max(exprValue(this.revDep), exprValue(this.weakRevDep), val) as Tri;
        if (val === 1 && this.type === 'bool') val = 2;
      }
      return TRI_TO_STR[val];
    }
    if (this.origType !== 'unknown') {
      for (const [def, cond] of this.defaults) if (exprValue(cond)) return (def as KSymbol).strValue;
    }
    return '';
  }

  private warnSelectUnsatisfiedDeps(): void {
    const dd = exprValue(this.directDep);
    let msg =
      `${this.nameAndLoc} has direct dependencies ${exprStr(this.directDep)} with value ${TRI_TO_STR[dd]}, ` +
      `but is currently being ${TRI_TO_STR[exprValue(this.revDep)]}-selected by the following symbols:`;
    for (const select of splitExpr(this.revDep, 'or')) {
      if (exprValue(select) <= exprValue(this.directDep)) continue;
      // 'select A if B' turns into (A && B); the selecting symbol is first either way.
      const selecting = splitExpr(select, 'and')[0] as KSymbol;
      msg +=
        `\n - ${selecting.nameAndLoc}, with value ${selecting.strValue}, direct dependencies ` +
        `${exprStr(selecting.directDep)} (value: ${TRI_TO_STR[exprValue(selecting.directDep)]})`;
      if (select.kind === 'and') {
        msg += `, and select condition ${exprStr(select.right)} (value: ${TRI_TO_STR[exprValue(select.right)]})`;
      }
    }
    this.kconfig.warn(msg);
  }
}
