"""YAML for untrusted files: safe loading with limits, and errors that say where.

Only PyYAML's safe constructors are used.  A file is refused when it is larger than
``max_bytes``, not UTF-8, nests deeper than ``max_depth``, uses more than
``max_aliases`` aliases (the "billion laughs" expansion), or repeats a mapping key.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

MAX_BYTES = 50 * 1024 * 1024
MAX_DEPTH = 100
MAX_ALIASES = 1000


class YamlError(ValueError):
    """A YAML file was refused; ``line`` is 1-based where known."""

    def __init__(self, reason: str, line: int | None = None) -> None:
        self.reason = reason
        self.line = line
        super().__init__(reason if line is None else f"line {line}: {reason}")


class _LimitedLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys, deep nesting and alias bombs."""

    max_depth = MAX_DEPTH
    max_aliases = MAX_ALIASES

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._aliases = 0
        self._depth = 0

    def compose_node(self, parent, index):  # noqa: D102 - PyYAML hook
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > self.max_aliases:
                mark = self.peek_event().start_mark
                raise YamlError(f"more than {self.max_aliases} aliases", mark.line + 1)
        self._depth += 1
        if self._depth > self.max_depth:
            mark = self.peek_event().start_mark
            raise YamlError(f"nested deeper than {self.max_depth} levels", mark.line + 1)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_mapping(self, node, deep=False):  # noqa: D102 - PyYAML hook
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            try:
                hash(key)
            except TypeError:
                raise YamlError("a mapping key must be a scalar",
                                key_node.start_mark.line + 1) from None
            if key in seen:
                raise YamlError(f"duplicate key {key!r} (first on line {seen[key]})",
                                key_node.start_mark.line + 1)
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)


_LimitedLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LimitedLoader.construct_mapping
)


def read_text(path: Path, max_bytes: int = MAX_BYTES) -> str:
    """The file's text, refusing oversized, binary and non-UTF-8 files."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise YamlError(f"cannot read the file: {exc.strerror or exc}") from None
    if size > max_bytes:
        raise YamlError(f"the file is {size} bytes, more than the limit of {max_bytes}")
    data = path.read_bytes()
    if b"\x00" in data[:8192]:
        raise YamlError("the file is binary, not YAML or JSON text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise YamlError(f"not valid UTF-8 (byte offset {exc.start})", line) from None


def _load(text: str, compose_only: bool) -> list:
    loader = _LimitedLoader(text)
    try:
        if compose_only:
            nodes = []
            while loader.check_node():
                nodes.append(loader.get_node())
            return nodes
        documents = []
        while loader.check_data():
            documents.append(loader.get_data())
        return documents
    except YamlError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        raise YamlError(f"invalid YAML: {exc.problem or exc}", line) from None
    except yaml.YAMLError as exc:
        raise YamlError(f"invalid YAML: {exc}") from None
    except RecursionError:
        raise YamlError(f"nested deeper than {MAX_DEPTH} levels") from None
    finally:
        loader.dispose()


def load_documents(text: str) -> list[Any]:
    """Every document of a YAML (or JSON) text, safely.

    Examples
    --------
    >>> load_documents("a: 1\\n---\\nb: 2\\n")
    [{'a': 1}, {'b': 2}]
    >>> load_documents("a: 1\\na: 2\\n")
    Traceback (most recent call last):
    ...
    simkit.yamlsafe.YamlError: line 2: duplicate key 'a' (first on line 1)
    """
    return _load(text, compose_only=False)


def load_yaml_nodes(path: Path) -> tuple[Any, yaml.Node | None]:
    """The first document of a file and its node tree (for key positions)."""
    text = read_text(path)
    documents = _load(text, compose_only=False)
    if len(documents) > 1:
        raise YamlError("expected one YAML document, found several")
    nodes = _load(text, compose_only=True)
    return (documents[0] if documents else None), (nodes[0] if nodes else None)
