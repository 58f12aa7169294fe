/**
 * Token cursor and expression parser (Kconfiglib's _parse_expr() family),
 * shared by the statement parser and eval_string().
 */
import { RELATION_TOKENS, T, type Tri } from './constants.ts';
import { type Expr, exprValue } from './expr.ts';
import type { Kconfig } from './kconfig.ts';
import { isKeyword, isSymbolToken, tokenize, type Token } from './lexer.ts';
import { parseError, type LexContext } from './preprocessor.ts';
import type { KSymbol } from './symbol.ts';

/** Token-stream cursor shared by statement and expression parsing. */
export class TokenCursor implements LexContext {
  filename: string | null = null;
  linenr = 0;
  line = '';
  tokens: Token[] = [null];
  ti = 1;

  constructor(readonly kconf: Kconfig) {}

  peek(): Token {
    return this.tokens[this.ti] ?? null;
  }

  checkToken(t: T): boolean {
    if (this.peek() === t) {
      this.ti++;
      return true;
    }
    return false;
  }

  trailingTokensError(): never {
    parseError(this, 'extra tokens at end of line');
  }

  expectSym(): KSymbol {
    const t = this.peek();
    this.ti++;
    if (!isSymbolToken(t)) parseError(this, 'expected symbol');
    return t;
  }

  expectNonconstSym(): KSymbol {
    const t = this.tokens[1] ?? null;
    this.ti = 2;
    if (!isSymbolToken(t) || t.isConstant) parseError(this, 'expected nonconstant symbol');
    return t;
  }

  expectStrAndEol(): string {
    const t = this.peek();
    this.ti++;
    if (typeof t !== 'string') parseError(this, 'expected string');
    if (this.peek() !== null) this.trailingTokensError();
    return t;
  }

  expectExprAndEol(): Expr {
    const e = this.parseExpr(true);
    if (this.peek() !== null) this.trailingTokensError();
    return e;
  }

  /** Optional `if <expr>` at the end of a property line. */
  parseCond(): Expr {
    const e = this.checkToken(T.IF) ? this.parseExpr(true) : this.kconf.y;
    if (this.peek() !== null) this.trailingTokensError();
    return e;
  }

  /**
   * expr: and_expr ['||' expr]; and_expr: factor ['&&' and_expr]. With
   * `transformM`, a bare `m` becomes `m && MODULES`, as in conditions.
   */
  parseExpr(transformM: boolean): Expr {
    const left = this.parseAndExpr(transformM);
    return this.checkToken(T.OR) ? { kind: 'or', left, right: this.parseExpr(transformM) } : left;
  }

  private parseAndExpr(transformM: boolean): Expr {
    const left = this.parseFactor(transformM);
    return this.checkToken(T.AND) ? { kind: 'and', left, right: this.parseAndExpr(transformM) } : left;
  }

  private parseFactor(transformM: boolean): Expr {
    const token = this.peek();
    this.ti++;
    if (isSymbolToken(token)) {
      const next = this.peek();
      const rel = isKeyword(next) ? RELATION_TOKENS.get(next) : undefined;
      if (rel === undefined) {
        if (transformM && token === this.kconf.m) return { kind: 'and', left: this.kconf.m, right: this.kconf.modules };
        return token;
      }
      this.ti++;
      return { kind: 'rel', op: rel, left: token, right: this.expectSym() };
    }
    if (token === T.NOT) return { kind: 'not', operand: this.parseFactor(transformM) };
    if (token === T.OPEN_PAREN) {
      const e = this.parseExpr(transformM);
      if (this.checkToken(T.CLOSE_PAREN)) return e;
    }
    parseError(this, 'malformed expression');
  }
}

/** Kconfiglib's eval_string(): parses and evaluates an expression without registering new symbols. */
export function evalExpressionString(kconf: Kconfig, s: string): Tri {
  const cur = new TokenCursor(kconf);
  cur.filename = null;
  cur.tokens = tokenize(cur, 'if ' + s);
  cur.line = s;
  cur.ti = 1;
  return exprValue(cur.expectExprAndEol());
}
