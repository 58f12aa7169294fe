/**
 * Help output in Zephyr's layout (`shell_help.c`):
 *
 *     kernel - Kernel commands
 *     Subcommands:
 *       cycles   :Kernel cycles.
 *       reboot   :Reboot.
 *
 * Help text is wrapped at the terminal width without splitting words, continuation lines indented
 * under the text's first column.
 */
import type { Kernel } from '../kernel/kernel.ts';
import { levelEntries } from './shell_registry.ts';
import { SHELL_NORMAL, type ShellContext, type ShellStaticEntry } from './shell_types.ts';

function isSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\v' || c === '\f';
}

/**
 * Lays out `text` starting at column `indent` (the cursor is already there), wrapping at `width`
 * and indenting every further line by `indent` (`formatted_text_print`). Ends with a newline.
 */
export function formatText(text: string, indent: number, width: number): string {
  let out = '';
  let offset = 0;
  while (isSpace(text[offset])) offset++;
  const room = Math.max(1, width - indent);
  const newline = (): void => {
    out += '\n' + ' '.repeat(indent);
  };
  for (;;) {
    const rest = text.slice(offset);
    if (rest.length <= room) {
      const nl = rest.indexOf('\n');
      if (nl < 0) {
        out += rest;
        break;
      }
      // Zephyr indents only the first embedded newline of a short text; zsim indents them all.
      out += rest.slice(0, nl);
      offset += nl + 1;
      newline();
      continue;
    }
    let length = room;
    for (let idx = 0; ; idx++) {
      const c = text[offset + idx];
      if (isSpace(c)) {
        length = idx;
        if (c === '\n') break;
      }
      if (idx + indent >= width) break;
    }
    out += text.slice(offset, offset + length);
    offset += length;
    while (isSpace(text[offset])) offset++;
    if (offset >= text.length) break;
    newline();
  }
  return out + '\n';
}

/** `z_shell_help_cmd_print`: `syntax - help`, wrapped. */
export function helpCmdText(cmd: ShellStaticEntry, width: number): string {
  const sep = ' - ';
  return `${cmd.syntax}${sep}${formatText(cmd.help ?? '', cmd.syntax.length + sep.length, width)}`;
}

/**
 * `z_shell_help_subcmd_print`: `description` then one `  name<pad>  :help` line per entry of the
 * level (`parent` null for the root commands). Prints nothing when the level is empty.
 */
export function helpSubcmdText(k: Kernel, parent: ShellStaticEntry | null, description: string, width: number): string {
  const entries = levelEntries(k, parent);
  const longest = entries.reduce((m, e) => Math.max(m, e.syntax.length), 0);
  if (longest === 0) return '';
  const tab = '  ';
  const offset = 2 * tab.length + longest + 1;
  let out = description;
  for (const e of entries) {
    out += `${tab}${e.syntax.padEnd(longest)}${tab}:`;
    out += e.help === null ? '\n' : formatText(e.help, offset, width);
  }
  return out;
}

/** `shell_internal_help_print`: the active command's help and its subcommands. */
export function printCommandHelp(sh: ShellContext, cmd: ShellStaticEntry): void {
  if (!sh.kernel.enabled('SHELL_HELP') && sh.kernel.config.SHELL_HELP !== undefined) return;
  sh.write(SHELL_NORMAL, helpCmdText(cmd, sh.helpWidth));
  sh.write(SHELL_NORMAL, helpSubcmdText(sh.kernel, cmd, 'Subcommands:\n', sh.helpWidth));
}
