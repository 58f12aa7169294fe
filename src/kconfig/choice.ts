/**
 * Kconfig choices: mode (tristate value), selection and user selection, with
 * Kconfiglib's caching and invalidation rules.
 */
import { type SymType, type Tri, TRI_TO_STR, strToTri } from './constants.ts';
import { type Expr, exprValue, standardScExprStr } from './expr.ts';
import type { Kconfig } from './kconfig.ts';
import type { MenuNode } from './menunode.ts';
import type { KSymbol } from './symbol.ts';
import { computeVisibility, locsStr } from './visibility.ts';

const NO_CACHED_SELECTION = Symbol('no cached selection');

/** A `choice ... endchoice` block (possibly named and defined in several places). */
export class Choice {
  readonly kind = 'choice' as const;
  origType: SymType = 'unknown';
  readonly nodes: MenuNode[] = [];
  /** Choice symbols, in definition order. */
  readonly syms: KSymbol[] = [];
  defaults: Array<readonly [value: Expr, cond: Expr]> = [];
  /** User mode (tristate), or null. */
  userValue: Tri | null = null;
  /** The choice symbol the user set to y most recently, or null. */
  userSelection: KSymbol | null = null;
  isOptional = false;
  /** Always false; lets choices stand in for symbols in dependency code. */
  readonly isConstant = false;
  directDep: Expr;

  /** @internal */ cachedVis: Tri | null = null;
  /** @internal */ cachedAssignable: Tri[] | null = null;
  /** @internal */ cachedSelection: KSymbol | null | typeof NO_CACHED_SELECTION = NO_CACHED_SELECTION;
  /** @internal */ wasSet = false;
  /** @internal */ readonly dependents = new Set<KSymbol | Choice>();
  /** @internal */ visited: 0 | 1 | 2 = 0;

  constructor(
    readonly kconfig: Kconfig,
    readonly name: string | null,
  ) {
    this.directDep = kconfig.n;
  }

  /** Effective type: tristate degrades to bool without modules. */
  get type(): SymType {
    if (this.origType === 'tristate' && !this.kconfig.modules.triValue) return 'bool';
    return this.origType;
  }

  /** `<choice NAME> (defined at ...)`. */
  get nameAndLoc(): string {
    return standardScExprStr(this) + ' ' + locsStr(this);
  }

  /** Every definition in Kconfig syntax (without the choice symbols). */
  toString(): string {
    return this.nodes.map((n) => n.toString()).join('\n\n');
  }

  get visibility(): Tri {
    if (this.cachedVis === null) this.cachedVis = computeVisibility(this);
    return this.cachedVis;
  }

  /** The mode of the choice: n (optional and off), m, or y. */
  get triValue(): Tri {
    // A non-optional choice behaves as if it had a reverse dependency of 'm && visibility'.
    let val: Tri = this.isOptional ? 0 : 1;
    if (this.userValue !== null) val = Math.max(val, this.userValue) as Tri;
    val = Math.min(val, this.visibility) as Tri;
    return val === 1 && this.type === 'bool' ? 2 : val;
  }

  get strValue(): string {
    return TRI_TO_STR[this.triValue];
  }

  /** Modes a user could currently set. */
  get assignable(): readonly Tri[] {
    if (this.cachedAssignable === null) {
      const vis = this.visibility;
      const bool = this.type === 'bool';
      if (!vis) this.cachedAssignable = [];
      else if (vis === 2) {
        if (!this.isOptional) this.cachedAssignable = bool ? [2] : [1, 2];
        else this.cachedAssignable = bool ? [0, 2] : [0, 1, 2];
      } else this.cachedAssignable = this.isOptional ? [0, 1] : [1];
    }
    return this.cachedAssignable;
  }

  /** The selected choice symbol in y mode, else null. */
  get selection(): KSymbol | null {
    if (this.cachedSelection === NO_CACHED_SELECTION) this.cachedSelection = this.computeSelection();
    return this.cachedSelection;
  }

  private computeSelection(): KSymbol | null {
    if (this.triValue !== 2) return null;
    if (this.userSelection && this.userSelection.visibility) return this.userSelection;
    return this.selectionFromDefaults();
  }

  /** The selection implied by defaults alone (first active visible default, else first visible symbol). */
  selectionFromDefaults(): KSymbol | null {
    for (const [sym, cond] of this.defaults) {
      if (exprValue(cond) && (sym as KSymbol).visibility) return sym as KSymbol;
    }
    for (const sym of this.syms) if (sym.visibility) return sym;
    return null;
  }

  /** Sets the user mode. Returns false (with a warning) for values invalid for the type. */
  setValue(value: Tri | string): boolean {
    if (typeof value === 'string' && strToTri(value) !== undefined) value = strToTri(value)!;
    if (value === this.userValue) {
      this.wasSet = true;
      return true;
    }
    const ok =
      (this.origType === 'bool' && (value === 2 || value === 0)) ||
      (this.origType === 'tristate' && typeof value === 'number');
    if (!ok) {
      const shown = typeof value === 'number' ? TRI_TO_STR[value] : `'${value}'`;
      this.kconfig.warn(
        `the value ${shown} is invalid for ${this.nameAndLoc}, which has type ${this.origType} -- assignment ignored`,
      );
      return false;
    }
    this.userValue = value as Tri;
    this.wasSet = true;
    this.recInvalidate();
    return true;
  }

  /** Clears the user mode and user selection. */
  unsetValue(): void {
    if (this.userValue !== null || this.userSelection) {
      this.userValue = this.userSelection = null;
      this.recInvalidate();
    }
  }

  /** @internal */
  invalidate(): void {
    this.cachedVis = this.cachedAssignable = null;
    this.cachedSelection = NO_CACHED_SELECTION;
  }

  /** @internal */
  recInvalidate(): void {
    this.invalidate();
    for (const item of this.dependents) if (item.cachedVis !== null) item.recInvalidate();
  }
}
