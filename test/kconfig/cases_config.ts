/**
 * Hand-written differential cases for .config loading/writing and for
 * errors (syntax errors, dependency loops, bad sources).
 */
import type { HandCase } from './cases_lang.ts';

const BASIC = `config B
	bool "b"
config T
	tristate "t"
config I
	int "i"
	default 1
config H
	hex "h"
	default 0x1
config S
	string "s"
config P
	bool
	default y
config PS
	string
	default "p"
config NOTYPE
	prompt "nt"
choice
	prompt "ch"
config CA
	bool "ca"
config CB
	bool "cb"
endchoice
choice
	prompt "tch"
config TA
	tristate "ta"
config TB
	tristate "tb"
endchoice
`;

export const CONFIG_CASES: HandCase[] = [
  {
    name: 'malformed and invalid assignments',
    files: {
      Kconfig: BASIC,
      'f.conf': [
        'CONFIG_B=x',
        'CONFIG_B=yes',
        'CONFIG_T=maybe',
        'CONFIG_I=abc',
        'CONFIG_I=0x10',
        'CONFIG_H=-0x5',
        'CONFIG_H=zz',
        'CONFIG_S=unquoted',
        'CONFIG_S="unterminated',
        'CONFIG_S="a\\"b\\\\c" trailing',
        'garbage line',
        '  # indented comment',
        '',
        '# CONFIG_I is not set',
        '# CONFIG_UNDEF is not set',
        'CONFIG_UNDEF=y',
        'CONFIG_NOTYPE=y',
        'CONFIG_P=n',
        'CONFIG_PS="x"',
        'CONFIG_=y',
        '#CONFIG_B is not set',
        'CONFIG_T=m   ',
        '',
      ].join('\n'),
    },
    fragments: ['f.conf'],
    warnAssignUndef: true,
  },
  {
    name: 'number formats are kept as written',
    files: {
      Kconfig: BASIC,
      'f.conf': 'CONFIG_I=+5\nCONFIG_H=ABC\n',
      'g.conf': 'CONFIG_I= 1_000\n',
    },
    fragments: ['f.conf', 'g.conf'],
  },
  {
    name: 'assigned twice across fragments, later wins',
    files: {
      Kconfig: BASIC,
      'a.conf': 'CONFIG_B=y\nCONFIG_I=3\nCONFIG_S="one"\nCONFIG_CA=y\n',
      'b.conf': 'CONFIG_B=y\nCONFIG_I=4\n# CONFIG_B is not set\nCONFIG_S="two"\nCONFIG_CB=y\n',
      'c.conf': 'CONFIG_TA=m\nCONFIG_TB=y\n',
    },
    fragments: ['a.conf', 'b.conf', 'c.conf'],
  },
  {
    name: 'choice symbol set to n and choice without a user selection',
    files: {
      Kconfig: BASIC,
      'f.conf': '# CONFIG_CA is not set\nCONFIG_CB=n\n# CONFIG_TA is not set\n',
    },
    fragments: ['f.conf'],
  },
  {
    name: 'no fragments: defaults only',
    files: { Kconfig: BASIC },
  },
  {
    name: 'menu comments and end-of-menu lines in .config',
    files: {
      Kconfig: `mainmenu "Main"
config A
	bool "a"
	default y
menu "Outer"
config B
	bool "b"
menu "Inner"
config C
	bool "c"
endmenu
menu "Empty"
endmenu
menu "Invisible"
	visible if n
config D
	bool "d"
	default y
endmenu
menu "Dep off"
	depends on n
config E
	bool "e"
endmenu
comment "Comment here"
comment "Hidden comment"
	depends on n
endmenu
config F
	int "f"
	default 2
menu "Last"
config G
	bool "g"
endmenu
`,
    },
  },
  {
    name: 'strings with escapes round trip',
    files: {
      Kconfig: `config S1
	string "s1"
config S2
	string "s2"
	default "tab\\there"
config S3
	string "s3"
`,
      'f.conf': 'CONFIG_S1="quote \\" backslash \\\\ dollar $ end"\nCONFIG_S3=""\n',
    },
    fragments: ['f.conf'],
  },
  {
    name: 'hidden symbols are not written, selected ones are',
    files: {
      Kconfig: `config DEP
	bool "dep"
config HIDDEN
	bool "hidden"
	depends on DEP
config HIDDEN_INT
	int "hidden int"
	depends on DEP
	default 4
config HIDDEN_STR
	string "hidden str"
	depends on DEP
config NODEF
	bool
config NODEF_INT
	int
config SEL
	bool "sel"
	default y
	select HIDDEN
`,
    },
  },
];

export const ENV_CASES: HandCase[] = [
  {
    name: 'KCONFIG_WARN_UNDEF lists references to undefined symbols',
    files: {
      Kconfig: `config A
	bool "a" if MISSING
	default y if OTHER_MISSING || 0x10 = 16
	select GONE if MISSING
menu "M"
	depends on MISSING
	visible if ALSO_MISSING
config B
	int "b"
	range 1 LIMIT
	default 3
endmenu
choice
	prompt "c"
	default C1 if MISSING
config C1
	bool "c1"
endchoice
`,
    },
    env: { KCONFIG_WARN_UNDEF: 'y' },
  },
  {
    name: 'CONFIG_ prefix and headers from the environment',
    files: {
      Kconfig: 'config A\n\tbool "a"\nconfig S\n\tstring "s"\n\tdefault "x"\n',
      'f.conf': 'MY_A=y\nCONFIG_S="ignored"\n# MY_S is not set\n',
    },
    fragments: ['f.conf'],
    env: { CONFIG_: 'MY_', KCONFIG_CONFIG_HEADER: '# generated\n', KCONFIG_AUTOHEADER_HEADER: '/* generated */\n' },
    warnAssignUndef: true,
  },
  {
    name: 'srctree: Kconfig, sources and fragments relative to it',
    files: {
      'tree/Kconfig': 'source "sub/Kconfig"\nconfig TOP\n\tbool "top"\n',
      'tree/sub/Kconfig': 'config SUB\n\tbool "sub"\n\tdefault y\n',
      'tree/in_tree.conf': 'CONFIG_TOP=y\n',
    },
    fragments: ['in_tree.conf'],
    env: { srctree: 'tree' },
  },
  {
    name: 'odd but valid symbol names and a named choice in two places',
    files: {
      Kconfig: `config FOO-BAR
	bool "dash"
	default y
config a.b/c
	int "path-like"
	default 1
config X
	bool "x"
	depends on FOO-BAR && a.b/c = 1
	default y
choice NAMED
	prompt "first"
config N1
	bool "n1"
endchoice
config AFTER
	bool "after"
	default N2
choice NAMED
	prompt "second"
	default N2
config N2
	bool "n2"
endchoice
`,
      'f.conf': 'CONFIG_FOO-BAR=n\nCONFIG_a.b/c=2\n',
    },
    fragments: ['f.conf'],
  },
];

export const ERROR_CASES: HandCase[] = [
  { name: 'unknown token at start of line', files: { Kconfig: 'config A\n\tbool "a"\n@foo\n' } },
  { name: 'unterminated string', files: { Kconfig: 'config A\n\tbool "a\n' } },
  { name: 'missing endif', files: { Kconfig: 'if A\nconfig B\n\tbool "b"\n' } },
  { name: 'missing endmenu', files: { Kconfig: 'menu "m"\n' } },
  { name: 'stray endchoice', files: { Kconfig: 'endchoice\n' } },
  { name: 'stray endif', files: { Kconfig: 'config A\n\tbool "a"\nendif\n' } },
  { name: 'extra tokens', files: { Kconfig: 'config A B\n\tbool\n' } },
  { name: 'malformed expression', files: { Kconfig: 'config A\n\tbool "a"\n\tdepends on (B\n' } },
  { name: 'depends without on', files: { Kconfig: 'config A\n\tbool "a"\n\tdepends B\n' } },
  { name: 'select on a menu', files: { Kconfig: 'menu "m"\n\tselect A\nendmenu\n' } },
  { name: 'optional outside choice', files: { Kconfig: 'config A\n\tbool "a"\n\toptional\n' } },
  { name: 'unrecognized option', files: { Kconfig: 'config A\n\tbool "a"\n\toption foo\n' } },
  { name: 'bad macro arg count', files: { Kconfig: 'X := $(info)\n' } },
  { name: 'error-if', files: { Kconfig: 'config A\n\tbool "a"\n$(error-if,y,stop right there)\n' } },
  { name: 'recursive variable', files: { Kconfig: 'X = $(X)\nY := $(X)\n' } },
  { name: 'assignment syntax error', files: { Kconfig: 'justaword\n' } },
  { name: 'missing source', files: { Kconfig: 'source "nope/Kconfig"\n' } },
  { name: 'missing rsource', files: { Kconfig: 'rsource "nope/Kconfig"\n' } },
  { name: 'recursive source', files: { Kconfig: 'source "Kconfig"\n' } },
  { name: 'malformed int default', files: { Kconfig: 'config A\n\tint "a"\n\tdefault 1 || 2\n' } },
  { name: 'malformed choice default', files: { Kconfig: 'choice\n\tprompt "c"\n\tdefault A && B\nconfig A\n\tbool "a"\nendchoice\n' } },
  { name: 'bad symbol name', files: { Kconfig: 'config "A"\n\tbool\n' } },
  { name: 'select constant', files: { Kconfig: 'config A\n\tbool "a"\n\tselect y\n' } },
  { name: 'unknown tokens in line', files: { Kconfig: 'config A\n\tbool "a"\n\tdepends on B ~ C\n' } },
  { name: 'missing end parenthesis', files: { Kconfig: 'X := $(foo\n' } },
  { name: 'blank macro name', files: { Kconfig: 'E :=\nconfig A\n\tbool "a"\n\tdepends on $(E)\n' } },
  {
    name: 'dependency loop',
    files: { Kconfig: 'config A\n\tbool "a"\n\tdepends on B\nconfig B\n\tbool "b"\n\tdepends on A\n' },
  },
  {
    name: 'dependency loop through select',
    files: {
      Kconfig: 'config A\n\tbool "a"\n\tselect B if C\nconfig B\n\tbool "b"\nconfig C\n\tbool "c"\n\tdepends on B\n',
    },
  },
  { name: 'missing fragment file', files: { Kconfig: 'config A\n\tbool "a"\n' }, fragments: ['nope.conf'] },
];
