"""Generate reference/oc.md from simkit's oc command table, so the page cannot drift.

Every command is registered in ``simkit.oc.command.COMMANDS`` by the ``@command``
decorator (importing ``simkit.oc.commands`` registers them all) with the flags it
accepts and its help as oc has it (``use``, ``short``, ``long``, ``example``, each flag's
``usage``). This script renders, for each command, the same help ``oc CMD --help``
prints in simkit (:mod:`simkit.oc.help`): oc's description, the usage line, oc's
examples that simkit accepts, and every flag with its usage, its type and default; then
what its handler's docstring says about simkit's model of it.
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
from simkit.oc.command import COMMANDS, GLOBAL_FLAGS, Command, Flag  # noqa: E402
from simkit.oc.help import (  # noqa: E402
    documented_flags,
    examples,
    help_spec,
    long_desc,
    usage_line,
)


def _flag_name(flag: Flag) -> str:
    name = f"`--{flag.name}`"
    return f"{name}, `-{flag.short}`" if flag.short else name


def _flag_kind(flag: Flag) -> str:
    if not flag.value:
        return "nothing: a switch (`=false` turns it off)"
    return "a value; repeatable" if flag.repeated else "a value"


def _default(flag: Flag) -> str:
    """The default as ``oc CMD --help`` shows it (pflag's ``DefValue``)."""
    return f"`{flag.def_value}`" if flag.def_value else "(empty)"


def _anchor(words: tuple[str, ...]) -> str:
    return "oc-" + "-".join(words)


def _cell(text: str) -> str:
    """Text for a table cell: one line, HTML's and the table's own characters escaped
    (``<namespace>:<name>`` must not read as a tag)."""
    text = " ".join(text.split()).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|").replace("*", "\\*").replace("_", "\\_")


def _flags_table(flags: list[Flag]) -> list[str]:
    rows = ["| Flag | Takes | Default (as oc shows it) | Usage (oc's) |", "|---|---|---|---|"]
    rows += [
        f"| {_flag_name(f)} | {_flag_kind(f)} | {_default(f)} | {_cell(f.usage)} |"
        for f in sorted(flags, key=lambda f: f.name)
    ]
    return rows


def _fenced(text: str, lang: str = "text") -> list[str]:
    return [f"```{lang}", *text.split("\n"), "```"]


def _help_section(spec: Command) -> list[str]:
    """The command's help, as ``oc CMD --help`` prints it in simkit."""
    text = help_spec(spec)
    if not text.has_help:
        return ["*No help registered for this command yet.*", ""]
    lines: list[str] = []
    if text is not spec:
        lines += [f"Help as for `oc {' '.join(text.words)}`, which this form is.", ""]
    description = long_desc(text.long.replace("kubectl", "oc"))
    if not description.startswith(text.short):
        lines += [f"**{_cell(text.short)}.**", ""]
    if description:
        lines += _fenced(description) + [""]
    lines += ["**Usage**", ""] + _fenced(usage_line(spec), "console") + [""]
    if text.example:
        lines += ["**Examples**", ""] + _fenced(examples(text.example), "console") + [""]
    return lines


def page() -> str:
    commands = sorted(COMMANDS.values(), key=lambda c: c.words)
    lines = [
        "# oc command reference",
        "",
        'The `oc` commands simkit models, run with `sim.oc("...")` or in a scenario\'s',
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
        "`oc help`, `oc --help`, `oc CMD --help` (or `-h`) and `oc help CMD` print the help",
        "below in oc's own shape, and `oc options` the global flags; help changes nothing. A",
        'real oc command simkit does not model is named as such (`error: "oc explain" is',
        "not modelled by simkit`), and a typo gets oc's `unknown command` with cobra's",
        "suggestions.",
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
        lines += _help_section(spec)
        own = documented_flags(spec)
        lines += ["**Options**", ""]
        lines += _flags_table(own) if own else ["No flags of its own."]
        lines += ["", "**In simkit**", "", markdown(spec.handler.__doc__) or f"`oc {words}`."]
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
