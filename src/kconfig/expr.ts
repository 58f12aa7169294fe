/**
 * Kconfig expressions: representation, tristate evaluation and printing.
 * Shapes follow Kconfiglib (right-leaning AND/OR chains, relations between
 * two symbols) because warnings and dependency listings print them verbatim.
 */
import type { KSymbol } from './symbol.ts';
import type { Choice } from './choice.ts';
import { type RelOp, type Tri, isBoolTri, typeBase } from './constants.ts';
import { parsePyInt, pyStrcmp } from './pyutil.ts';

/** A symbol or a choice: the leaves of an expression. */
export type Operand = KSymbol | Choice;

/** `left && right`. */
export interface AndExpr {
  readonly kind: 'and';
  readonly left: Expr;
  readonly right: Expr;
}

/** `left || right`. */
export interface OrExpr {
  readonly kind: 'or';
  readonly left: Expr;
  readonly right: Expr;
}

/** `!operand`. */
export interface NotExpr {
  readonly kind: 'not';
  readonly operand: Expr;
}

/** `left <op> right`; both sides are symbols (quoted values are constant symbols). */
export interface RelExpr {
  readonly kind: 'rel';
  readonly op: RelOp;
  readonly left: KSymbol;
  readonly right: KSymbol;
}

/** Any Kconfig expression. */
export type Expr = Operand | AndExpr | OrExpr | NotExpr | RelExpr;

export function isOperand(e: Expr): e is Operand {
  return e.kind === 'symbol' || e.kind === 'choice';
}

/** Evaluates `e` to a tristate, exactly like Kconfiglib's expr_value(). */
export function exprValue(e: Expr): Tri {
  switch (e.kind) {
    case 'symbol':
    case 'choice':
      return e.triValue;
    case 'and': {
      const v1 = exprValue(e.left);
      return v1 === 0 ? 0 : (Math.min(v1, exprValue(e.right)) as Tri);
    }
    case 'or': {
      const v1 = exprValue(e.left);
      return v1 === 2 ? 2 : (Math.max(v1, exprValue(e.right)) as Tri);
    }
    case 'not':
      return (2 - exprValue(e.operand)) as Tri;
    case 'rel':
      return relValue(e);
  }
}

function symToNum(sym: KSymbol): bigint | null {
  if (isBoolTri(sym.origType)) return BigInt(sym.triValue);
  return parsePyInt(sym.strValue, typeBase(sym.origType));
}

function relValue(e: RelExpr): Tri {
  const { left: v1, right: v2 } = e;
  let comp: number;
  if (v1.origType === 'string' && v2.origType === 'string') {
    comp = pyStrcmp(v1.strValue, v2.strValue);
  } else {
    // A left side that is not a number short-circuits: the right side is
    // then never evaluated (this matters for evaluation-time warnings).
    const n1 = symToNum(v1);
    const n2 = n1 === null ? null : symToNum(v2);
    if (n1 === null || n2 === null) comp = pyStrcmp(v1.strValue, v2.strValue);
    else comp = n1 < n2 ? -1 : n1 > n2 ? 1 : 0;
  }
  let r: boolean;
  switch (e.op) {
    case '=': r = comp === 0; break;
    case '!=': r = comp !== 0; break;
    case '<': r = comp < 0; break;
    case '<=': r = comp <= 0; break;
    case '>': r = comp > 0; break;
    case '>=': r = comp >= 0; break;
  }
  return r ? 2 : 0;
}

/** Kconfiglib's escape(): backslash-escapes `\` and `"`. */
export function escapeStr(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** Kconfiglib's unescape(): `\x` becomes `x`. */
export function unescapeStr(s: string): string {
  // Python's '.' does not match a newline, so "\\\n" survives unescaping.
  return s.replace(/\\([^\n])/g, '$1');
}

/** Prints a symbol or choice the way Kconfig syntax spells it. */
export function standardScExprStr(sc: Operand): string {
  if (sc.kind === 'symbol') {
    if (sc.isConstant && sc.name !== 'n' && sc.name !== 'm' && sc.name !== 'y') return `"${escapeStr(sc.name)}"`;
    return sc.name;
  }
  return sc.name !== null ? `<choice ${sc.name}>` : '<choice>';
}

function parenthesize(e: Expr, kind: 'and' | 'or', f: (sc: Operand) => string): string {
  return e.kind === kind ? `(${exprStr(e, f)})` : exprStr(e, f);
}

/** Kconfiglib's expr_str(): the expression in Kconfig syntax. */
export function exprStr(e: Expr, f: (sc: Operand) => string = standardScExprStr): string {
  switch (e.kind) {
    case 'symbol':
    case 'choice':
      return f(e);
    case 'and':
      return `${parenthesize(e.left, 'or', f)} && ${parenthesize(e.right, 'or', f)}`;
    case 'or':
      return `${parenthesize(e.left, 'and', f)} || ${parenthesize(e.right, 'and', f)}`;
    case 'not':
      return isOperand(e.operand) ? '!' + f(e.operand) : `!(${exprStr(e.operand, f)})`;
    case 'rel':
      return `${f(e.left)} ${e.op} ${f(e.right)}`;
  }
}

/** Kconfiglib's split_expr(): the top-level operands of an AND or OR chain. */
export function splitExpr(e: Expr, kind: 'and' | 'or'): Expr[] {
  const res: Expr[] = [];
  const rec = (x: Expr): void => {
    if (x.kind === kind) {
      rec(x.left);
      rec(x.right);
    } else {
      res.push(x);
    }
  };
  rec(e);
  return res;
}

/** All symbols and choices appearing in `e`. */
export function exprItems(e: Expr, into: Set<Operand> = new Set()): Set<Operand> {
  switch (e.kind) {
    case 'symbol':
    case 'choice':
      into.add(e);
      break;
    case 'not':
      exprItems(e.operand, into);
      break;
    default:
      exprItems(e.left, into);
      exprItems(e.right, into);
  }
  return into;
}

/** Constructs `e1 && e2` with Kconfiglib's trivial simplifications (identity-based on y/n). */
export function makeAnd(e1: Expr, e2: Expr, y: KSymbol, n: KSymbol): Expr {
  if (e1 === y) return e2;
  if (e2 === y) return e1;
  if (e1 === n || e2 === n) return n;
  return { kind: 'and', left: e1, right: e2 };
}

/** Constructs `e1 || e2` with Kconfiglib's trivial simplifications (identity-based on y/n). */
export function makeOr(e1: Expr, e2: Expr, y: KSymbol, n: KSymbol): Expr {
  if (e1 === n) return e2;
  if (e2 === n) return e1;
  if (e1 === y || e2 === y) return y;
  return { kind: 'or', left: e1, right: e2 };
}
