"""``-o yaml``, ``-o json`` and ``-o name`` as kubectl prints them.

kubectl reads objects as unstructured maps, so both YAML and JSON come out with sorted
keys (JSON byte-wise; YAML in go-yaml's "natural" order, digit runs as numbers).  JSON
is ``json.MarshalIndent`` with four spaces (``<``, ``>`` and ``&`` escaped as Go does);
YAML is ``sigs.k8s.io/yaml`` over go-yaml v2: block style, ``- `` items at their key's
indentation, lines folded near 80 columns, and a string that would read back as another
type (``"true"``, ``"1.0"``, a timestamp) in double quotes.  Several objects, or a
listing, print as a ``v1`` ``List``.

Examples
--------
>>> print(to_yaml({"kind": "X", "metadata": {"name": "1.0", "annotations": None}}), end="")
kind: X
metadata:
  annotations: null
  name: "1.0"
"""

from __future__ import annotations

import functools
import re
from typing import Any

import yaml

from simkit._go.json import marshal

__all__ = ["as_list", "to_json", "to_yaml"]

# go-yaml v2 resolve(): plain scalars that do not read back as strings.
_GO_YAML_SPECIAL = frozenset((
    "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
    "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
    "~", "null", "Null", "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF",
    "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", "<<",
))
_YAML_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_BASE60_FLOAT = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?")
_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"(?:[Tt][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?(?:Z|[-+][0-9]{2}:[0-9]{2})"
    r"| [0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?)?"
)


def _reads_as_non_string(text: str) -> bool:
    """Whether go-yaml would resolve ``text``, written plain, to a non-string."""
    if text == "" or text in _GO_YAML_SPECIAL:
        return True
    first = text[0]
    if first == ".":
        try:
            float(text)
        except ValueError:
            return False
        return True
    if first not in "+-0123456789":
        return False
    if _BASE60_FLOAT.fullmatch(text) or _TIMESTAMP.fullmatch(text):
        return True
    plain = text.replace("_", "")
    if plain != plain.strip():
        return False
    try:
        int(plain, 0)
        return True
    except ValueError:
        pass
    if re.fullmatch(r"[-+]?0[0-7]+", plain):  # Go's base-0 ParseInt reads 017 as octal
        return True
    return bool(_YAML_FLOAT.fullmatch(plain))


def _go_yaml_less(a: str, b: str) -> bool:
    """go-yaml v2 ``keyList.Less`` for two string keys: a "natural" order in which
    non-letters sort before letters and digit runs compare as numbers."""
    for i in range(min(len(a), len(b))):
        if a[i] == b[i]:
            continue
        a_letter, b_letter = a[i].isalpha(), b[i].isalpha()
        if a_letter and b_letter:
            return a[i] < b[i]
        if a_letter or b_letter:
            return b_letter
        a_num = b_num = 0
        if a[i] == "0" or b[i] == "0":
            j = i - 1
            while j >= 0 and a[j].isdecimal():
                if a[j] != "0":
                    a_num = b_num = 1
                    break
                j -= 1
        a_end = i
        while a_end < len(a) and a[a_end].isdecimal():
            a_num = a_num * 10 + ord(a[a_end]) - 48
            a_end += 1
        b_end = i
        while b_end < len(b) and b[b_end].isdecimal():
            b_num = b_num * 10 + ord(b[b_end]) - 48
            b_end += 1
        if a_num != b_num:
            return a_num < b_num
        if a_end != b_end:
            return a_end < b_end
        return a[i] < b[i]
    return len(a) < len(b)


def _go_yaml_cmp(a: str, b: str) -> int:
    return -1 if _go_yaml_less(a, b) else (1 if _go_yaml_less(b, a) else 0)


_GO_YAML_KEY = functools.cmp_to_key(_go_yaml_cmp)


class _KubectlDumper(yaml.SafeDumper):
    """PyYAML's emitter with go-yaml v2's key order and choice of quoting for strings."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = None
    if "\n" in value:
        style = "|"
    elif _reads_as_non_string(value):
        style = '"'
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_dict(dumper: yaml.SafeDumper, value: dict) -> yaml.MappingNode:
    items = sorted(value.items(), key=lambda item: _GO_YAML_KEY(str(item[0])))
    return dumper.represent_mapping("tag:yaml.org,2002:map", items)


_KubectlDumper.add_representer(str, _represent_str)
_KubectlDumper.add_representer(dict, _represent_dict)


def to_yaml(obj: Any) -> str:
    """The YAML kubectl prints for ``obj`` (keys in go-yaml's order).

    Examples
    --------
    >>> to_yaml({"b": "2026-01-01T00:00:00Z", "a": [{"y": "on"}], "c": "it's: here"})
    'a:\\n- "y": "on"\\nb: "2026-01-01T00:00:00Z"\\nc: \\'it\\'\\'s: here\\'\\n'
    >>> list(yaml.safe_load(to_yaml({"item10": 1, "item9": 2, "Item": 3, "_x": 4})))
    ['_x', 'Item', 'item9', 'item10']
    """
    return yaml.dump(obj, Dumper=_KubectlDumper, sort_keys=False, default_flow_style=False,
                     allow_unicode=True)


def to_json(obj: Any) -> str:
    """The JSON kubectl prints for ``obj``: sorted keys, 4-space indent, final newline.

    Examples
    --------
    >>> print(to_json({"b": None, "a": {"x": "<none>"}}), end="")
    {
        "a": {
            "x": "\\u003cnone\\u003e"
        },
        "b": null
    }
    """
    return marshal(obj, indent="    ") + "\n"


def as_list(items: list[dict[str, Any]]) -> dict[str, Any]:
    """The ``v1`` ``List`` kubectl wraps several objects (or a listing) in.

    Examples
    --------
    >>> as_list([])
    {'apiVersion': 'v1', 'items': [], 'kind': 'List', 'metadata': {'resourceVersion': ''}}
    """
    return {"apiVersion": "v1", "items": list(items), "kind": "List",
            "metadata": {"resourceVersion": ""}}
