"""``-o go-template=`` / ``--template``: the part of Go's ``text/template`` oc users write.

kubectl's ``GoTemplatePrinter`` (k8s.io/cli-runtime ``pkg/printers/template.go``) runs
Go's ``text/template`` over the object decoded from JSON, with two extra functions,
``base64decode`` and ``exists``, and ``missingkey=error`` only when
``--allow-missing-template-keys=false``.  This module restates the language as Go's
``text/template`` documents it (``pkg.go.dev/text/template``), for what templates over
API objects use:

* text and ``{{ pipeline }}`` actions, ``{{-`` / ``-}}`` trimming, ``{{/* comments */}}``;
* operands: ``.``, ``.a.b``, ``$``, ``$x.a``, string (``"..."``, ```...```), number,
  ``true``/``false``/``nil`` literals, ``( pipeline )``; commands piped with ``|`` (the
  value becomes the last argument);
* ``{{if}}``/``{{else if}}``/``{{else}}``/``{{end}}``, ``{{range}}`` (over a list or
  a map in key order, with ``$i, $v :=``, and ``{{else}}``), ``{{with}}``, variables
  (``$x := ...``, ``$x = ...``);
* functions ``and or not len index print printf println eq ne lt le gt ge`` and
  kubectl's ``base64decode`` and ``exists``.

Values print as Go's ``%v`` (a missing key as ``<no value>``).  ``define``,
``template``, ``block`` and method calls are not modelled and are refused by name.
Error texts are text/template's core message (``map has no entry for key "x"``)
without its ``template: output:1:5: executing ...`` location prefix.
"""

from __future__ import annotations

import base64
import binascii
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from simkit.oc.jsonpath import go_equal, go_less, go_sprint, unquote_extend

__all__ = ["execute_template", "parse_template"]


class _Missing:
    """text/template's invalid value: a key that is not there."""

    def __repr__(self) -> str:
        return "<no value>"


MISSING = _Missing()

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<string>"(?:[^"\\\n]|\\.)*")
  | (?P<raw>`[^`]*`)
  | (?P<declare>:=)
  | (?P<assign>=)
  | (?P<pipe>\|)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<comma>,)
  | (?P<variable>\$[A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)
  | (?P<field>(?:\.[A-Za-z0-9_]+)+)
  | (?P<dot>\.)
  | (?P<number>[-+]?(?:0[xX][0-9a-fA-F]+|[0-9]+(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?))
  | (?P<ident>[A-Za-z_][A-Za-z0-9_]*)
""",
    re.VERBOSE,
)
_KEYWORDS = {
    "if",
    "else",
    "end",
    "range",
    "with",
    "define",
    "template",
    "block",
    "break",
    "continue",
}


# -- parse tree ---------------------------------------------------------------------------
@dataclass
class _Pipeline:
    commands: list[list[tuple[str, Any]]]
    variables: list[str] = field(default_factory=list)
    assign: bool = False


@dataclass
class _Branch:
    kind: str  # if, range, with
    pipeline: _Pipeline
    body: list[Any] = field(default_factory=list)
    otherwise: list[Any] = field(default_factory=list)


def _split(text: str) -> list[tuple[str, str]]:
    """Text and actions, with ``{{-``/``-}}`` trimming applied."""
    parts: list[tuple[str, str]] = []
    pos = 0
    while True:
        start = text.find("{{", pos)
        if start < 0:
            parts.append(("text", text[pos:]))
            return parts
        chunk = text[pos:start]
        inner = start + 2
        if (
            text.startswith("- ", inner)
            or text.startswith("-\t", inner)
            or text.startswith("-\n", inner)
        ):
            chunk = chunk.rstrip(" \t\r\n")
            inner += 1
        parts.append(("text", chunk))
        i, quote = inner, ""
        while True:
            if i >= len(text):
                raise ValueError("unclosed action")
            char = text[i]
            if quote:
                if char == "\\" and quote == '"':
                    i += 2
                    continue
                if char == quote:
                    quote = ""
            elif char in '"`':
                quote = char
            elif text.startswith("}}", i):
                break
            i += 1
        body = text[inner:i]
        pos = i + 2
        if body.endswith(" -") or body.endswith("\t-") or body.endswith("\n-"):
            body = body[:-1]
            rest = len(text) - len(text[pos:].lstrip(" \t\r\n"))
            pos = rest
        parts.append(("action", body.strip()))


def _tokens(body: str) -> list[tuple[str, str]]:
    out = []
    pos = 0
    while pos < len(body):
        match = _TOKEN.match(body, pos)
        if match is None:
            raise ValueError(f"unexpected {body[pos]!r} in command")
        pos = match.end()
        kind = match.lastgroup
        assert kind is not None  # every alternative of _TOKEN is a named group
        if kind != "space":
            out.append((kind, match.group()))
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.parts = _split(text)
        self.i = 0

    def parse(self) -> list[Any]:
        nodes, stop = self.block()
        if stop is not None:
            raise ValueError(f"unexpected {{{{{stop[0]}}}}}")
        return nodes

    def block(self) -> tuple[list[Any], tuple[str, list] | None]:
        nodes: list[Any] = []
        while self.i < len(self.parts):
            kind, body = self.parts[self.i]
            self.i += 1
            if kind == "text":
                if body:
                    nodes.append(body)
                continue
            if body.startswith("/*"):
                if not body.endswith("*/"):
                    raise ValueError("unclosed comment")
                continue
            tokens = _tokens(body)
            if not tokens:
                raise ValueError("missing value for command")
            word = tokens[0][1] if tokens[0][0] == "ident" else ""
            if word in ("end", "else"):
                return nodes, (word, tokens[1:])
            if word in ("if", "range", "with"):
                nodes.append(self.branch(word, tokens[1:]))
            elif word in _KEYWORDS:
                raise ValueError(f"{{{{{word}}}}} is not modelled by simkit")
            else:
                nodes.append(_pipeline(tokens))
        return nodes, None

    def branch(self, kind: str, tokens: list) -> _Branch:
        node = _Branch(kind, _pipeline(tokens))
        node.body, stop = self.block()
        if stop is None:
            raise ValueError(f"unexpected EOF in {kind}")
        if stop[0] == "else":
            rest = stop[1]
            if rest and rest[0] == ("ident", "if") and kind == "if":
                node.otherwise = [self.branch("if", rest[1:])]
                return node
            node.otherwise, stop = self.block()
            if stop is None or stop[0] != "end":
                raise ValueError(f"expected end; found {stop[0] if stop else 'EOF'}")
        return node


def _pipeline(tokens: list[tuple[str, str]]) -> _Pipeline:
    variables: list[str] = []
    assign = False
    for i, (kind, _) in enumerate(tokens):
        if kind in ("declare", "assign"):
            names = tokens[:i]
            variables = [v for k, v in names if k == "variable"]
            if not variables or len(variables) != len([t for t in names if t[0] != "comma"]):
                raise ValueError("bad variable declaration")
            assign = kind == "assign"
            tokens = tokens[i + 1 :]
            break
    commands: list[list[tuple[str, Any]]] = [[]]
    depth = 0
    group: list[tuple[str, str]] = []
    for token in tokens:
        kind = token[0]
        if depth:
            if kind == "lparen":
                depth += 1
            elif kind == "rparen":
                depth -= 1
                if depth == 0:
                    commands[-1].append(("pipeline", _pipeline(group)))
                    group = []
                    continue
            group.append(token)
        elif kind == "lparen":
            depth = 1
        elif kind == "rparen":
            raise ValueError("unexpected right paren")
        elif kind == "pipe":
            if not commands[-1]:
                raise ValueError("missing command")
            commands.append([])
        else:
            commands[-1].append(token)
    if depth:
        raise ValueError("unclosed left paren")
    if not commands[-1]:
        raise ValueError("missing value for command")
    return _Pipeline(commands, variables, assign)


def parse_template(text: str) -> list[Any]:
    """Parse a template; ``ValueError`` names what is wrong.

    Examples
    --------
    >>> len(parse_template("{{range .items}}{{.metadata.name}}{{end}}"))
    1
    >>> parse_template("{{if .x}}")
    Traceback (most recent call last):
    ...
    ValueError: unexpected EOF in if
    """
    return _Parser(text).parse()


# -- execution ----------------------------------------------------------------------------
def _truth(value: Any) -> bool:
    if value is MISSING or value is None:
        return False
    if isinstance(value, bool | int | float | str | Mapping | list | tuple):
        return bool(value)
    return True


def _text(value: Any) -> str:
    return "<no value>" if value is MISSING else go_sprint(value)


def _eq(left: Any, *rights: Any) -> bool:
    if not rights:
        raise ValueError("missing argument for comparison")
    for right in rights:
        if left is None or right is None:
            if left is right:
                return True
            continue
        if go_equal(left, right):
            return True
    return False


def _index(item: Any, *keys: Any) -> Any:
    for key in keys:
        if isinstance(item, Mapping):
            if not isinstance(key, str):
                raise ValueError(f"value has type {type(key).__name__}; should be string")
            item = item.get(key)
        elif isinstance(item, list | tuple | str):
            if isinstance(key, bool) or not isinstance(key, int):
                raise ValueError(f"cannot index slice/array with type {type(key).__name__}")
            if not 0 <= key < len(item):
                raise ValueError(f"index out of range: {key}")
            item = item[key]
        elif item is None or item is MISSING:
            raise ValueError("index of untyped nil")
        else:
            raise ValueError(f"can't index item of type {type(item).__name__}")
    return item


def _len(value: Any) -> int:
    if isinstance(value, Mapping | list | tuple | str):
        return len(value)
    raise ValueError(
        f"len of {'nil pointer' if value in (None, MISSING) else 'type'} "
        f"{'' if value in (None, MISSING) else type(value).__name__}".strip()
    )


def _exists(item: Any, *keys: Any) -> bool:
    try:
        for key in keys:
            if isinstance(item, Mapping):
                if key not in item:
                    return False
            elif isinstance(item, list | tuple) and isinstance(key, int):
                if not 0 <= key < len(item):
                    return False
            else:
                return False
            item = item[key]
    except TypeError:
        return False
    return item is not None


def _base64decode(value: Any) -> str:
    try:
        return base64.b64decode(str(value), validate=True).decode(errors="replace")
    except (binascii.Error, ValueError) as exc:
        raise ValueError(f"base64 decode failed: {exc}") from None


def _sprint(*args: Any) -> str:
    out = []
    for i, arg in enumerate(args):
        if i and not isinstance(arg, str) and not isinstance(args[i - 1], str):
            out.append(" ")
        out.append(_text(arg))
    return "".join(out)


def _printf(fmt: str, *args: Any) -> str:
    values = list(args)

    def one(match: re.Match) -> str:
        verb = match.group(1)
        if verb == "%":
            return "%"
        if not values:
            return f"%!{verb}(MISSING)"
        value = values.pop(0)
        if verb == "q" and isinstance(value, str):
            from simkit._go.strconv import go_quote

            return go_quote(value)
        if verb == "d" and isinstance(value, int) and not isinstance(value, bool):
            return str(value)
        return _text(value)

    return re.sub(r"%([%svdqt])", one, fmt)


_FUNCTIONS: dict[str, Callable[..., Any]] = {
    "and": lambda *a: next((x for x in a if not _truth(x)), a[-1]),
    "or": lambda *a: next((x for x in a if _truth(x)), a[-1]),
    "not": lambda a: not _truth(a),
    "len": lambda a: _len(a),
    "index": _index,
    "print": _sprint,
    "println": lambda *a: " ".join(_text(x) for x in a) + "\n",
    "printf": _printf,
    "eq": _eq,
    "ne": lambda a, b: not _eq(a, b),
    "lt": go_less,
    "le": lambda a, b: go_less(a, b) or _eq(a, b),
    "gt": lambda a, b: not (go_less(a, b) or _eq(a, b)),
    "ge": lambda a, b: not go_less(a, b),
    "base64decode": _base64decode,
    "exists": _exists,
}


class _Executor:
    def __init__(self, root: Any, allow_missing_keys: bool) -> None:
        self.allow_missing_keys = allow_missing_keys
        self.scopes: list[dict[str, Any]] = [{"$": root}]

    def variable(self, name: str) -> Any:
        for scope in reversed(self.scopes):
            if name in scope:
                return scope[name]
        raise ValueError(f"undefined variable: {name}")

    def fields(self, value: Any, names: list[str]) -> Any:
        for name in names:
            if value is MISSING or value is None:
                if not self.allow_missing_keys:
                    raise ValueError(f'nil data; no entry for key "{name}"')
                return MISSING
            if not isinstance(value, Mapping):
                raise ValueError(f"can't evaluate field {name} in type {type(value).__name__}")
            if name not in value:
                if not self.allow_missing_keys:
                    raise ValueError(f'map has no entry for key "{name}"')
                return MISSING
            value = value[name]
        return value

    def operand(self, token: tuple[str, Any], dot: Any) -> Any:
        kind, text = token
        if kind == "dot":
            return dot
        if kind == "field":
            return self.fields(dot, text.split(".")[1:])
        if kind == "variable":
            name, *names = text.split(".")
            return self.fields(self.variable(name), names)
        if kind == "string":
            return unquote_extend(text)
        if kind == "raw":
            return text[1:-1]
        if kind == "number":
            try:
                return int(text, 0)
            except ValueError:
                return float(text)
        if kind == "pipeline":
            return self.pipeline(text, dot)
        if kind == "ident":
            if text in ("true", "false"):
                return text == "true"
            if text == "nil":
                raise ValueError("nil is not a command")
            raise ValueError(f'function "{text}" not defined')
        raise ValueError(f"unexpected {text!r} in operand")

    def command(self, command: list[tuple[str, Any]], dot: Any, piped: Any) -> Any:
        head = command[0]
        if head[0] == "ident" and head[1] not in ("true", "false", "nil"):
            function = _FUNCTIONS.get(head[1])
            if function is None:
                raise ValueError(f'function "{head[1]}" not defined')
            args = [self.operand(t, dot) for t in command[1:]]
            if piped is not _NOTHING:
                args.append(piped)
            try:
                return function(*args)
            except (TypeError, IndexError):
                raise ValueError(f"wrong number of args for {head[1]}") from None
        if len(command) > 1 or piped is not _NOTHING:
            raise ValueError(f"can't give argument to non-function {head[1]}")
        return self.operand(head, dot)

    def pipeline(self, pipe: _Pipeline, dot: Any) -> Any:
        value: Any = _NOTHING
        for command in pipe.commands:
            value = self.command(command, dot, value)
        for name in pipe.variables[-1:]:
            if pipe.assign:
                for scope in reversed(self.scopes):
                    if name in scope:
                        scope[name] = value
                        break
                else:
                    raise ValueError(f"undefined variable: {name}")
            else:
                self.scopes[-1][name] = value
        return value

    def run(self, nodes: list[Any], dot: Any, out: list[str]) -> None:
        for node in nodes:
            if isinstance(node, str):
                out.append(node)
            elif isinstance(node, _Pipeline):
                value = self.pipeline(node, dot)
                if not node.variables:
                    out.append(_text(value))
            else:
                self.branch(node, dot, out)

    def branch(self, node: _Branch, dot: Any, out: list[str]) -> None:
        self.scopes.append({})
        try:
            if node.kind == "range":
                pipe = _Pipeline(node.pipeline.commands)
                value = self.pipeline(pipe, dot)
                if isinstance(value, Mapping):
                    items = [(k, value[k]) for k in sorted(value)]
                elif isinstance(value, list | tuple):
                    items = list(enumerate(value))
                elif value is None or value is MISSING:
                    items = []
                else:
                    raise ValueError(f"range can't iterate over {_text(value)}")
                if not items:
                    self.run(node.otherwise, dot, out)
                for key, item in items:
                    names = node.pipeline.variables
                    if len(names) == 1:
                        self.scopes[-1][names[0]] = item
                    elif len(names) == 2:
                        self.scopes[-1][names[0]] = key
                        self.scopes[-1][names[1]] = item
                    self.run(node.body, item, out)
                return
            value = self.pipeline(node.pipeline, dot)
            if _truth(value):
                self.run(node.body, value if node.kind == "with" else dot, out)
            else:
                self.run(node.otherwise, dot, out)
        finally:
            self.scopes.pop()


_NOTHING = object()


def execute_template(text: str, data: Any, *, allow_missing_keys: bool = True) -> str:
    """Run a Go template over ``data`` (an object decoded from JSON).

    Raises
    ------
    ValueError
        The template does not parse, or fails on the data (a missing key with
        ``allow_missing_keys=False``, a bad ``base64decode`` ...).

    Examples
    --------
    >>> obj = {"items": [{"metadata": {"name": "a"}}, {"metadata": {"name": "b"}}]}
    >>> execute_template('{{range .items}}{{.metadata.name}}{{"\\\\n"}}{{end}}', obj)
    'a\\nb\\n'
    >>> execute_template('{{index .data "k" | base64decode}}', {"data": {"k": "aGk="}})
    'hi'
    >>> execute_template("{{.nope}}", {})
    '<no value>'
    """
    nodes = parse_template(text)
    out: list[str] = []
    _Executor(data, allow_missing_keys).run(nodes, data, out)
    return "".join(out)
