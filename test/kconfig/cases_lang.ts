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
  {
    name: 'help text indentation rules',
    files: {
      Kconfig: `config A
	bool "a"
	help
	  First line.
	    Indented more.

	  After blank line.
	default y
config B
	bool "b"
	---help---
	  old style
config C
	bool "c"
	help
config D
	bool "d"
	help

	  starts after blank

config E
	bool "e"
	  help
        Eight spaces equals a tab.
		Two tabs.
config F
	bool "f"
	help
	  text
	depends on A
	help
	  second help
`,
    },
  },
  {
    name: 'multiple definitions merge properties with per-definition deps',
    files: {
      Kconfig: `config M
	bool "m first" if A
	default y if A
	select S1
config A
	bool "a"
config B
	bool "b"
	default y
config M
	bool
	prompt "m second" if B
	default n
	select S2
	depends on B
config S1
	bool
config S2
	bool
config N
	int "n"
	range 0 5 if A
config N
	range 10 20
	default 15
config Q
	bool "q"
config Q
	string
`,
    },
  },
  {
    name: 'expression operators and precedence',
    files: {
      Kconfig: `config Y1
	def_bool y
config N1
	def_bool n
config T
	def_tristate m
config I
	int "i"
	default 10
config H
	hex "h"
	default 0x10
config S
	string "s"
	default "abc"
config S2
	string "s2"
	default "abd"
config E1
	def_bool Y1 && N1 || Y1
config E2
	def_bool Y1 && (N1 || !Y1)
config E3
	def_bool !N1 && !!Y1
config E4
	def_bool I = 10 && I != 11 && I < 11 && I <= 10 && I > 9 && I >= 10
config E5
	def_bool H = 16
config E6
	def_bool H > I
config E7
	def_bool S < S2
config E8
	def_bool S = "abc"
config E9
	def_bool UNDEFINED = UNDEFINED
config E10
	def_bool "10" = I
config E11
	def_bool Y1 = y && N1 != y && T = m
config E12
	def_bool S > 5
config E13
	def_bool "0x10" = 16
config E14
	def_bool "1_0" = 10
config E15
	def_bool Y1 > N1 && T < Y1
config E16
	def_bool "010" = "10"
config E17
	def_bool I
config E18
	def_bool Y1 || N1 && N1
config E19
	def_tristate T && Y1
config E20
	def_bool "b" > "abc"
config E21
	def_bool (Y1)
`,
    },
  },
  {
    name: 'sources, rsource, osource, orsource and globs',
    files: {
      Kconfig: `source "sub/Kconfig"
osource "missing/Kconfig"
orsource "missing/Kconfig.*"
source "drivers/*/Kconfig"
source "$(SRC_DIR)/Kconfig.env"
config TOP
	bool "top"
	default y
`,
      'sub/Kconfig': `config SUB
	bool "sub"
	default y
rsource "Kconfig.rel"
orsource "Kconfig.opt*"
`,
      'sub/Kconfig.rel': `config REL
	bool "rel"
	default y
`,
      'sub/Kconfig.opt1': `config OPT1
	bool "opt1"
`,
      'drivers/b/Kconfig': `config DRV_B
	bool "b"
`,
      'drivers/a/Kconfig': `config DRV_A
	bool "a"
`,
      'drivers/.hidden/Kconfig': `config DRV_HIDDEN
	bool "hidden"
`,
      'envdir/Kconfig.env': `config FROM_ENV_DIR
	bool "env dir"
`,
    },
    env: { SRC_DIR: 'envdir' },
  },
  {
    name: 'preprocessor: variables, functions, env, builtins',
    files: {
      Kconfig: `RECUR = $(SIMPLE)-r
SIMPLE := simple
APPEND = a
APPEND += b
IMM := x
IMM += $(SIMPLE)
fn = <$(1)|$(2)|$(0)>
twice = $(1)$(1)
$(info,info at $(filename):$(lineno))
$(warning-if,y,a warning)
$(warning-if,n,not shown)
NAME_PART := ME
config PRE_$(NAME_PART)
	string "$(RECUR) $(APPEND) $(IMM)"
	default "$(fn,a,b) $(twice,zz) $(MY_ENV) $(UNSET_ENV)"
config SHELL_OUT
	string "shell"
	default "$(shell,printf 'a\\nb\\n')"
config ESC
	string "esc"
	default "\\$(SIMPLE) $HOME_LIKE \${HOME_LIKE}x $NOPE"
config SINGLE
	string 'single "quoted"'
	default 'it"s'
config LINE
	int "line"
	default $(lineno)
`,
    },
    env: { MY_ENV: 'from-env', HOME_LIKE: '/home/x' },
  },
  {
    name: 'option env, defconfig_list, modules, allnoconfig_y',
    files: {
      Kconfig: `config ENV_SET
	string
	option env="ENV_SET"
config BOUNCE
	string
	option env="ENV_SET"
config ENV_UNSET
	string
	option env="ENV_UNSET"
config DEFCONFIG_LIST
	string
	option defconfig_list
	default "foo_defconfig"
config OTHER_LIST
	string
	option defconfig_list
config MOD
	bool "mod"
	option modules
config ANY
	bool "any"
	option allnoconfig_y
config USES
	string "uses"
	default ENV_SET
`,
    },
    env: { ENV_SET: 'value of env' },
  },
  {
    name: 'modules enabled via MODULES symbol',
    files: {
      Kconfig: `config MODULES
	bool "modules"
	option modules
	default y
config T
	tristate "t"
	default m
config T2
	tristate "t2"
	depends on m
	default y
config B
	bool "b"
	default T
config SEL
	tristate "sel"
	select T3
config T3
	tristate "t3"
`,
      'f.conf': 'CONFIG_SEL=m\n',
    },
    fragments: ['f.conf'],
  },
  {
    name: 'sanity warnings',
    files: {
      Kconfig: `config NOTYPE
	prompt "no type"
menuconfig NOPROMPT
	bool
config STR
	string "s"
	default unquoted
config STR2
	string "s2"
	default UPPER_SYM
config INT
	int "i"
	default abc
config INT2
	int "i2"
	range 0 zz
config BOOLR
	bool "b"
	range 0 1
config SEL_STR
	bool "sel"
	select STR
	imply INT
config STR_SEL
	string "ss"
	select BOOLR
config LOGIC
	bool "logic"
	default INT
config PROMPTS
	bool "one"
	prompt "two"
config WS
	bool " padded "
config MULTIHELP
	bool "mh"
	help
	  a
	help
	  b
choice
	default NOT_IN_CHOICE
config CS
	bool "cs"
	default y
config CS2
	bool
endchoice
config NOT_IN_CHOICE
	bool "nic"
	select CS
config CS
	bool "outside"
menu unquoted_title
endmenu
choice
	prompt "int choice"
	int
config CI
	bool "ci"
endchoice
`,
    },
  },
  {
    name: 'select of a choice symbol and nested implicit menus',
    files: {
      Kconfig: `config A
	bool "a"
	default y
config B
	bool "b"
	depends on A
config C
	bool "c"
	depends on B
config D
	bool "d"
	depends on A && B
config E
	bool "e"
	depends on A = y
config F
	bool "f"
	depends on A != n
config G
	bool "g"
`,
      'f.conf': 'CONFIG_B=y\nCONFIG_C=y\n',
    },
    fragments: ['f.conf'],
  },
  {
    name: 'string defaults referencing symbols and undefined names',
    files: {
      Kconfig: `config BASE
	string "base"
	default "base-val"
config REF
	string "ref"
	default BASE
config UNDEF_REF
	string "undef"
	default SOME_UNDEFINED
config INT_REF
	int "int ref"
	default COUNT
config COUNT
	int "count"
	default 3
config HEX_FROM_INT
	hex "hex from int"
	default COUNT
`,
      'f.conf': 'CONFIG_BASE="user"\n',
    },
    fragments: ['f.conf'],
  },
  {
    name: 'tristate without modules behaves like bool',
    files: {
      Kconfig: `config T1
	tristate "t1"
config T2
	tristate "t2"
	default m
config T3
	tristate "t3"
	depends on T1
config T4
	tristate "t4"
	default y if T1 = m
config SEL
	bool "sel"
	select T5
config T5
	tristate
`,
      'f.conf': 'CONFIG_T1=m\nCONFIG_T3=m\nCONFIG_SEL=y\n',
    },
    fragments: ['f.conf'],
  },
  {
    name: 'line continuation and comments',
    files: {
      Kconfig: `# leading comment
config A   # trailing comment
	bool "a" \\
	  if B
	default \\
	  y
config B
	def_bool y  # comment
   # indented comment

config C
	bool "c with # in string"
`,
    },
  },
];
