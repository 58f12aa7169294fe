/**
 * Character-level mutations of generated trees, to compare tokenizer and
 * error-path behaviour (errors must match Kconfiglib's text exactly).
 */
import { Rng, generateTree, type GeneratedTree } from './gen.ts';

// Fragments that matter to the lexer, preprocessor and help parser.
const PIECES = [
  '"', "'", '\\', '\\\n', '$(', ')', '(', ',', '#', '\t', ' ', '\n', '\n\t', '&&', '||', '!', '=', '!=', '<', '>=',
  'if ', 'endif\n', 'menu "x"\n', 'endmenu\n', 'choice\n', 'endchoice\n', 'help\n', '\t  text\n', 'depends on ',
  'select ', 'default ', 'range ', 'y', 'm', 'n', 'X', '$(SUBDIR)', '$(1)', 'config ', '---help---', '\u00a0', '\r',
];

function mutateText(r: Rng, text: string): string {
  const lines = text.split('\n');
  for (let k = r.int(1, 3); k > 0 && lines.length > 0; k--) {
    const li = r.int(0, lines.length - 1);
    const line = lines[li]!;
    // Keep `source` lines intact: a mangled glob could reach outside the tree.
    if (line.includes('source')) continue;
    const pos = r.int(0, line.length);
    const roll = r.next();
    if (roll < 0.45) lines[li] = line.slice(0, pos) + r.pick(PIECES) + line.slice(pos);
    else if (roll < 0.8) lines[li] = line.slice(0, pos) + line.slice(pos + r.int(1, 4));
    else lines.splice(li, 1);
  }
  return lines.join('\n');
}

/** A generated tree with a few random edits to its top-level Kconfig and fragments. */
export function mutatedTree(seed: number): GeneratedTree {
  const t = generateTree(seed);
  const r = new Rng(seed ^ 0x5bd1e995);
  const files = { ...t.files };
  files['Kconfig'] = mutateText(r, files['Kconfig']!);
  for (const f of t.fragments) if (r.chance(0.5)) files[f] = mutateText(r, files[f]!);
  return { files, fragments: t.fragments, ops: [] };
}
