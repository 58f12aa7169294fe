/**
 * Shared vocabulary of the Kconfig engine: symbol types, tristate values and
 * lexer tokens. Values mirror Kconfiglib so ported logic reads the same.
 */

/** A Kconfig symbol or choice type. `unknown` means "defined without a type". */
export type SymType = 'unknown' | 'bool' | 'tristate' | 'string' | 'int' | 'hex';

/** Tristate value: 0 = n, 1 = m, 2 = y. */
export type Tri = 0 | 1 | 2;

/** Relational operators usable in Kconfig expressions. */
export type RelOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

export const TRI_TO_STR: readonly ['n', 'm', 'y'] = ['n', 'm', 'y'];

/** Maps "n"/"m"/"y" to a tristate; undefined for anything else. */
export function strToTri(s: string): Tri | undefined {
  return s === 'n' ? 0 : s === 'm' ? 1 : s === 'y' ? 2 : undefined;
}

export function isBoolTri(t: SymType): t is 'bool' | 'tristate' {
  return t === 'bool' || t === 'tristate';
}

export function isIntHex(t: SymType): t is 'int' | 'hex' {
  return t === 'int' || t === 'hex';
}

/** Numeric base used when a value of the given type is read as a number (0 = inferred, like Python's int(s, 0)). */
export function typeBase(t: SymType): 0 | 10 | 16 {
  return t === 'hex' ? 16 : t === 'int' ? 10 : 0;
}

/** Lexer tokens. Keyword tokens are numbers so they can never collide with strings or symbols in a token list. */
export enum T {
  ALLNOCONFIG_Y = 1,
  AND,
  BOOL,
  CHOICE,
  CLOSE_PAREN,
  COMMENT,
  CONFIG,
  DEFAULT,
  DEFCONFIG_LIST,
  DEF_BOOL,
  DEF_HEX,
  DEF_INT,
  DEF_STRING,
  DEF_TRISTATE,
  DEPENDS,
  ENDCHOICE,
  ENDIF,
  ENDMENU,
  ENV,
  EQUAL,
  GREATER,
  GREATER_EQUAL,
  HELP,
  HEX,
  IF,
  IMPLY,
  INT,
  LESS,
  LESS_EQUAL,
  MAINMENU,
  MENU,
  MENUCONFIG,
  MODULES,
  NOT,
  ON,
  OPEN_PAREN,
  OPTION,
  OPTIONAL,
  OR,
  ORSOURCE,
  OSOURCE,
  PROMPT,
  RANGE,
  RSOURCE,
  SELECT,
  SOURCE,
  STRING,
  TRISTATE,
  UNEQUAL,
  VISIBLE,
}

export const KEYWORDS: ReadonlyMap<string, T> = new Map<string, T>([
  ['---help---', T.HELP],
  ['allnoconfig_y', T.ALLNOCONFIG_Y],
  ['bool', T.BOOL],
  ['boolean', T.BOOL],
  ['choice', T.CHOICE],
  ['comment', T.COMMENT],
  ['config', T.CONFIG],
  ['def_bool', T.DEF_BOOL],
  ['def_hex', T.DEF_HEX],
  ['def_int', T.DEF_INT],
  ['def_string', T.DEF_STRING],
  ['def_tristate', T.DEF_TRISTATE],
  ['default', T.DEFAULT],
  ['defconfig_list', T.DEFCONFIG_LIST],
  ['depends', T.DEPENDS],
  ['endchoice', T.ENDCHOICE],
  ['endif', T.ENDIF],
  ['endmenu', T.ENDMENU],
  ['env', T.ENV],
  ['grsource', T.ORSOURCE],
  ['gsource', T.OSOURCE],
  ['help', T.HELP],
  ['hex', T.HEX],
  ['if', T.IF],
  ['imply', T.IMPLY],
  ['int', T.INT],
  ['mainmenu', T.MAINMENU],
  ['menu', T.MENU],
  ['menuconfig', T.MENUCONFIG],
  ['modules', T.MODULES],
  ['on', T.ON],
  ['option', T.OPTION],
  ['optional', T.OPTIONAL],
  ['orsource', T.ORSOURCE],
  ['osource', T.OSOURCE],
  ['prompt', T.PROMPT],
  ['range', T.RANGE],
  ['rsource', T.RSOURCE],
  ['select', T.SELECT],
  ['source', T.SOURCE],
  ['string', T.STRING],
  ['tristate', T.TRISTATE],
  ['visible', T.VISIBLE],
]);

/** Tokens after which a quoted or bare word is a string (prompt, path, name), not a symbol reference. */
export const STRING_LEX: ReadonlySet<T> = new Set([
  T.BOOL, T.CHOICE, T.COMMENT, T.HEX, T.INT, T.MAINMENU, T.MENU, T.ORSOURCE,
  T.OSOURCE, T.PROMPT, T.RSOURCE, T.SOURCE, T.STRING, T.TRISTATE,
]);

export const TYPE_TOKENS: ReadonlyMap<T, SymType> = new Map<T, SymType>([
  [T.BOOL, 'bool'], [T.TRISTATE, 'tristate'], [T.INT, 'int'], [T.HEX, 'hex'], [T.STRING, 'string'],
]);

export const DEF_TOKEN_TO_TYPE: ReadonlyMap<T, SymType> = new Map<T, SymType>([
  [T.DEF_BOOL, 'bool'], [T.DEF_HEX, 'hex'], [T.DEF_INT, 'int'], [T.DEF_STRING, 'string'], [T.DEF_TRISTATE, 'tristate'],
]);

export const RELATION_TOKENS: ReadonlyMap<T, RelOp> = new Map<T, RelOp>([
  [T.EQUAL, '='], [T.UNEQUAL, '!='], [T.LESS, '<'], [T.LESS_EQUAL, '<='], [T.GREATER, '>'], [T.GREATER_EQUAL, '>='],
]);
