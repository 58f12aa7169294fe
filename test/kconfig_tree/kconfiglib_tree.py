"""Loads zsim's Kconfig tree with the real Kconfiglib, the way zsim's build does.

Reads JSON from stdin:

    {"zsimBase": "/abs/zsim", "cases": [{
        "board": "qemu_x86",            # BOARD
        "qualifiers": "atom",           # BOARD_QUALIFIERS
        "boardDir": "/abs/boards/...",  # BOARD_DIR
        "top": "Kconfig",               # top-level file, relative to srctree (optional)
        "srctree": "/abs/zsim/kconfig", # optional, default <zsimBase>/kconfig
        "fragments": ["/abs/file"],     # merged in order (board defconfig, prj.conf...)
        "texts": ["CONFIG_X=y"],        # inline fragments, merged after "fragments"
        "warnUndef": true               # KCONFIG_WARN_UNDEF: references to undefined symbols
    }]}

Each case runs in a fresh Kconfig instance with exactly BOARD, BOARD_QUALIFIERS, BOARD_DIR,
ZSIM_BASE and srctree in the environment. Like Zephyr's scripts/kconfig/kconfig.py it warns on assignments to undefined
symbols and not on overridden/redundant ones, loads the first fragment with replace=True and the
others with replace=False, then runs Zephyr's checks. Prints one JSON list on stdout:

    {"warnings": [...],        # Kconfiglib's warnings (Zephyr turns them into errors)
     "errors": [...],          # assignments to prompt-less symbols (Zephyr: errors)
     "assignWarnings": [...],  # "X was assigned the value 'y' but got the value 'n'..." (Zephyr: warnings)
     "values": {NAME: str_value for every defined symbol},
     "config": {NAME: value as written to .config ("n" for "is not set")},
     "choices": {NAME: selected symbol or null, for named choices},
     "error": "..."}           # only when the tree or a fragment could not be loaded
"""
import contextlib
import io
import json
import os
import sys
import tempfile

import kconfiglib


def name_and_loc(sym):
    return "{} (defined at {})".format(
        sym.name, ", ".join("{}:{}".format(n.filename, n.linenr) for n in sym.nodes))


def zephyr_checks(kconf):
    """The value checks of Zephyr's scripts/kconfig/kconfig.py."""
    errors, warnings = [], []
    for sym in kconf.unique_defined_syms:
        if sym.user_value is not None and not any(node.prompt for node in sym.nodes):
            errors.append(
                "{} is assigned in a configuration file, but is not directly user-configurable "
                "(has no prompt). It gets its value indirectly from other symbols.".format(
                    name_and_loc(sym)))
    for sym in kconf.unique_defined_syms:
        if sym.choice or sym.user_value is None:
            continue
        user_value = sym.user_value
        if sym.type in (kconfiglib.BOOL, kconfiglib.TRISTATE):
            user_value = kconfiglib.TRI_TO_STR[user_value]
        if user_value != sym.str_value:
            deps = [d for d in kconfiglib.split_expr(sym.direct_dep, kconfiglib.AND)
                    if kconfiglib.expr_value(d) == 0]
            unmet = ", ".join(
                "{} (={})".format(kconfiglib.expr_str(d), kconfiglib.TRI_TO_STR[kconfiglib.expr_value(d)])
                for d in deps)
            warnings.append(
                "{} was assigned the value '{}' but got the value '{}'.{}".format(
                    name_and_loc(sym), user_value, sym.str_value,
                    " Check these unsatisfied dependencies: " + unmet + "." if unmet else ""))
    for choice in kconf.unique_choices:
        if choice.user_selection and choice.user_selection is not choice.selection:
            warnings.append(
                "The choice symbol {} was selected (set =y), but {} ended up as the choice "
                "selection.".format(
                    name_and_loc(choice.user_selection),
                    name_and_loc(choice.selection) if choice.selection else "no symbol"))
    return errors, warnings


def config_values(kconf):
    out = {}
    for sym in kconf.unique_defined_syms:
        text = sym.config_string
        if not text:
            continue
        if text.startswith("# "):
            out[sym.name] = "n"
        else:
            out[sym.name] = text.split("=", 1)[1].rstrip("\n")
    return out


def run_case(case, zsim_base, tmp):
    srctree = case.get("srctree") or os.path.join(zsim_base, "kconfig")
    env = {
        "BOARD": case["board"],
        "BOARD_QUALIFIERS": case.get("qualifiers", ""),
        "BOARD_DIR": case["boardDir"],
        "ZSIM_BASE": zsim_base,
        "srctree": srctree,
    }
    if case.get("warnUndef"):
        env["KCONFIG_WARN_UNDEF"] = "y"
    os.environ.clear()
    os.environ.update(env)
    res = {"warnings": [], "errors": [], "assignWarnings": []}
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            kconf = kconfiglib.Kconfig(case.get("top") or "Kconfig", warn_to_stderr=False)
            kconf.warn_assign_undef = True
            kconf.warn_assign_override = False
            kconf.warn_assign_redun = False
            frags = list(case.get("fragments", []))
            for i, text in enumerate(case.get("texts", [])):
                path = os.path.join(tmp, "inline{}.conf".format(i))
                with open(path, "w") as f:
                    f.write(text + "\n")
                frags.append(path)
            for i, frag in enumerate(frags):
                kconf.load_config(frag, replace=(i == 0))
            res["values"] = {s.name: s.str_value for s in kconf.unique_defined_syms}
            res["config"] = config_values(kconf)
            res["choices"] = {
                c.name: (c.selection.name if c.selection else None)
                for c in kconf.unique_choices if c.name}
            res["errors"], res["assignWarnings"] = zephyr_checks(kconf)
            res["warnings"] = list(kconf.warnings)
    except (kconfiglib.KconfigError, EnvironmentError) as e:
        res["error"] = str(e)
    return res


def main():
    req = json.load(sys.stdin)
    saved = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="zsim-kconfig-tree-") as tmp:
        results = [run_case(c, req["zsimBase"], tmp) for c in req["cases"]]
    os.environ.clear()
    os.environ.update(saved)
    json.dump(results, sys.stdout)


if __name__ == "__main__":
    main()
