"""Reading manifest files safely: bytes to documents, with the line of every node.

Files are read as ``kubectl create -f`` reads them (``YAMLOrJSONDecoder``): a YAML
stream of ``---``-separated documents, or JSON (one object, or several concatenated);
empty documents are skipped.  Hostile input fails with a :class:`ManifestError`, never
with a hang, a crash or a huge allocation:

- files over ``max_bytes`` (50 MB by default) are refused before they are read;
- a NUL byte means a binary file; invalid UTF-8 is reported with its byte offset;
- YAML goes through ``yaml.safe_load``'s constructor (no Python objects) with
  duplicate mapping keys refused, nesting limited to ``max_depth`` and alias
  expansion limited as go-yaml limits it (``document contains excessive aliasing``),
  which stops "billion laughs" documents;
- recursive aliases are refused.

Each :class:`Document` keeps its YAML node graph (composed lazily for JSON), so a
field path such as ``spec.tags[1].from.kind`` can be turned into a line number.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from simkit.manifests.errors import ManifestError

MAX_BYTES = 50 * 1024 * 1024
"""The default size limit of one manifest file."""

MAX_DEPTH = 500
"""The default nesting limit (libyaml's own limit is 1000)."""

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_MERGE_TAG = "tag:yaml.org,2002:merge"


class _DuplicateKey(yaml.YAMLError):
    def __init__(self, key: Any, line: int, first: int) -> None:
        super().__init__(f"duplicate key {key!r} (first defined at line {first + 1})")
        self.line = line
        self.key = key


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """``SafeLoader`` (libyaml when available) that refuses duplicate mapping keys."""

    def construct_mapping(self, node: yaml.Node, deep: bool = False) -> dict[Any, Any]:
        if isinstance(node, yaml.MappingNode):
            seen: dict[Any, int] = {}
            for key_node, _ in node.value:
                if key_node.tag == _MERGE_TAG:
                    continue
                key = self.construct_object(key_node, deep=True)
                try:
                    hash(key)
                except TypeError:
                    continue  # SafeConstructor reports unhashable keys itself
                line = key_node.start_mark.line
                if key in seen:
                    raise _DuplicateKey(key, line, seen[key])
                seen[key] = line
        return super().construct_mapping(node, deep=deep)


@dataclass
class Document:
    """One document of a manifest file.

    ``index`` counts from 1 in the file; ``data`` is the decoded value (None for an
    empty document); ``line`` is the document's first line.  :meth:`line_of` turns a
    field path into the line that holds it.
    """

    source: str
    index: int
    data: Any
    line: int | None = None
    _node: Any = field(default=None, repr=False)
    _compose: Callable[[], Any] | None = field(default=None, repr=False)

    def node(self) -> Any:
        """The YAML node graph of the document (composed on first use for JSON)."""
        if self._node is None and self._compose is not None:
            try:
                self._node = self._compose()
            except Exception:  # noqa: BLE001 - line numbers are best effort
                self._node = False
            self._compose = None
        return self._node or None

    def line_of(self, path: str | list[str | int]) -> int | None:
        """The 1-based line of the field at ``path`` (best effort), or the document's.

        Examples
        --------
        >>> doc = parse_documents(b"kind: X\\nspec:\\n  tags:\\n  - name: a\\n  - name: 1\\n",
        ...                       "x.yaml")[0]
        >>> doc.line_of("spec.tags[1].name"), doc.line_of("spec.nothing")
        (5, 2)
        """
        node = self.node()
        if node is None:
            return self.line
        tokens = split_path(path) if isinstance(path, str) else list(path)
        line = _find_line(node, tokens)
        return line if line is not None else self.line


_PATH_TOKEN = re.compile(r"\[([^\]]*)\]|([^.\[\]]+)")


def split_path(path: str) -> list[str | int]:
    """``"spec.tags[1].from"`` -> ``["spec", "tags", 1, "from"]``.

    Examples
    --------
    >>> split_path("items[2].metadata.annotations.openshift.io/display-name")
    ['items', 2, 'metadata', 'annotations', 'openshift', 'io/display-name']
    >>> split_path("spec.tags[3.3].name")
    ['spec', 'tags', '[3.3]', 'name']
    """
    tokens: list[str | int] = []
    for match in _PATH_TOKEN.finditer(path):
        index, key = match.groups()
        if index is not None:
            tokens.append(int(index) if index.isdigit() else f"[{index}]")
        else:
            tokens.append(key)
    return tokens


def _find_line(node: Any, tokens: list[str | int]) -> int | None:
    """Follow ``tokens`` from ``node``; the line of the last node reached (1-based)."""
    best = node.start_mark.line + 1
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if isinstance(node, yaml.SequenceNode):
            if isinstance(token, int):
                if token >= len(node.value):
                    return best
                node = node.value[token]
                best = node.start_mark.line + 1
                i += 1
                continue
            if isinstance(token, str) and token.startswith("["):
                wanted = token[1:-1]  # a list element named in brackets: [name]
                for item in node.value:
                    if isinstance(item, yaml.MappingNode) and any(
                        k.value in ("name", "tag") and getattr(v, "value", None) == wanted
                        for k, v in item.value
                    ):
                        node = item
                        best = node.start_mark.line + 1
                        break
                else:
                    return best
                i += 1
                continue
            return best
        if isinstance(node, yaml.MappingNode) and isinstance(token, str):
            # keys may themselves contain dots: try the longest run of plain tokens first
            run = 0
            while (
                i + run < len(tokens)
                and isinstance(tokens[i + run], str)
                and not str(tokens[i + run]).startswith("[")
            ):
                run += 1
            for width in range(run, 0, -1):
                key = ".".join(str(t) for t in tokens[i : i + width])
                pair = next(((k, v) for k, v in node.value if k.value == key), None)
                if pair is not None:
                    key_node, value = pair
                    i += width
                    if i == len(tokens):
                        return key_node.start_mark.line + 1
                    node = value
                    best = key_node.start_mark.line + 1
                    break
            else:
                return best
            continue
        return best
    return best


# -- decoding ----------------------------------------------------------------------------
def read_documents(
    path: str | Path, *, max_bytes: int = MAX_BYTES, max_depth: int = MAX_DEPTH
) -> list[Document]:
    """The documents of the manifest file at ``path``.

    Raises
    ------
    ManifestError
        The file cannot be read, is too big, binary, not UTF-8, or not valid YAML/JSON.
    """
    source = str(path)
    try:
        size = Path(path).stat().st_size
    except (OSError, ValueError) as exc:
        why = getattr(exc, "strerror", None) or exc  # ValueError: a NUL in the path
        raise ManifestError(f"cannot read the file: {why}", file=source) from None
    if size > max_bytes:
        raise ManifestError(
            f"the file is {size} bytes, over the {max_bytes}-byte limit for a manifest file",
            file=source,
        )
    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    except (OSError, ValueError) as exc:
        why = getattr(exc, "strerror", None) or exc  # ValueError: a NUL in the path
        raise ManifestError(f"cannot read the file: {why}", file=source) from None
    return parse_documents(data, source, max_bytes=max_bytes, max_depth=max_depth)


def parse_documents(
    data: bytes | str,
    source: str = "<input>",
    *,
    max_bytes: int = MAX_BYTES,
    max_depth: int = MAX_DEPTH,
) -> list[Document]:
    """The documents of manifest text (YAML or JSON) read from ``source``.

    Examples
    --------
    >>> docs = parse_documents(b"kind: A\\n---\\n---\\nkind: B\\n", "two.yaml")
    >>> [(d.index, d.data["kind"], d.line) for d in docs]
    [(1, 'A', 1), (3, 'B', 4)]
    >>> parse_documents(b"a: 1\\na: 2\\n", "dup.yaml")
    Traceback (most recent call last):
    ...
    simkit.manifests.errors.ManifestError: dup.yaml:2: document 1: duplicate key 'a' \
(first defined at line 1)
    """
    if len(data) > max_bytes:
        raise ManifestError(
            f"the input is {len(data)} bytes, over the {max_bytes}-byte limit for a manifest file",
            file=source,
        )
    text = _decode(data, source) if isinstance(data, bytes) else data
    stripped = text.lstrip()
    if source.lower().endswith(".json") or stripped[:1] in ("{", "["):
        try:
            return _json_documents(text, source, max_depth)
        except _NotJson as exc:
            if source.lower().endswith(".json"):
                raise exc.error from None
    return _yaml_documents(text, source, max_depth)


def _line_of_offset(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _decode(data: bytes, source: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise ManifestError(f"invalid UTF-16 at byte offset {exc.start}", file=source) from None
    nul = data.find(b"\0")
    if nul >= 0:
        raise ManifestError(
            f"this looks like a binary file (a NUL byte at byte offset {nul}); expected YAML "
            "or JSON text",
            file=source,
            line=_line_of_offset(data, nul),
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bad = data[exc.start]
        raise ManifestError(
            f"invalid UTF-8 at byte offset {exc.start} (byte 0x{bad:02x}): expected YAML or "
            "JSON text in UTF-8",
            file=source,
            line=_line_of_offset(data, exc.start),
        ) from None


class _NotJson(Exception):
    def __init__(self, error: ManifestError) -> None:
        self.error = error


def _json_documents(text: str, source: str, max_depth: int) -> list[Document]:
    decoder = json.JSONDecoder(object_pairs_hook=_no_duplicates)
    documents: list[Document] = []
    position = 0
    index = 0
    while True:
        while position < len(text) and text[position] in " \t\r\n":
            position += 1
        if position >= len(text):
            break
        index += 1
        start = position
        try:
            value, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as exc:
            raise _NotJson(
                ManifestError(
                    f"invalid JSON: {exc.msg} (column {exc.colno})",
                    file=source,
                    line=exc.lineno,
                    document=index,
                )
            ) from None
        except RecursionError:
            raise ManifestError(
                f"nesting deeper than {max_depth} levels", file=source, document=index
            ) from None
        except _JsonDuplicate as exc:
            # find the line with the YAML composer, which reports the same error
            try:
                _yaml_documents(text[start:], source, max_depth)
            except ManifestError as located:
                if located.line is not None:
                    located.line += text.count("\n", 0, start)
                located.document = index
                raise ManifestError(
                    located.message, file=source, line=located.line, document=index
                ) from None
            raise ManifestError(str(exc), file=source, document=index) from None
        _check_depth(value, max_depth, source, index)
        chunk = text[start:position]
        offset = text.count("\n", 0, start)
        documents.append(
            Document(source, index, value, line=offset + 1, _compose=_composer(chunk, offset))
        )
    return [d for d in documents if d.data is not None]


class _JsonDuplicate(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _JsonDuplicate(f"duplicate key {key!r}")
        out[key] = value
    return out


def _composer(chunk: str, offset: int) -> Callable[[], Any]:
    def compose() -> Any:
        loader = _Loader(chunk)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()
        if node is not None and offset:
            _shift_lines(node, offset)
        return node

    return compose


def _shift_lines(root: Any, offset: int) -> None:
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        node.start_mark.line += offset
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))


def _check_depth(value: Any, max_depth: int, source: str, index: int) -> None:
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children: Iterable[Any]
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > max_depth:
            raise ManifestError(
                f"nesting deeper than {max_depth} levels", file=source, document=index
            )
        stack.extend((child, depth + 1) for child in children)


def _yaml_documents(text: str, source: str, max_depth: int) -> list[Document]:
    documents: list[Document] = []
    loader = _Loader(text)
    index = 0
    try:
        while True:
            try:
                if not loader.check_node():
                    break
                index += 1
                node = loader.get_node()
            except yaml.MarkedYAMLError as exc:
                raise _yaml_error(exc, source, index) from None
            except yaml.reader.ReaderError as exc:
                raise ManifestError(
                    f"invalid YAML: unacceptable character #x{exc.character:04x}: {exc.reason}",
                    file=source,
                    line=text.count("\n", 0, exc.position) + 1,
                    document=index or None,
                ) from None
            except yaml.YAMLError as exc:
                raise ManifestError(
                    f"invalid YAML: {exc}", file=source, document=index or None
                ) from None
            except RecursionError:
                raise ManifestError(
                    f"nesting deeper than {max_depth} levels", file=source, document=index
                ) from None
            if node is None:
                continue
            _check_graph(node, max_depth, source, index)
            try:
                data = loader.construct_document(node)
            except _DuplicateKey as exc:
                raise ManifestError(
                    str(exc), file=source, line=exc.line + 1, document=index
                ) from None
            except yaml.MarkedYAMLError as exc:
                raise _yaml_error(exc, source, index) from None
            except yaml.YAMLError as exc:
                raise ManifestError(f"invalid YAML: {exc}", file=source, document=index) from None
            except RecursionError:
                raise ManifestError(
                    f"nesting deeper than {max_depth} levels", file=source, document=index
                ) from None
            if data is None:
                continue
            documents.append(
                Document(source, index, data, line=node.start_mark.line + 1, _node=node)
            )
    finally:
        loader.dispose()
    return documents


def _yaml_error(exc: yaml.MarkedYAMLError, source: str, index: int) -> ManifestError:
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or "invalid YAML"
    if exc.context:
        problem = f"{exc.context}: {problem}"
    return ManifestError(
        f"invalid YAML: {problem}",
        file=source,
        line=mark.line + 1 if mark is not None else None,
        document=index or None,
    )


def _allowed_alias_ratio(decode_count: int) -> float:
    """go-yaml v2 ``allowedAliasRatio``: 99% aliases under 400k nodes, 10% over 4M."""
    if decode_count <= 400_000:
        return 0.99
    if decode_count >= 4_000_000:
        return 0.10
    return 0.99 - 0.89 * (decode_count - 400_000) / 3_600_000


def _check_graph(root: Any, max_depth: int, source: str, index: int) -> None:
    """Depth, recursive aliases and alias expansion, over the composed node graph.

    libyaml and PyYAML share a node between an anchor and its aliases, so the graph is
    small even when its expansion is not; ``expanded`` counts the nodes as if every
    alias were a copy, computed once per distinct node.
    """
    expanded: dict[int, int] = {}
    height: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]

    def children(node: Any) -> list[Any]:
        if isinstance(node, yaml.SequenceNode):
            return list(node.value)
        if isinstance(node, yaml.MappingNode):
            return [part for pair in node.value for part in pair]
        return []

    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            kids = children(node)
            expanded[key] = 1 + sum(expanded[id(k)] for k in kids)
            height[key] = 1 + max((height[id(k)] for k in kids), default=0)
            on_path.discard(key)
            if height[key] > max_depth:
                raise ManifestError(
                    f"nesting deeper than {max_depth} levels",
                    file=source,
                    line=node.start_mark.line + 1,
                    document=index,
                )
            continue
        if key in expanded:
            continue
        if key in on_path:
            raise ManifestError(
                "recursive alias: an anchor refers to itself",
                file=source,
                line=node.start_mark.line + 1,
                document=index,
            )
        on_path.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in children(node))
        if len(on_path) > max_depth + 1:
            raise ManifestError(
                f"nesting deeper than {max_depth} levels",
                file=source,
                line=node.start_mark.line + 1,
                document=index,
            )
    total = expanded[id(root)]
    distinct = len(expanded)
    aliases = total - distinct
    if aliases > 100 and total > 1000 and aliases / total > _allowed_alias_ratio(total):
        raise ManifestError(
            f"document contains excessive aliasing: {total} nodes once aliases are expanded, "
            f"from {distinct} written",
            file=source,
            line=root.start_mark.line + 1,
            document=index,
        )


def iter_files(path: str | Path, recursive: bool = False) -> Iterator[Path]:
    """``path`` itself, or for a directory its ``*.yaml``, ``*.yml`` and ``*.json`` files
    in sorted order (descending into subdirectories when ``recursive``), as kubectl's
    ``-f DIR`` [``-R``] does.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("b.yaml", "a.json", "notes.txt"):
    ...     _ = (d / name).write_text("{}")
    >>> [p.name for p in iter_files(d)]
    ['a.json', 'b.yaml']
    """
    path = Path(path)
    if not path.is_dir():
        yield path
        return
    entries = sorted(path.iterdir(), key=lambda p: p.name)
    for entry in entries:
        if entry.is_dir():
            if recursive:
                yield from iter_files(entry, recursive=True)
        elif entry.suffix.lower() in (".yaml", ".yml", ".json"):
            yield entry
