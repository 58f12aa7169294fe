/**
 * Hand-written differential cases for options, modules, sanity warnings and
 * assorted value semantics.
 */
import type { HandCase } from './cases_lang.ts';

export const LANG_CASES_OPTIONS: HandCase[] = [
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
