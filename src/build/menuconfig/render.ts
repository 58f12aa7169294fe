/**
 * Drawing menuconfig: each mode becomes a {@link Frame} of styled text exactly the terminal's size,
 * which turns into ANSI escapes for a terminal or plain text for scripted mode and tests. Layout
 * after Kconfiglib's menuconfig: a path bar on top, the menu, a status line and a key-help bar.
 */
import { KSymbol } from '../../kconfig/index.ts';
import { infoRows, menuRows, searchRows, type MenuconfigApp, type Mode } from './app.ts';
import { resultText } from './search.ts';

/** How a piece of text looks. */
export type Style = 'plain' | 'bar' | 'sel' | 'dim' | 'error' | 'field';
export interface Seg {
  text: string;
  style: Style;
}
/** One screen row: segments whose texts add up to the screen width. */
export type Line = Seg[];
/** A whole screen, and where the terminal cursor goes (text fields) or null (hidden). */
export interface Frame {
  lines: Line[];
  cursor: { row: number; col: number } | null;
}

/** Marks the selected row in column 0, so it also shows where reverse video does not (plain text, screen readers). */
const SEL_MARK = '>';
const MENU_HELP = '[Space/Enter] Toggle/enter  [Esc] Back  [/] Search  [?] Info  [S] Save  [A] Show all  [Q] Quit';

/** Cuts or pads `s` to exactly `w` columns (one column per code point). */
export function fit(s: string, w: number): string {
  const cps = [...s];
  return cps.length >= w ? cps.slice(0, w).join('') : s + ' '.repeat(w - cps.length);
}

const line = (text: string, width: number, style: Style = 'plain'): Line => [{ text: fit(text, width), style }];

/** Left text and right text on one bar. */
function bar(left: string, right: string, width: number): Line {
  const r = [...right].length;
  return line(r && r + 2 < width ? fit(left, width - r - 1) + right + ' ' : left, width, 'bar');
}

/** Renders the current screen. */
export function render(app: MenuconfigApp): Frame {
  const m = app.mode;
  switch (m.kind) {
    case 'search':
      return renderSearch(app, m);
    case 'info':
      return renderInfo(app, m);
    case 'menu':
      return { lines: renderMenu(app), cursor: null };
    case 'edit':
      return renderEdit(app, m);
    case 'confirm': {
      const lines = renderMenu(app);
      drawBox(lines, app.width, ' Quit ', ['', 'Save configuration?', '', '[Y]es   [N]o   [Esc] Cancel', '']);
      return { lines, cursor: null };
    }
  }
}

function renderMenu(app: MenuconfigApp): Line[] {
  const { model, width: w, height: h } = app;
  const rows = menuRows(h);
  const lines: Line[] = [bar(` ${model.pathText()}`, model.changed ? '[modified]' : '', w)];
  lines.push(line(model.scroll > 0 ? '  ^(-)' : '', w, 'dim'));
  for (let i = 0; i < rows; i++) {
    const node = model.shown[model.scroll + i];
    if (!node) lines.push(line('', w));
    else if (model.scroll + i === model.sel) lines.push(line(`${SEL_MARK}${model.nodeStr(node)}`, w, 'sel'));
    // As Kconfiglib: in show-all mode, entries that are not visible are drawn in their own style
    // (outside it, an invisible symbol shown for its visible children looks like the others).
    else lines.push(line(` ${model.nodeStr(node)}`, w, model.visible(node) || !model.showAll ? 'plain' : 'dim'));
  }
  if (model.shown.length === 0) lines[2] = line('  (no visible entries: press A to show all)', w, 'dim');
  lines.push(line(model.scroll + rows < model.shown.length ? '  v(+)' : '', w, 'dim'));
  lines.push(statusLine(app));
  lines.push(line(` ${MENU_HELP}`, w, 'bar'));
  return lines;
}

/** The message, or else the selected symbol's name and first help line. */
function statusLine(app: MenuconfigApp): Line {
  if (app.message) return line(` ${app.message}`, app.width, /^(Error|Bad)/.test(app.message) ? 'error' : 'plain');
  const item = app.model.selected?.item;
  if (!(item instanceof KSymbol)) return line('', app.width);
  const help = item.nodes.find((n) => n.help)?.help?.split('\n')[0] ?? '';
  return line(` CONFIG_${item.name}${help ? `: ${help}` : ''}`, app.width, 'dim');
}

function renderEdit(app: MenuconfigApp, m: Extract<Mode, { kind: 'edit' }>): Frame {
  const lines = renderMenu(app);
  const inner = Math.max(10, Math.min(app.width - 8, 72));
  const fieldW = inner - 2;
  // Scroll the field horizontally so the cursor stays inside.
  const chars = [...m.text];
  const start = Math.max(0, m.cursor - fieldW + 1);
  const shown = chars.slice(start, start + fieldW).join('');
  const body = ['', ...(m.req.rangeInfo ? [m.req.rangeInfo] : []), '\0field', m.error ? `\0error${m.error}` : '', '', '[Enter] OK   [Esc] Cancel'];
  const at = drawBox(lines, app.width, ` ${m.req.title} `, body, inner, (text, width) => {
    if (text === '\0field') return [{ text: fit(shown, width), style: 'field' }];
    if (text.startsWith('\0error')) return [{ text: fit(text.slice(6), width), style: 'error' }];
    return null;
  });
  const fieldRow = at.row + 1 + body.indexOf('\0field');
  return { lines, cursor: { row: fieldRow, col: at.col + 2 + (m.cursor - start) } };
}

/**
 * Draws a framed box centred on `lines` (in place). `custom` may render a body line itself.
 * Returns the top-left corner.
 */
function drawBox(
  lines: Line[],
  width: number,
  title: string,
  body: string[],
  inner = Math.min(width - 4, Math.max(title.length + 4, ...body.map((b) => b.length + 2))),
  custom: (text: string, width: number) => Seg[] | null = () => null,
): { row: number; col: number } {
  const boxW = inner + 2;
  const col = Math.max(0, Math.floor((width - boxW) / 2));
  const row = Math.max(0, Math.floor((lines.length - body.length - 2) / 2));
  const dashes = Math.max(0, inner - title.length);
  const top = '+' + '-'.repeat(Math.floor(dashes / 2)) + title + '-'.repeat(Math.ceil(dashes / 2)) + '+';
  const rowsOut: Seg[][] = [[{ text: fit(top, boxW), style: 'plain' }]];
  for (const b of body) {
    const segs = custom(b, inner - 2) ?? [{ text: fit(b, inner - 2), style: 'plain' as Style }];
    rowsOut.push([{ text: '| ', style: 'plain' }, ...segs, { text: ' |', style: 'plain' }]);
  }
  rowsOut.push([{ text: '+' + '-'.repeat(inner) + '+', style: 'plain' }]);
  rowsOut.forEach((segs, i) => {
    if (row + i < lines.length) lines[row + i] = splice(lines[row + i]!, col, segs);
  });
  return { row, col };
}

/** Replaces the columns from `col` of a line with `segs`. */
function splice(l: Line, col: number, segs: Seg[]): Line {
  const w = segs.reduce((n, s) => n + [...s.text].length, 0);
  const out: Line = [];
  let pos = 0;
  for (const s of l) {
    const cps = [...s.text];
    const before = cps.slice(0, Math.max(0, col - pos));
    const after = cps.slice(Math.max(0, col + w - pos));
    if (before.length) out.push({ text: before.join(''), style: s.style });
    if (pos + cps.length > col && pos <= col) out.push(...segs);
    if (after.length && pos + cps.length > col + w) out.push({ text: after.join(''), style: s.style });
    pos += cps.length;
  }
  return out;
}

function renderSearch(app: MenuconfigApp, m: Extract<Mode, { kind: 'search' }>): Frame {
  const { width: w, height: h } = app;
  const rows = searchRows(h);
  const lines: Line[] = [bar(' Jump to symbol: regular expressions matched against names and prompts', '', w)];
  lines.push(line(`/ ${m.query}`, w, 'field'));
  lines.push(line('-'.repeat(w), w, 'dim'));
  for (let i = 0; i < rows; i++) {
    const node = m.results[m.scroll + i];
    const sel = m.scroll + i === m.sel;
    lines.push(node ? line(`${sel ? SEL_MARK : ' '}${resultText(app.kconf, node)}`, w, sel ? 'sel' : 'plain') : line('', w));
  }
  const status = m.error ?? (m.query.trim() ? `${m.results.length} match${m.results.length === 1 ? '' : 'es'}` : 'Type a symbol name or part of a prompt');
  lines.push(line(` ${app.message ?? status}`, w, m.error ? 'error' : 'plain'));
  lines.push(line(' [Up/Down] Select  [Enter] Jump to it  [Esc] Cancel', w, 'bar'));
  return { lines, cursor: { row: 1, col: Math.min(w - 1, 2 + [...m.query].length) } };
}

function renderInfo(app: MenuconfigApp, m: Extract<Mode, { kind: 'info' }>): Frame {
  const { width: w, height: h } = app;
  const rows = infoRows(h);
  const lines: Line[] = [bar(` ${m.title}`, '', w)];
  for (let i = 0; i < rows; i++) lines.push(line(` ${m.lines[m.scroll + i] ?? ''}`, w));
  const last = Math.min(m.lines.length, m.scroll + rows);
  lines.push(bar(' [Up/Down/PgUp/PgDn] Scroll  [Esc/Q] Back', `lines ${m.scroll + 1}-${last} of ${m.lines.length}`, w));
  return { lines, cursor: null };
}

/** The frame as plain text (no trailing spaces), for scripted mode and tests. */
export function frameText(f: Frame): string {
  return f.lines.map((l) => l.map((s) => s.text).join('').trimEnd()).join('\n');
}

const SGR_COLOR: Record<Style, string> = { plain: '0', bar: '0;97;44', sel: '0;7', dim: '0;2', error: '0;1;31', field: '0;4' };
const SGR_MONO: Record<Style, string> = { plain: '0', bar: '0;7', sel: '0;7', dim: '0', error: '0;1', field: '0;4' };

/** The frame as terminal output: each row positioned, then the cursor placed or hidden. */
export function frameAnsi(f: Frame, color: boolean): string {
  const sgr = color ? SGR_COLOR : SGR_MONO;
  let out = '\x1b[?25l';
  f.lines.forEach((l, i) => {
    out += `\x1b[${i + 1};1H`;
    for (const s of l) out += `\x1b[${sgr[s.style]}m${s.text}`;
    out += '\x1b[0m';
  });
  if (f.cursor) out += `\x1b[${f.cursor.row + 1};${f.cursor.col + 1}H\x1b[?25h`;
  return out;
}
