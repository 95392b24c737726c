"""Generate reference/oc.md from simkit's oc command table, so the page cannot drift.

Every command is registered in ``simkit.oc.command.COMMANDS`` by the ``@command``
decorator (importing ``simkit.oc.commands`` registers them all) with the flags it
accepts; this script lists each command, what its handler's docstring says, and each
flag: long and short name, whether it takes a value, whether it may repeat, its default.
"""

from __future__ import annotations

import sys
from pathlib import Path

import mkdocs_gen_files

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # document the tree being built, not an installed copy
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _text import markdown  # noqa: E402

import simkit.oc.commands  # noqa: E402, F401 - registers every command
from simkit.oc.command import COMMANDS, GLOBAL_FLAGS, Flag  # noqa: E402


def _flag_name(flag: Flag) -> str:
    name = f"`--{flag.name}`"
    return f"{name}, `-{flag.short}`" if flag.short else name


def _flag_kind(flag: Flag) -> str:
    if not flag.value:
        return "nothing: a switch (`=false` turns it off)"
    return "a value; repeatable" if flag.repeated else "a value"


def _default(flag: Flag) -> str:
    if flag.repeated:
        return "none"
    if flag.default is None:
        return "not set"
    if flag.default == "":
        return "(empty)"
    return f"`{str(flag.default).lower() if isinstance(flag.default, bool) else flag.default}`"


def _anchor(words: tuple[str, ...]) -> str:
    return "oc-" + "-".join(words)


def _flags_table(flags: tuple[Flag, ...]) -> list[str]:
    rows = ["| Flag | Takes | Default |", "|---|---|---|"]
    rows += [f"| {_flag_name(f)} | {_flag_kind(f)} | {_default(f)} |" for f in flags]
    return rows


def page() -> str:
    commands = sorted(COMMANDS.values(), key=lambda c: c.words)
    lines = [
        "# oc command reference",
        "",
        "The `oc` commands simkit models, run with `sim.oc(\"...\")` or in a scenario's",
        "`commands:`. This page is generated from simkit's command table",
        "(`simkit.oc.command.COMMANDS`, filled by the `@command` registrations in",
        "`simkit/oc/commands/`), so it lists exactly what simkit accepts. Flags are read as",
        "cobra/pflag reads them: `--name=value` or `--name value` (`-x value` for a short",
        "name), a switch alone (`--all`) or as `--all=true|false`, a repeatable flag once per",
        "value, `--` ending the flags. An unknown command or flag fails with oc's own",
        "message, and a failed command changes nothing.",
        "",
        "Every command also accepts the global flags: "
        + ", ".join(_flag_name(f) for f in GLOBAL_FLAGS)
        + " (the project to act in; the current project when not given).",
        "",
        "| Command | Flags |",
        "|---|---|",
    ]
    for spec in commands:
        own = [f for f in spec.flags if f not in GLOBAL_FLAGS]
        flags = ", ".join(f"`--{f.name}`" for f in own) or "—"
        lines.append(f"| [`oc {' '.join(spec.words)}`](#{_anchor(spec.words)}) | {flags} |")
    lines.append("")

    for spec in commands:
        words = " ".join(spec.words)
        lines += [f"## oc {words} {{ #{_anchor(spec.words)} }}", ""]
        lines += [markdown(spec.handler.__doc__) or f"`oc {words}`.", ""]
        own = tuple(f for f in spec.flags if f not in GLOBAL_FLAGS)
        lines += _flags_table(own) if own else ["No flags of its own."]
        module = spec.handler.__module__
        lines += ["", f"Defined in [`{module}`](#{module.replace('.', '-')}).", ""]

    lines += [
        "## Where each command comes from",
        "",
        "Each module of `simkit/oc/commands/` restates the oc source it names:",
        "",
    ]
    for module_name in sorted({spec.handler.__module__ for spec in commands}):
        doc = markdown(sys.modules[module_name].__doc__)
        lines += [f"### `{module_name}` {{ #{module_name.replace('.', '-')} }}", "", doc, ""]
    return "\n".join(lines)


def main() -> None:
    with mkdocs_gen_files.open("reference/oc.md", "w", encoding="utf-8") as out:
        out.write(page())
    mkdocs_gen_files.set_edit_path("reference/oc.md", "_gen/oc_reference.py")


if __name__ in ("__main__", "<run_path>"):  # run by mkdocs-gen-files, not on import
    main()
