"""Differential-test driver: runs the real Kconfiglib on a batch of cases.

Reads JSON from stdin: {"out": DIR, "cases": [{"dir", "kconfig", "fragments",
"env", "warnAssignUndef"?, "zephyr"?}]}. For each case it loads the tree
(from "dir", with exactly "env" as the environment), merges the fragments
with load_config(replace=False) in order, writes .config and autoconf.h, and
reports what came out. Prints one JSON list on stdout.
"""
import contextlib
import io
import json
import os
import sys

import kconfiglib


def run_case(idx, case, out_dir):
    os.chdir(case["dir"])
    os.environ.clear()
    os.environ.update(case["env"])
    res = {"warnings": [], "infos": []}
    info = io.StringIO()
    try:
        with contextlib.redirect_stdout(info):
            kconf = kconfiglib.Kconfig(case["kconfig"], warn_to_stderr=False)
        res["infos"] = info.getvalue().splitlines()
        if case.get("warnAssignUndef"):
            kconf.warn_assign_undef = True
        if case.get("zephyr"):
            kconf.warn_assign_undef = True
            kconf.warn_assign_override = False
            kconf.warn_assign_redun = False
        for frag in case["fragments"]:
            kconf.load_config(frag, replace=False)
        if case.get("zephyr"):
            # Zephyr checks assignments before anything is written, which
            # decides the order of evaluation-time warnings.
            res["zephyr"] = zephyr_checks(kconf)
        snapshots = []
        for op in case.get("ops", []):
            if op[0] == "set":
                kconf.syms[op[1]].set_value(op[2])
            elif op[0] == "unset":
                kconf.syms[op[1]].unset_value()
            else:
                snap = os.path.join(out_dir, "%d.snap" % idx)
                kconf.write_config(snap, save_old=False)
                with open(snap) as f:
                    snapshots.append(f.read())
        if case.get("ops"):
            res["snapshots"] = snapshots
        cfg = os.path.join(out_dir, "%d.config" % idx)
        hdr = os.path.join(out_dir, "%d.h" % idx)
        kconf.write_config(cfg, save_old=False)
        kconf.write_autoconf(hdr)
        with open(cfg) as f:
            res["config"] = f.read()
        with open(hdr) as f:
            res["autoconf"] = f.read()
        res["warnings"] = list(kconf.warnings)
        res["missing"] = [list(m) for m in kconf.missing_syms]
        res["values"] = {s.name: s.str_value for s in kconf.unique_defined_syms}
        res["choices"] = [
            (c.selection.name if c.selection else None) for c in kconf.unique_choices
        ]
        t2s = kconfiglib.TRI_TO_STR
        res["details"] = [
            "%s %s %s" % (s.name, t2s[s.visibility], "".join(t2s[a] for a in s.assignable))
            for s in kconf.unique_defined_syms
        ] + [
            "choice %s %s %s" % (c.str_value, t2s[c.visibility], "".join(t2s[a] for a in c.assignable))
            for c in kconf.unique_choices
        ]
    except (kconfiglib.KconfigError, EnvironmentError) as e:
        res["error"] = str(e)
        res["infos"] = info.getvalue().splitlines()
    except Exception as e:
        # Kconfiglib bugs (e.g. AttributeError on 'help' in a menu)
        res["crash"] = "%s: %s" % (type(e).__name__, e)
    return res


def zephyr_checks(kconf):
    """Zephyr's post-merge checks (scripts/kconfig/kconfig.py), reimplemented
    on top of Kconfiglib objects; messages lack the trailing documentation hint."""
    msgs = []
    for sym in kconf.unique_defined_syms:
        if sym.user_value is not None and not any(n.prompt for n in sym.nodes):
            msgs.append(["error", sym.name_and_loc + " is assigned in a configuration "
                         "file, but is not directly user-configurable (has no prompt). "
                         "It gets its value indirectly from other symbols."])
    if msgs:
        # kconfig.py exits at the first of these, before its other checks
        return msgs
    for sym in kconf.unique_defined_syms:
        if sym.choice or sym.user_value is None:
            continue
        uv = sym.user_value
        is_bt = sym.type in (kconfiglib.BOOL, kconfiglib.TRISTATE)
        if is_bt:
            uv = kconfiglib.TRI_TO_STR[uv]
        if uv == sym.str_value:
            continue
        msg = "%s was assigned the value '%s' but got the value '%s'." % (
            sym.name_and_loc, uv, sym.str_value)
        deps = kconfiglib.split_expr(sym.direct_dep, kconfiglib.AND)
        if is_bt:
            mdeps = [d for d in deps if kconfiglib.expr_value(d) < sym.user_value]
        else:
            mdeps = [d for d in deps if kconfiglib.expr_value(d) == 0]
        if mdeps:
            strs = []
            for d in mdeps:
                e = kconfiglib.expr_str(d)
                if isinstance(d, tuple):
                    e = "(" + e + ")"
                strs.append("%s (=%s)" % (e, kconfiglib.TRI_TO_STR[kconfiglib.expr_value(d)]))
            msg += " Check these unsatisfied dependencies: " + ", ".join(strs) + "."
        msgs.append(["warning", msg])
    for choice in kconf.unique_choices:
        us = choice.user_selection
        if us and us is not choice.selection:
            msgs.append(["warning", "The choice symbol %s was selected (set =y), but %s "
                         "ended up as the choice selection." % (
                             us.name_and_loc,
                             choice.selection.name_and_loc if choice.selection
                             else "no symbol")])
    return msgs


def main():
    req = json.load(sys.stdin)
    results = [run_case(i, c, req["out"]) for i, c in enumerate(req["cases"])]
    sys.stdout.write(json.dumps(results))


if __name__ == "__main__":
    main()
