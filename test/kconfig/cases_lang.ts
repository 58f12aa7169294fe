/**
 * Hand-written differential cases for the Kconfig language. Each case is a
 * small tree (files) plus fragments merged in order; the differential test
 * checks zsim against Kconfiglib on every one.
 */

/** A hand-written differential case. */
export interface HandCase {
  name: string;
  files: Record<string, string>;
  /** Fragment file names (keys of `files`), merged in order. */
  fragments?: string[];
  env?: Record<string, string>;
  warnAssignUndef?: boolean;
  kconfig?: string;
}

export const LANG_CASES: HandCase[] = [
  {
    name: 'types, prompts and def_* forms',
    files: {
      Kconfig: `mainmenu "Types"
config B
	bool "bool"
config T
	tristate "tristate"
	default y
config I
	int "int"
	default 42
config H
	hex "hex"
	default 0xff
config H2
	hex "hex without prefix"
	default ff
config S
	string "string"
	default "x\\"y\\\\z"
config DB
	def_bool y
config DT
	def_tristate m
config DI
	def_int 7
config DH
	def_hex 0x1F
config DS
	def_string "hello"
config P
	bool
	prompt "prompt keyword" if DB
config NOPROMPT_INT
	int
`,
    },
  },
  {
    name: 'first active default wins, conditions and m',
    files: {
      Kconfig: `config X
	bool "x"
config Y
	bool "y"
	default y
config A
	tristate "a"
	default n if X
	default m if Y
	default y
config B
	int "b"
	default 1 if X
	default 2 if !X && Y
	default 3
config C
	string "c"
	default "first" if X || !Y
	default "second"
config D
	bool "dep on m"
	depends on m
config E
	tristate
	default m
config F
	bool
	default m
config G
	bool "G"
	default A && Y
`,
    },
  },
  {
    name: 'depends on, if blocks, menus and menuconfig submenus',
    files: {
      Kconfig: `config ENABLE
	bool "enable"
	default y
config OFF
	bool "off"
if ENABLE
config IN_IF
	bool "in if"
	default y
if OFF
config NESTED
	bool "nested"
	default y
endif
endif
menu "Visible menu"
	depends on ENABLE
config IN_MENU
	int "in menu"
	default 5
comment "comment in menu"
	depends on OFF
comment "visible comment"
endmenu
menu "Hidden menu"
	depends on OFF
config HIDDEN
	bool "hidden"
	default y
endmenu
menuconfig MC
	bool "menuconfig"
	default y
config UNDER_MC
	bool "under mc"
	depends on MC
	default y
config UNDER_MC2
	int "under mc 2"
	depends on MC
	default 3
config AFTER
	bool "after"
`,
    },
  },
  {
    name: 'select: overrides dependencies and warns',
    files: {
      Kconfig: `config DEP
	bool "dep"
config TARGET
	bool "target"
	depends on DEP
config TARGET2
	tristate "target2"
	depends on DEP || OTHER
config SELECTOR
	bool "selector"
	default y
	select TARGET
	select TARGET2 if COND
config COND
	def_bool y
config OTHER
	bool
config PLAIN
	bool
config SEL_PLAIN
	def_bool y
	select PLAIN
config SEL_INT
	bool "sel int"
	select I
config I
	int "i"
`,
      'f.conf': 'CONFIG_TARGET=y\nCONFIG_SEL_INT=y\nCONFIG_COND=n\n',
    },
    fragments: ['f.conf'],
  },
  {
    name: 'imply semantics',
    files: {
      Kconfig: `config IMPLIER
	bool "implier"
	default y
	imply A
	imply B
	imply C if COND
	imply D
config COND
	bool "cond"
config A
	bool "a"
config B
	bool "b, user-disabled"
config C
	bool "c"
config D
	bool "d, unmet deps"
	depends on COND
config T
	tristate "t"
	imply T2
config T2
	tristate "t2"
`,
      'f.conf': '# CONFIG_B is not set\nCONFIG_T=m\n',
    },
    fragments: ['f.conf'],
  },
  {
    name: 'visible if',
    files: {
      Kconfig: `config SHOW
	bool "show"
menu "Maybe visible"
	visible if SHOW
config V1
	bool "v1"
	default y
config V2
	int "v2"
	default 9
endmenu
menu "Always"
	visible if y
config V3
	bool "v3"
endmenu
`,
      'f.conf': 'CONFIG_V1=n\nCONFIG_V2=3\n',
    },
    fragments: ['f.conf'],
  },
  {
    name: 'ranges: user values outside range and clamped defaults',
    files: {
      Kconfig: `config LOW
	int "low"
	default 10
config R1
	int "r1"
	range 1 10
	default 20
config R2
	int "r2"
	range LOW 100
	default 0
config R3
	hex "r3"
	range 0x10 0x20
	default 0x5
config R4
	hex "r4"
	range 0x10 0x20
config R5
	int "r5"
	range 5 6 if LOW > 5
	range 0 100
	default 50
config R6
	int "r6"
	range 1 10
config R7
	int "r7, promptless"
	range 1 3
config R8
	int "r8"
	range -5 -1
	default 0
config R9
	hex "r9"
	range 0x0 0xf
`,
      'f.conf': 'CONFIG_R1=11\nCONFIG_R2=50\nCONFIG_R3=0x30\nCONFIG_R6=7\nCONFIG_R9=0x1f\n',
    },
    fragments: ['f.conf'],
  },
  {
    name: 'choices: defaults, optional, deps, named, user selection',
    files: {
      Kconfig: `config FEATURE
	bool "feature"
choice
	prompt "Mandatory"
	default C2 if FEATURE
	default C3
config C1
	bool "c1"
config C2
	bool "c2"
config C3
	bool "c3"
	depends on FEATURE
endchoice
choice OPT
	prompt "Optional"
	optional
config O1
	bool "o1"
config O2
	bool "o2"
endchoice
choice OPT
config O3
	bool "o3"
endchoice
choice
	prompt "Dependent"
	depends on FEATURE
config D1
	bool "d1"
config D2
	bool "d2"
endchoice
choice
	prompt "Tristate choice"
config TC1
	tristate "tc1"
config TC2
	tristate "tc2"
endchoice
choice
	prompt "untyped"
config U1
	prompt "u1"
config U2
	bool "u2"
endchoice
`,
      'a.conf': 'CONFIG_C1=y\nCONFIG_O2=y\nCONFIG_TC2=m\n',
      'b.conf': 'CONFIG_FEATURE=y\nCONFIG_C3=y\nCONFIG_D2=y\nCONFIG_TC1=y\nCONFIG_U2=y\n',
    },
    fragments: ['a.conf', 'b.conf'],
  },
  {
    name: 'choice containing dependent non-choice symbols and invisible selection',
    files: {
      Kconfig: `choice
	prompt "c"
config A
	bool "a"
config A_SUB
	bool "a sub"
	depends on A
config B
	bool "b"
endchoice
config X
	bool "x"
choice
	prompt "second"
	default Q
config P
	bool "p"
config Q
	bool "q"
	depends on X
endchoice
`,
      'f.conf': 'CONFIG_B=y\nCONFIG_A=y\nCONFIG_A_SUB=y\nCONFIG_Q=y\n',
    },
    fragments: ['f.conf'],
  },
];
