"""Generate reference/scenario.md from the scenario file's pydantic schema.

Walks ``simkit.scenarios.schema.Scenario`` and every model it nests: for each field its
key in the file (an alias such as ``from`` where one is set), its type, its default (or
"required") and its description.  A description is the field's ``description=`` or the
docstring written under the field; a field with neither is reported as a warning, which
``mkdocs build --strict`` turns into a failed build, so the page cannot drift.
"""

from __future__ import annotations

import ast
import inspect
import logging
import sys
import textwrap
import types
import typing
from pathlib import Path

import mkdocs_gen_files

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # document the tree being built, not an installed copy
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _text import markdown, one_line  # noqa: E402
from pydantic import BaseModel  # noqa: E402
from pydantic_core import PydanticUndefined  # noqa: E402

from simkit.scenarios import schema  # noqa: E402

log = logging.getLogger("mkdocs.plugins.simkit.scenario_reference")
SCENARIO_FILE = ROOT / "data" / "scenarios" / "default.yaml"


def _attribute_docstrings(model: type[BaseModel]) -> dict[str, str]:
    """The docstrings written under the fields of ``model``'s own class body."""
    try:
        source = inspect.getsource(model)
    except (OSError, TypeError):
        return {}
    body = ast.parse(textwrap.dedent(source)).body[0]
    found: dict[str, str] = {}
    statements = getattr(body, "body", [])
    for node, following in zip(statements, statements[1:], strict=False):
        if (
            isinstance(node, ast.AnnAssign)
            and isinstance(node.target, ast.Name)
            and isinstance(following, ast.Expr)
            and isinstance(following.value, ast.Constant)
            and isinstance(following.value.value, str)
        ):
            found[node.target.id] = following.value.value
    return found


def _duration_fields(model: type[BaseModel]) -> set[str]:
    """Fields whose 'before' validator parses a duration (``10m``, ``1h30m``, seconds)."""
    fields: set[str] = set()
    for decorator in model.__pydantic_decorators__.field_validators.values():
        func = getattr(decorator.func, "__func__", decorator.func)
        code = getattr(func, "__code__", None)
        uses = func is schema._duration or (code is not None and "_duration" in code.co_names)
        if decorator.info.mode == "before" and uses:
            fields.update(decorator.info.fields)
    return fields


def _nested(annotation: object) -> list[type[BaseModel]]:
    """The models named anywhere inside a type annotation."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found = []
    for arg in typing.get_args(annotation):
        found += _nested(arg)
    return found


def _type(annotation: object, duration: bool) -> str:
    """A type annotation as the reader of a YAML file thinks of it."""
    if duration:
        base = "duration (`90s`, `15m`, `1h30m`, `7d` or seconds)"
        return base + " or null" if _optional(annotation) else base
    return _type_name(annotation)


def _optional(annotation: object) -> bool:
    return type(None) in typing.get_args(annotation)


def _type_name(annotation: object) -> str:
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Literal:
        return "one of " + ", ".join(f"`{a}`" for a in args)
    if origin in (typing.Union, types.UnionType):
        parts = [_type_name(a) for a in args if a is not type(None)]
        text = " or ".join(parts)
        return text + " or null" if type(None) in args else text
    if origin is list:
        return f"list of {_type_name(args[0])}" if args else "list"
    if origin is dict:
        return f"mapping of {_type_name(args[0])} to {_type_name(args[1])}" if args else "mapping"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return f"[{annotation.__name__}](#{annotation.__name__.lower()})"
    if annotation is typing.Any:
        return "any"
    names = {str: "string", int: "integer", float: "number", bool: "boolean"}
    return names.get(annotation, getattr(annotation, "__name__", str(annotation)))


def _default(field, duration: bool) -> str:
    if field.is_required():
        return "**required**"
    value = field.default_factory() if field.default_factory is not None else field.default
    if value is PydanticUndefined:
        return "**required**"
    if isinstance(value, BaseModel):
        return "its defaults"
    if value is None:
        return "`null`"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if value in ([], {}, ""):
        return {list: "`[]`", dict: "`{}`", str: '`""`'}[type(value)]
    if duration and isinstance(value, int | float):
        return f"`{value:g}` s"
    return f"`{value}`"


def _models() -> list[type[BaseModel]]:
    """``Scenario`` and every model it nests, in the order a reader meets them."""
    order: list[type[BaseModel]] = []
    pending: list[type[BaseModel]] = [schema.Scenario]
    while pending:
        model = pending.pop(0)
        if model in order:
            continue
        order.append(model)
        for field in model.model_fields.values():
            pending += [m for m in _nested(field.annotation) if m not in order]
    return order


def _section(model: type[BaseModel]) -> list[str]:
    notes = _attribute_docstrings(model)
    durations = _duration_fields(model)
    lines = [f"## {model.__name__}", "", markdown(model.__doc__), ""]
    lines += ["| Key | Type | Default | Description |", "|---|---|---|---|"]
    for name, field in model.model_fields.items():
        description = field.description or notes.get(name)
        if not description:
            log.warning(
                "scenario reference: %s.%s has no description (write a docstring "
                "under the field in simkit/scenarios/schema.py)",
                model.__name__,
                name,
            )
            description = ""
        key = field.alias or name
        duration = name in durations
        lines.append(
            f"| `{key}` | {_type(field.annotation, duration)} | "
            f"{_default(field, duration)} | {one_line(description)} |"
        )
    lines.append("")
    return lines


def page() -> str:
    lines = [
        "# Scenario file reference",
        "",
        "A scenario file is YAML (or JSON) run by `simkit run FILE` and",
        "`simkit.scenarios.run`; `--set NAME=VALUE` overrides any value by its dotted name",
        "(`cluster.config.scheduled_import_interval=5m`). Unknown keys are errors, reported",
        "with the key's place in the file. This page is generated from the pydantic schema",
        "in `simkit/scenarios/schema.py`, so it lists exactly the keys simkit accepts.",
        "",
        "Durations are Go-style strings (`90s`, `15m`, `1h30m`) or `7d`, or plain seconds.",
        "",
    ]
    lines += [f"- [{m.__name__}](#{m.__name__.lower()})" for m in _models()]
    lines.append("")
    for model in _models():
        lines += _section(model)
    if SCENARIO_FILE.exists():
        lines += [
            "## An example: the bundled default scenario",
            "",
            f"`simkit demo` runs `{SCENARIO_FILE.relative_to(ROOT)}`:",
            "",
            "```yaml",
            SCENARIO_FILE.read_text(encoding="utf-8").rstrip(),
            "```",
            "",
        ]
    return "\n".join(lines)


def main() -> None:
    with mkdocs_gen_files.open("reference/scenario.md", "w", encoding="utf-8") as out:
        out.write(page())
    mkdocs_gen_files.set_edit_path("reference/scenario.md", "_gen/scenario_reference.py")


if __name__ in ("__main__", "<run_path>"):  # run by mkdocs-gen-files, not on import
    main()
