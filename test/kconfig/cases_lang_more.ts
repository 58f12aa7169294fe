/**
 * More hand-written differential cases for the Kconfig language: help texts,
 * multiple definitions, expressions, sources, the preprocessor, options.
 */
import type { HandCase } from './cases_lang.ts';

export const LANG_CASES_MORE: HandCase[] = [
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
];
