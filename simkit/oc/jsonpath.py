"""kubectl's JSONPath dialect: the template language of ``-o jsonpath=`` and custom columns.

Restates client-go ``util/jsonpath`` (kubernetes/kubernetes
``staging/src/k8s.io/client-go/util/jsonpath``, ``parser.go`` and ``jsonpath.go`` at
commit 04791b4906602ffda5ccf9bc4c84d3329f1d7080) with its comparisons from
``third_party/forked/golang/template/funcs.go``:

* **Templates** are text with actions in braces: ``{.metadata.name}``; ``{"\\n"}`` or
  ``{'x'}`` is quoted text (Go escapes); ``{range .items[*]}...{end}`` repeats the
  enclosed part for every result.  ``@`` (the current object) and ``$`` (the root)
  are skipped where they appear.
* **Steps:** ``.field`` (a backslash escapes a dot: ``.kubernetes\\.io/hostname``),
  ``..`` recursive descent (every container under the current one, then the step after
  it), ``.*`` / ``[*]`` every element, ``[i]``, slices ``[start:end:step]`` (negative
  indices count from the end), unions ``[a,b]`` (``['a.b', 3]``), ``['key']``, and
  filters ``[?(@.x=="y")]`` with ``== != < > <= >=`` or a bare path (exists).
* **Output:** each action's results are joined by single spaces; maps, lists and
  structs print as compact Go JSON (sorted map keys), everything else as Go's ``%v``
  (``<nil>`` for null, floats in ``%g`` form).  :meth:`JSONPath.execute` with
  ``json_output`` is ``-o jsonpath-as-json``.
* **Missing keys:** ``allow_missing_keys`` (kubectl sets it: ``-o jsonpath`` and custom
  columns) makes a missing field yield nothing instead of ``X is not found``.

Values are plain Python data decoded from JSON: ``dict`` is a Go map (keys visited in
sorted order where Go's order is random), :class:`Struct` a Go struct (fields in
declaration order), ``list``/``tuple`` a slice.  Error messages are client-go's.

Not restated: client-go leaves its parser's node list cut short after a ``range`` (a
second ``execute`` of the same template then differs); here every ``execute`` starts
from the whole template.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from simkit._go.json import Pairs, marshal

__all__ = [
    "JSONPath",
    "JSONPathError",
    "Struct",
    "go_equal",
    "go_less",
    "go_sprint",
    "unquote_extend",
    "parse",
]


class JSONPathError(ValueError):
    """A template that does not parse, or a step that fails on the data; the message is
    client-go's (``unclosed action``, ``hello is not found``, ...)."""


class Struct(dict):
    """A Go struct: its fields (by JSON name) in declaration order.

    JSON output keeps this order and wildcards visit fields in it, where a plain
    ``dict`` (a Go map) is written with sorted keys.
    """


# -- nodes --------------------------------------------------------------------------------
@dataclass(slots=True)
class Param:
    """One of a slice's three numbers: its value, whether it was given, and whether it was
    derived (``[i]`` is the slice ``[i:i+1]``)."""

    value: int = 0
    known: bool = False
    derived: bool = False


@dataclass(slots=True)
class Node:
    """A parsed template element.

    ``kind`` is one of ``list``, ``text``, ``field``, ``array``, ``filter``, ``int``,
    ``float``, ``bool``, ``wildcard``, ``recursive``, ``union``, ``identifier``.
    """

    kind: str
    value: Any = None
    nodes: list[Node] = field(default_factory=list)
    params: tuple[Param, Param, Param] | None = None
    left: Node | None = None
    right: Node | None = None
    operator: str = ""

    def walk(self) -> list[Node]:
        """This node and every node under it, depth first (client-go's ``collectNode``)."""
        out = [self]
        if self.kind == "list" or self.kind == "union":
            for node in self.nodes:
                out += node.walk()
        elif self.kind == "filter":
            left, right = self.sides()
            out += left.walk() + right.walk()
        return out

    def sides(self) -> tuple[Node, Node]:
        """A filter's left and right expressions (``parse_filter`` always sets both)."""
        assert self.left is not None and self.right is not None, self
        return self.left, self.right


def _list() -> Node:
    return Node("list")


# -- parser -------------------------------------------------------------------------------
_DICT_KEY = re.compile(r"'([^']*)'")
_SLICE = re.compile(r"(-?[0-9]*)(:-?[0-9]*)?(:-?[0-9]*)?")
_FILTER = re.compile(r"([^!<>=]+)([!<>=]+)(.+?)")
_TERMINATORS = frozenset(" \t\r\n.,[]$@{}")


def _is_alnum(char: str) -> bool:
    return char == "_" or char.isalpha() or char.isdigit()


def _rune_name(char: str) -> str:
    """Go's ``%#U``: ``U+002A '*'`` (the quoted rune only when printable)."""
    code = f"U+{ord(char):04X}"
    return f"{code} '{char}'" if char.isprintable() else code


class _Parser:
    """client-go's ``Parser``: a hand-written scanner over the template text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.start = 0
        self.root = _list()

    # scanning
    def next(self) -> str:
        if self.pos >= len(self.text):
            return ""
        self.pos += 1
        return self.text[self.pos - 1]

    def backup(self, char: str) -> None:
        if char:
            self.pos -= 1

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def consume(self) -> str:
        value = self.text[self.start : self.pos]
        self.start = self.pos
        return value

    # grammar
    def parse(self) -> Node:
        cur: Node | None = None  # the action being read, None between actions
        while True:
            if cur is None:
                brace = self.text.find("{", self.pos)
                if brace < 0:
                    self.pos = len(self.text)
                    if self.pos > self.start:
                        self.root.nodes.append(Node("text", self.consume()))
                    return self.root
                self.pos = brace
                if self.pos > self.start:
                    self.root.nodes.append(Node("text", self.consume()))
                self.pos += 1
                self.consume()
                cur = _list()
                self.root.nodes.append(cur)
            if self.action_step(cur):
                cur = None

    def action_step(self, cur: Node) -> bool:
        """Read one element of an action; True when its closing brace was read."""
        rest = self.text[self.pos :]
        if rest.startswith("}"):
            self.pos += 1
            self.consume()
            return True
        if rest.startswith("[?("):
            self.parse_filter(cur)
            return False
        if rest.startswith(".."):
            self.parse_recursive(cur)
            return False
        char = self.next()
        if char == "" or char in "\r\n":
            raise JSONPathError("unclosed action")
        if char in " @$":
            self.consume()
        elif char == "[":
            self.parse_array(cur)
        elif char in "\"'":
            self.parse_quote(cur, char)
        elif char == ".":
            self.parse_field(cur)
        elif char in "+-" or char.isdigit():
            self.backup(char)
            self.parse_number(cur)
        elif _is_alnum(char):
            self.backup(char)
            self.parse_identifier(cur)
        else:
            raise JSONPathError(f"unrecognized character in action: {_rune_name(char)}")
        return False

    def parse_identifier(self, cur: Node) -> None:
        while True:
            char = self.next()
            if char == "" or char in _TERMINATORS:
                self.backup(char)
                break
        value = self.consume()
        if value in ("true", "false"):
            cur.nodes.append(Node("bool", value == "true"))
        else:
            cur.nodes.append(Node("identifier", value))

    def parse_recursive(self, cur: Node) -> None:
        if cur.nodes and cur.nodes[-1].kind == "recursive":
            raise JSONPathError("invalid multiple recursive descent")
        self.pos += 2
        self.consume()
        cur.nodes.append(Node("recursive"))
        if self.peek() and _is_alnum(self.peek()):
            self.parse_field(cur)

    def parse_number(self, cur: Node) -> None:
        if self.peek() in ("+", "-"):
            self.next()
        while True:
            char = self.next()
            if char == "" or (char != "." and not char.isdigit()):
                self.backup(char)
                break
        value = self.consume()
        if value.isascii():
            if re.fullmatch(r"[+-]?[0-9]+", value):
                cur.nodes.append(Node("int", int(value)))
                return
            if re.fullmatch(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)", value):
                cur.nodes.append(Node("float", float(value)))
                return
        raise JSONPathError(f"cannot parse number {value}")

    def parse_array(self, cur: Node) -> None:
        while True:
            char = self.next()
            if char == "" or char == "\n":
                raise JSONPathError("unterminated array")
            if char == "]":
                break
        text = self.consume()[1:-1]
        if text == "*":
            text = ":"
        parts = text.split(",")
        if len(parts) > 1:
            union = Node("union")
            for part in parts:
                union.nodes.append(_parse_action(f"[{part.strip(' ')}]"))
            cur.nodes.append(union)
            return
        key = _DICT_KEY.fullmatch(text)
        if key is not None:
            cur.nodes.extend(_parse_action(f".{key.group(1)}").nodes)
            return
        match = _SLICE.fullmatch(text)
        if match is None:
            raise JSONPathError(f"invalid array index {text}")
        params = [Param(), Param(), Param()]
        for i, group in enumerate(match.groups()):
            group = group or ""
            if group:
                if i > 0:
                    group = group[1:]
                if i > 0 and group == "":
                    params[i] = Param(0, False)
                else:
                    try:
                        params[i] = Param(int(group), True)
                    except ValueError:
                        raise JSONPathError(f"array index {group} is not a number") from None
            elif i == 1:
                params[i] = Param(params[0].value + 1, True, True)
        cur.nodes.append(Node("array", params=(params[0], params[1], params[2])))

    def parse_filter(self, cur: Node) -> None:
        self.pos += 3
        self.consume()
        begin = end = False
        pair = ""
        while True:
            char = self.next()
            if char == "" or char == "\n":
                raise JSONPathError("unterminated filter")
            if char in "\"'":
                if not begin:
                    begin, pair = True, char
                    continue
                if self.text[self.pos - 2] != "\\" and char == pair:
                    end = True
            elif char == ")" and begin == end:
                break
        if self.next() != "]":
            raise JSONPathError("unclosed array expect ]")
        text = self.consume()[:-2]
        match = _FILTER.fullmatch(text)
        if match is None:
            cur.nodes.append(
                Node("filter", left=_parse_action(text), right=_list(), operator="exists")
            )
        else:
            cur.nodes.append(
                Node(
                    "filter",
                    left=_parse_action(match.group(1)),
                    right=_parse_action(match.group(3)),
                    operator=match.group(2),
                )
            )

    def parse_quote(self, cur: Node, quote: str) -> None:
        while True:
            char = self.next()
            if char == "" or char == "\n":
                raise JSONPathError("unterminated quoted string")
            if char == quote and self.text[self.pos - 2] != "\\":
                break
        value = self.consume()
        try:
            text = unquote_extend(value)
        except ValueError as exc:
            raise JSONPathError(f"unquote string {value} error {exc}") from None
        cur.nodes.append(Node("text", text))

    def parse_field(self, cur: Node) -> None:
        self.consume()
        while True:
            char = self.next()
            if char == "\\":
                self.next()
            elif char == "" or char in _TERMINATORS:
                self.backup(char)
                break
        value = self.consume()
        if value == "*":
            cur.nodes.append(Node("wildcard"))
        else:
            cur.nodes.append(Node("field", value.replace("\\", "")))


def _parse_action(text: str) -> Node:
    """``parseAction``: ``text`` parsed as the inside of one action, its list node."""
    return _Parser("{" + text + "}").parse().nodes[0]


_SIMPLE_ESCAPES = {
    "a": "\a",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
    "v": "\v",
    "\\": "\\",
}


def unquote_extend(quoted: str) -> str:
    r"""``UnquoteExtend``: Go's ``strconv.Unquote`` that also takes single quotes.

    Examples
    --------
    >>> unquote_extend("'it\\'s'"), unquote_extend('"tab\\there"')
    ("it's", 'tab\there')
    """
    if len(quoted) < 2 or quoted[0] != quoted[-1] or quoted[0] not in "\"'":
        raise ValueError("invalid syntax")
    quote, body = quoted[0], quoted[1:-1]
    if "\\" not in body and quote not in body:
        return body
    out: list[str] = []
    i = 0
    while i < len(body):
        char = body[i]
        if char == quote:
            raise ValueError("invalid syntax")
        if char != "\\":
            out.append(char)
            i += 1
            continue
        if i + 1 >= len(body):
            raise ValueError("invalid syntax")
        escape = body[i + 1]
        i += 2
        if escape in _SIMPLE_ESCAPES:
            out.append(_SIMPLE_ESCAPES[escape])
        elif escape == quote:
            out.append(quote)
        elif escape in "xuU":
            size = {"x": 2, "u": 4, "U": 8}[escape]
            digits = body[i : i + size]
            if len(digits) != size or not re.fullmatch(r"[0-9a-fA-F]+", digits):
                raise ValueError("invalid syntax")
            code = int(digits, 16)
            if escape != "x" and (code > 0x10FFFF or 0xD800 <= code <= 0xDFFF):
                raise ValueError("invalid syntax")
            out.append(chr(code))  # \xNN is one byte; kept as that code point here
            i += size
        elif escape in "01234567":
            digits = body[i - 1 : i + 2]
            if len(digits) != 3 or not re.fullmatch(r"[0-7]{3}", digits) or int(digits, 8) > 255:
                raise ValueError("invalid syntax")
            out.append(chr(int(digits, 8)))
            i += 2
        else:
            raise ValueError("invalid syntax")
    return "".join(out)


def parse(template: str) -> Node:
    """Parse a template into its root list node.

    Raises
    ------
    JSONPathError
        With client-go's parser message.

    Examples
    --------
    >>> [n.kind for n in parse("hello {.items[*].name}").walk()]
    ['list', 'text', 'list', 'field', 'array', 'field']
    >>> parse("{.hello")
    Traceback (most recent call last):
    ...
    simkit.oc.jsonpath.JSONPathError: unclosed action
    """
    return _Parser(template).parse()


# -- Go formatting ------------------------------------------------------------------------
def _format_float(number: float) -> str:
    """``strconv.FormatFloat(f, 'g', -1, 64)``: what ``%v`` prints for a float64."""
    if number != number:
        return "NaN"
    if number in (float("inf"), float("-inf")):
        return "+Inf" if number > 0 else "-Inf"
    sign, digits, exponent = Decimal(repr(number)).normalize().as_tuple()
    text = "".join(map(str, digits))
    minus = "-" if sign else ""
    if text == "0":
        return minus + "0"
    assert isinstance(exponent, int)  # finite: NaN and the infinities returned above
    point = len(text) + exponent  # digits before the decimal point
    exp = point - 1
    if exp < -4 or exp >= 6:
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        return f"{minus}{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    if point <= 0:
        return f"{minus}0.{'0' * -point}{text}"
    if point >= len(text):
        return minus + text + "0" * (point - len(text))
    return f"{minus}{text[:point]}.{text[point:]}"


def go_sprint(value: Any) -> str:
    """Go's ``fmt.Sprint`` (``%v``) of a value decoded from JSON.

    Examples
    --------
    >>> go_sprint({"b": [1, 2.5, None], "a": True})
    'map[a:true b:[1 2.5 <nil>]]'
    >>> go_sprint(1234567.0), go_sprint(0.0001), go_sprint(Struct(x="red", y=1))
    ('1.234567e+06', '0.0001', '{red 1}')
    """
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _format_float(value)
    if isinstance(value, str):
        return value
    if isinstance(value, Struct):
        return "{" + " ".join(go_sprint(v) for v in value.values()) + "}"
    if isinstance(value, Mapping):
        return (
            "map[" + " ".join(f"{go_sprint(k)}:{go_sprint(value[k])}" for k in sorted(value)) + "]"
        )
    if isinstance(value, list | tuple):
        return "[" + " ".join(go_sprint(v) for v in value) + "]"
    return str(value)


def _json_ready(value: Any) -> Any:
    if isinstance(value, Struct):
        return Pairs((k, _json_ready(v)) for k, v in value.items())
    if isinstance(value, Mapping):
        return {k: _json_ready(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_json_ready(v) for v in value]
    return value


def _is_container(value: Any) -> bool:
    return isinstance(value, Mapping | list | tuple)


# -- evaluation ---------------------------------------------------------------------------
class _Fail(Exception):
    """A failed step: client-go's error and the values the step returned with it."""

    def __init__(self, message: str, partial: list[Any]) -> None:
        super().__init__(message)
        self.partial = partial


def _go_type(value: Any) -> str:
    if isinstance(value, Struct):
        return "struct"
    if isinstance(value, Mapping):  # a typed Go map may name its type
        return getattr(value, "go_type", "map[string]interface {}")
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int64"
    if isinstance(value, float):
        return "float64"
    if isinstance(value, str):
        return "string"
    return type(value).__name__


def _children(value: Any) -> list[Any]:
    """What ``*`` yields: a map's values, a struct's fields, a list's items, a string's
    bytes."""
    if isinstance(value, Struct):
        return list(value.values())
    if isinstance(value, Mapping):
        return [value[k] for k in sorted(value)]
    if isinstance(value, list | tuple):
        return list(value)
    if isinstance(value, str):
        return list(value.encode())
    return []


def _basic_kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, str):
        return "string"
    raise ValueError("invalid type for comparison")


def go_less(left: Any, right: Any) -> bool:
    """Go template's ``lt``: ``left < right`` for two values of one basic kind.

    text/template ``funcs.go`` ``lt`` and its fork in client-go
    (``third_party/forked/golang/template/funcs.go`` ``less``), which jsonpath filters
    use: both sides must be of one kind (int, float or string; bool is not ordered).

    Raises
    ------
    ValueError
        ``invalid type for comparison`` (not a basic kind, or bool) or ``incompatible
        types for comparison`` (two kinds).

    Examples
    --------
    >>> go_less(1, 2), go_less("b", "a")
    (True, False)
    >>> go_less(1, "2")
    Traceback (most recent call last):
    ...
    ValueError: incompatible types for comparison
    """
    kinds = _basic_kind(left), _basic_kind(right)
    if kinds[0] != kinds[1]:
        raise ValueError("incompatible types for comparison")
    if kinds[0] == "bool":
        raise ValueError("invalid type for comparison")
    return left < right


def go_equal(left: Any, right: Any) -> bool:
    """Go template's equality of two non-nil values of one basic kind.

    text/template ``funcs.go`` ``eq`` for one pair and client-go's fork ``equal``.

    Raises
    ------
    ValueError
        ``invalid type for comparison`` (not a bool, int, float or string) or
        ``incompatible types for comparison`` (two kinds).

    Examples
    --------
    >>> go_equal("a", "a"), go_equal(True, False)
    (True, False)
    >>> go_equal(1, 1.0)
    Traceback (most recent call last):
    ...
    ValueError: incompatible types for comparison
    """
    kinds = _basic_kind(left), _basic_kind(right)
    if kinds[0] != kinds[1]:
        raise ValueError("incompatible types for comparison")
    return left == right


_COMPARE = {
    "<": go_less,
    ">": lambda a, b: not (go_less(a, b) or go_equal(a, b)),
    "==": go_equal,
    "!=": lambda a, b: not go_equal(a, b),
    "<=": lambda a, b: go_less(a, b) or go_equal(a, b),
    ">=": lambda a, b: not go_less(a, b),
}


class JSONPath:
    r"""A parsed template, ready to run on data.

    Parameters
    ----------
    template : str
        The template (``{.metadata.name}``, ``{range .items[*]}{.x}{"\n"}{end}``).
    allow_missing_keys : bool
        A missing field yields nothing instead of an error (kubectl sets this).

    Raises
    ------
    JSONPathError
        When the template does not parse.

    Examples
    --------
    >>> data = {"items": [{"metadata": {"name": "a"}}, {"metadata": {"name": "b"}}]}
    >>> print(JSONPath('{range .items[*]}{.metadata.name}{"\\n"}{end}').execute(data), end="")
    a
    b
    >>> JSONPath("{.items[?(@.metadata.name=='b')].metadata}").execute(data)
    '{"name":"b"}'
    >>> JSONPath("{.nope}").execute(data)
    Traceback (most recent call last):
    ...
    simkit.oc.jsonpath.JSONPathError: nope is not found
    """

    def __init__(self, template: str, *, allow_missing_keys: bool = False) -> None:
        self.template = template
        self.root = parse(template)
        self.allow_missing_keys = allow_missing_keys
        self._begin = self._in = self._end = 0
        self._last_end: int | None = None

    # public
    def find_results(self, data: Any) -> list[list[Any]]:
        """``FindResults``: the values of each top-level element, in order (a ``range``
        contributes the elements inside it once per item).

        Raises
        ------
        JSONPathError
            A step that fails on ``data``.
        """
        self._begin = self._in = self._end = 0
        self._last_end = None
        try:
            return self._find(data, self.root.nodes, 0)
        except _Fail as exc:
            raise JSONPathError(str(exc)) from None

    def execute(self, data: Any, *, json_output: bool = False) -> str:
        """The template's text for ``data`` (``Execute``); ``json_output`` prints each
        element's results as an indented JSON array (``-o jsonpath-as-json``)."""
        return "".join(
            self.print_results(r, json_output=json_output) for r in self.find_results(data)
        )

    @staticmethod
    def print_results(results: list[Any], *, json_output: bool = False) -> str:
        """``PrintResults``: containers as compact JSON, other values as ``%v``, with a
        space between results."""
        if json_output:
            return marshal(_json_ready(list(results)), indent="    ") + "\n"
        texts = [marshal(_json_ready(r)) if _is_container(r) else go_sprint(r) for r in results]
        return " ".join(texts)

    # evaluation
    def _find(self, data: Any, nodes: list[Node], start: int) -> list[list[Any]]:
        current = [data]
        full: list[list[Any]] = []
        i = start
        while i < len(nodes):
            results = self._walk(current, nodes[i])
            if 0 < self._end <= self._in:  # an {end}: this block is done
                self._end -= 1
                self._last_end = i
                break
            if self._begin > 0:  # a {range}: the rest runs once per result
                self._begin -= 1
                self._in += 1
                if results:
                    for value in results:
                        full += self._find(value, nodes, i + 1)
                else:
                    self._find(None, nodes, i + 1)
                self._in -= 1
                if self._last_end is not None and self._last_end > i:
                    i = self._last_end
                i += 1
                continue
            full.append(results)
            i += 1
        return full

    def _walk(self, values: list[Any], node: Node) -> list[Any]:
        kind = node.kind
        if kind == "list":
            current = values
            for child in node.nodes:
                current = self._walk(current, child)
            return current
        if kind == "text":
            return [node.value]
        if kind in ("int", "float", "bool"):
            return [node.value for _ in values]
        return getattr(self, f"_eval_{kind}")(values, node)

    def _eval_identifier(self, values: list[Any], node: Node) -> list[Any]:
        if node.value == "range":
            self._begin += 1
            return values
        if node.value == "end":
            if self._in > 0:
                self._end += 1
                return []
            raise _Fail("not in range, nothing to end", [])
        raise _Fail(f"unrecognized identifier {node.value}", values)

    def _eval_field(self, values: list[Any], node: Node) -> list[Any]:
        if not values:
            return []
        results = []
        for value in values:
            if isinstance(value, Mapping) and node.value in value:
                results.append(value[node.value])
        if not results and not self.allow_missing_keys:
            raise _Fail(f"{node.value} is not found", [])
        return results

    def _eval_array(self, values: list[Any], node: Node) -> list[Any]:
        results: list[Any] = []
        for value in values:
            if value is None:
                continue
            if not isinstance(value, list | tuple):
                raise _Fail(f"{_go_type(value)} is not array or slice", values)
            size = len(value)
            assert node.params is not None  # parse_action gives every array node its three
            first, last, step = node.params
            start = first.value if first.known else 0
            if start < 0:
                start += size
            end = last.value if last.known else size
            if end < 0 or (end == 0 and last.derived):
                end += size
            if end == start:
                return results
            if start >= size or start < 0:
                raise _Fail(f"array index out of bounds: index {start}, length {size}", values)
            if end > size or end < 0:
                raise _Fail(f"array index out of bounds: index {end - 1}, length {size}", values)
            if start > end:
                raise _Fail(f"starting index {start} is greater than ending index {end}", values)
            stride = 1
            if step.known:
                if step.value <= 0:
                    raise _Fail("step must be > 0", values)
                stride = step.value
            results += list(value[start:end:stride])
        return results

    def _eval_union(self, values: list[Any], node: Node) -> list[Any]:
        results: list[Any] = []
        for part in node.nodes:
            try:
                results += self._walk(values, part)
            except _Fail as exc:
                raise _Fail(str(exc), values) from None
        return results

    def _eval_wildcard(self, values: list[Any], node: Node) -> list[Any]:
        results: list[Any] = []
        for value in values:
            if value is not None:
                results += _children(value)
        return results

    def _eval_recursive(self, values: list[Any], node: Node) -> list[Any]:
        results: list[Any] = []
        for value in values:
            if value is None:
                continue
            children = _children(value)
            if children:
                results.append(value)
                results += self._eval_recursive(children, node)
        return results

    def _eval_filter(self, values: list[Any], node: Node) -> list[Any]:
        results: list[Any] = []
        left, right = node.sides()
        for value in values:
            if not isinstance(value, list | tuple):
                raise _Fail(
                    f"{go_sprint(value)} is not array or slice and cannot be filtered", values
                )
            for item in value:
                try:
                    lefts = self._walk([item], left)
                    failure = None
                except _Fail as exc:
                    lefts, failure = exc.partial, exc
                if node.operator == "exists":
                    if lefts:
                        results.append(item)
                    continue
                if failure is not None:
                    raise _Fail(str(failure), values)
                if not lefts:
                    continue
                if len(lefts) > 1:
                    raise _Fail("can only compare one element at a time", values)
                try:
                    rights = self._walk([item], right)
                except _Fail as exc:
                    raise _Fail(str(exc), values) from None
                if not rights:
                    continue
                if len(rights) > 1:
                    raise _Fail("can only compare one element at a time", values)
                compare = _COMPARE.get(node.operator)
                if compare is None:
                    raise _Fail(f"unrecognized filter operator {node.operator}", results)
                try:
                    hit = compare(lefts[0], rights[0])
                except ValueError as exc:  # the comparison's error, with no values
                    raise _Fail(str(exc), []) from None
                if hit:
                    results.append(item)
        return results
