/**
 * Visibility of symbols and choices (the upper bound on user-settable values),
 * plus the "(defined at ...)" location suffix used in messages.
 */
import type { Tri } from './constants.ts';
import type { KSymbol } from './symbol.ts';
import type { Choice } from './choice.ts';
import { exprValue } from './expr.ts';

/** Kconfiglib's _visibility(). */
export function computeVisibility(sc: KSymbol | Choice): Tri {
  let vis: Tri = 0;
  for (const node of sc.nodes) {
    if (node.prompt) vis = Math.max(vis, exprValue(node.prompt[1])) as Tri;
  }
  if (sc.kind === 'symbol' && sc.choice) {
    // Non-tristate choice symbols are only visible in y mode.
    if (sc.choice.origType === 'tristate' && sc.origType !== 'tristate' && sc.choice.triValue !== 2) return 0;
    // Choice symbols with m visibility are not visible in y mode.
    if (sc.origType === 'tristate' && vis === 1 && sc.choice.triValue === 2) return 0;
  }
  if (vis === 1 && sc.type !== 'tristate') return 2;
  return vis;
}

/** Kconfiglib's _locs(): "(defined at FILE:LINE, ...)" or "(undefined)". */
export function locsStr(sc: KSymbol | Choice): string {
  if (sc.nodes.length === 0) return '(undefined)';
  return '(defined at ' + sc.nodes.map((n) => `${n.filename}:${n.linenr}`).join(', ') + ')';
}
