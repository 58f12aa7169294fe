/**
 * Zephyr's configuration merge step (scripts/kconfig/kconfig.py with
 * --handwritten-input-configs): merge fragments in order, then check that
 * assignments "took", that no promptless symbol was assigned, and treat
 * every Kconfiglib warning as fatal. Results are structured diagnostics.
 */
import { isBoolTri, TRI_TO_STR } from './constants.ts';
import { exprStr, exprValue, splitExpr } from './expr.ts';
import type { Kconfig } from './kconfig.ts';
import { textwrapFill } from './pyutil.ts';
import type { KSymbol } from './symbol.ts';

/** A message from the merge step. */
export interface Diagnostic {
  readonly severity: 'error' | 'warning';
  /** Message text without "warning:"/"error:" prefix or location. */
  readonly message: string;
  /** File the diagnostic points at (a fragment or Kconfig file), when known. */
  readonly file?: string;
  readonly line?: number;
  /** Who produces it in Zephyr: a Kconfiglib warning (fatal there) or kconfig.py itself. */
  readonly origin: 'kconfiglib' | 'zephyr';
  /** For Kconfiglib warnings, the exact text Zephyr prints. */
  readonly text?: string;
}

/** A `-DCONFIG_X=VALUE` style assignment, given as the `CONFIG_X=VALUE` text. */
export type ExtraAssignment = string;

/** Inputs of {@link mergeConfigs}. */
export interface MergeOptions {
  /** Fragment paths in order: board defconfig, prj.conf, board overlay, extra overlays. Later ones win. */
  fragments: readonly string[];
  /** Extra assignments applied after all fragments (e.g. from -DCONFIG_X=y). */
  extra?: readonly ExtraAssignment[];
  /** Name the extra assignments are reported under. */
  extraName?: string;
}

/** Outcome of {@link mergeConfigs}. */
export interface MergeResult {
  readonly diagnostics: Diagnostic[];
  /** False when Zephyr would abort the build. */
  readonly ok: boolean;
}

const symInfoHint = (sym: KSymbol): string =>
  `See http://docs.zephyrproject.org/latest/kconfig.html#CONFIG_${sym.name} and/or look up ${sym.name} in the ` +
  'menuconfig/guiconfig interface. The Application Development Primer, Setting Configuration Values, and ' +
  'Kconfig - Tips and Best Practices sections of the manual might be helpful too.';

function promptless(sym: KSymbol): boolean {
  return !sym.nodes.some((n) => n.prompt);
}

function at(sym: KSymbol): { file?: string; line?: number } {
  return sym.userValueLoc ? { file: sym.userValueLoc.filename, line: sym.userValueLoc.linenr } : {};
}

/** Zephyr's missing_deps(): the top-level `depends on` terms below the assigned value. */
function missingDepsText(sym: KSymbol): string {
  const deps = splitExpr(sym.directDep, 'and');
  const missing = isBoolTri(sym.type)
    ? deps.filter((d) => exprValue(d) < (sym.userValue as number))
    : deps.filter((d) => exprValue(d) === 0);
  return missing
    .map((d) => {
      const s = d.kind === 'symbol' || d.kind === 'choice' ? exprStr(d) : `(${exprStr(d)})`;
      return `${s} (=${TRI_TO_STR[exprValue(d)]})`;
    })
    .join(', ');
}

function checkAssignedSymValues(kconf: Kconfig, out: Diagnostic[]): void {
  for (const sym of kconf.uniqueDefinedSyms) {
    if (sym.choice || sym.userValue === null) continue;
    const uv = isBoolTri(sym.type) ? TRI_TO_STR[sym.userValue as number]! : String(sym.userValue);
    if (uv === sym.strValue) continue;
    let msg = `${sym.nameAndLoc} was assigned the value '${uv}' but got the value '${sym.strValue}'. `;
    const deps = missingDepsText(sym);
    if (deps) msg += `Check these unsatisfied dependencies: ${deps}. `;
    out.push({ severity: 'warning', message: msg + symInfoHint(sym), origin: 'zephyr', ...at(sym) });
  }
}

function checkAssignedChoiceValues(kconf: Kconfig, out: Diagnostic[]): void {
  for (const choice of kconf.uniqueChoices) {
    const us = choice.userSelection;
    if (!us || us === choice.selection) continue;
    const got = choice.selection ? choice.selection.nameAndLoc : 'no symbol';
    out.push({
      severity: 'warning',
      message: `The choice symbol ${us.nameAndLoc} was selected (set =y), but ${got} ended up as the choice selection. ${symInfoHint(us)}`,
      origin: 'zephyr',
      ...at(us),
    });
  }
}

function checkSelectedBy(kconf: Kconfig, symName: string, label: string, out: Diagnostic[]): void {
  const sym = kconf.syms.get(symName);
  if (!sym || sym.revDep === kconf.n) return;
  for (const s of splitExpr(sym.revDep, 'or')) {
    if (exprValue(s) !== 2) continue;
    const selector = splitExpr(s, 'and')[0] as KSymbol;
    out.push({ severity: 'warning', message: `${label} symbol ${selector.name} is enabled.`, origin: 'zephyr' });
  }
}

/**
 * Applies `fragments` then `extra` to `kconf` (merging, later wins) and runs
 * Zephyr's checks. Mutates `kconf`'s user values and warning settings.
 */
export function mergeConfigs(kconf: Kconfig, opts: MergeOptions): MergeResult {
  // Handwritten fragments: undefined assignments warn (and so fail), overrides do not.
  kconf.warnAssignUndef = true;
  kconf.warnAssignOverride = false;
  kconf.warnAssignRedun = false;
  for (const frag of opts.fragments) kconf.loadConfig(frag, { replace: false });
  if (opts.extra && opts.extra.length > 0) {
    const name = opts.extraName ?? 'extra_kconfig_options.conf';
    kconf.loadConfig(name, { replace: false, text: opts.extra.map((a) => a + '\n').join('') });
  }
  const out: Diagnostic[] = [];
  for (const sym of kconf.uniqueDefinedSyms) {
    if (sym.userValue !== null && promptless(sym)) {
      out.push({
        severity: 'error',
        message:
          `${sym.nameAndLoc} is assigned in a configuration file, but is not directly user-configurable ` +
          `(has no prompt). It gets its value indirectly from other symbols. ${symInfoHint(sym)}`,
        origin: 'zephyr',
        ...at(sym),
      });
    }
  }
  // kconfig.py exits at the first promptless assignment, before any other check.
  if (out.length > 0) return { diagnostics: out, ok: false };
  checkAssignedSymValues(kconf, out);
  checkAssignedChoiceValues(kconf, out);
  if (kconf.syms.get('WARN_DEPRECATED')?.triValue === 2) checkSelectedBy(kconf, 'DEPRECATED', 'Deprecated', out);
  if (kconf.syms.get('WARN_EXPERIMENTAL')?.triValue === 2) checkSelectedBy(kconf, 'EXPERIMENTAL', 'Experimental', out);
  // Evaluating everything surfaces evaluation-time warnings (ranges, selects).
  kconf.configText();
  // Every Kconfiglib warning, including parse-time ones, aborts a Zephyr build.
  const kwarnings = kconf.warnings;
  for (const w of kwarnings) {
    out.push({
      severity: 'error',
      message: w.message,
      origin: 'kconfiglib',
      text: w.text,
      ...(w.filename !== undefined ? { file: w.filename, line: w.linenr } : {}),
    });
  }
  if (kwarnings.length > 0) out.push({ severity: 'error', message: 'Aborting due to Kconfig warnings', origin: 'zephyr' });
  return { diagnostics: out, ok: !out.some((d) => d.severity === 'error') };
}

/**
 * Renders a diagnostic the way Zephyr prints it: Kconfiglib warnings verbatim
 * (`FILE:LINE: warning: ...`), kconfig.py's own messages wrapped at 100 columns.
 */
export function formatDiagnostic(d: Diagnostic): string {
  if (d.origin === 'kconfiglib') return d.text ?? (d.file !== undefined ? `${d.file}:${d.line}: ` : '') + 'warning: ' + d.message;
  return textwrapFill(`${d.severity}: ${d.message}`, 100);
}
