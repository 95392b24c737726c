"""``oc get -o FORMAT``: every non-table output format, as kubectl prints it.

:func:`api_object` is the one place a stored object becomes its API shape;
:func:`parse_output` reads ``-o``/``--template`` as kubectl's print flags do
(``genericclioptions`` ``PrintFlags``: ``JSONYamlPrintFlags``, ``NamePrintFlags``,
``JSONPathPrintFlags``, ``GoTemplatePrintFlags``, kubectl's ``CustomColumnsPrintFlags``)
and :func:`print_objects` prints objects as kubectl ``get``'s ``printGeneric`` does: one
object when a single name was asked for, else a ``v1`` ``List`` (``-o name`` prints each
item's ``kind.group/name``; ``-o jsonpath`` runs once over the List; custom columns print
one row per item).  Upstream: kubernetes/kubectl ``pkg/cmd/get/get.go`` (``printGeneric``,
commit dee3483a3d6a64c07fdf746caf80af446dee99ac) and k8s.io/cli-runtime
``pkg/genericclioptions/jsonpath_flags.go`` and ``pkg/printers/jsonpath.go``,
``name.go``, ``template.go``.  One deliberate difference: a jsonpath execution error
does not print the object (kubectl appends it with ``%#v``), as it may be a Secret.

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
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from simkit._go.json import marshal
from simkit._go.strconv import go_quote
from simkit.oc.command import Flag, OcError
from simkit.oc.customcolumns import (
    CustomColumnsError,
    columns_from_spec,
    columns_from_template,
    print_custom_columns,
)
from simkit.oc.jsonpath import JSONPath, JSONPathError

if TYPE_CHECKING:
    from simkit.oc.command import Invocation
    from simkit.simulation import Simulation

__all__ = [
    "GET_OUTPUT_FLAGS",
    "OutputFormat",
    "api_object",
    "as_list",
    "name_of",
    "output_format",
    "parse_output",
    "print_generic",
    "print_objects",
    "to_json",
    "to_yaml",
]

# go-yaml v2 resolve(): plain scalars that do not read back as strings.
_GO_YAML_SPECIAL = frozenset(
    (
        "y",
        "Y",
        "yes",
        "Yes",
        "YES",
        "true",
        "True",
        "TRUE",
        "on",
        "On",
        "ON",
        "n",
        "N",
        "no",
        "No",
        "NO",
        "false",
        "False",
        "FALSE",
        "off",
        "Off",
        "OFF",
        "~",
        "null",
        "Null",
        "NULL",
        ".nan",
        ".NaN",
        ".NAN",
        ".inf",
        ".Inf",
        ".INF",
        "+.inf",
        "+.Inf",
        "+.INF",
        "-.inf",
        "-.Inf",
        "-.INF",
        "<<",
    )
)
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
    return yaml.dump(
        obj, Dumper=_KubectlDumper, sort_keys=False, default_flow_style=False, allow_unicode=True
    )


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
    return {
        "apiVersion": "v1",
        "items": list(items),
        "kind": "List",
        "metadata": {"resourceVersion": ""},
    }


# -- objects in their API shape -----------------------------------------------------------
def api_object(store: str, obj: Any, sim: Simulation) -> dict[str, Any]:
    """The object as the API server returns it: the one converter ``oc get -o`` uses.

    Parameters
    ----------
    store : str
        The cluster store (kind) the object comes from: ``ImageStream``, ``Pod``,
        ``Secret`` ...; ``ImageStreamTag`` takes a ``(stream, tag)`` pair.
    obj : object
        The stored object.
    sim : Simulation
        For wall-clock times.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation()
    >>> sa = sim.cluster.get("ServiceAccount", ("default", "default"))
    >>> api_object("ServiceAccount", sa, sim)["kind"]
    'ServiceAccount'
    """
    from simkit.manifests.api import to_api
    from simkit.manifests.images import image_stream_image, image_stream_tag

    if store == "ImageStreamTag":
        stream, tag = obj
        history = stream.status_tags.get(tag)
        digest = history.items[0].image if history is not None and history.items else ""
        image = sim.cluster.get("Image", ("", digest)) if digest else None
        return to_api(image_stream_tag(stream, tag, {digest: image} if image else None), sim)
    if store == "ImageStreamImage":
        stream, _event, image = obj
        return to_api(image_stream_image(stream, image), sim)
    return to_api(obj, sim, kind="Project" if store == "Project" else None)


def name_of(obj: dict[str, Any]) -> str:
    """``-o name``: ``kind/name`` for the core group, else ``kind.group/name`` (kubectl
    ``NamePrinter``, kind lower-cased).

    Examples
    --------
    >>> name_of({"apiVersion": "image.openshift.io/v1", "kind": "ImageStream",
    ...          "metadata": {"name": "ruby"}})
    'imagestream.image.openshift.io/ruby'
    >>> name_of({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"}})
    'pod/x'
    """
    api_version = obj.get("apiVersion") or ""
    group = api_version.rpartition("/")[0] if "/" in api_version else ""
    kind = str(obj.get("kind") or "").lower()
    name = (obj.get("metadata") or {}).get("name", "")
    return f"{kind}.{group}/{name}" if group else f"{kind}/{name}"


# -- -o and --template --------------------------------------------------------------------
GET_OUTPUT_FLAGS = (
    Flag(
        "output",
        "o",
        default="",
        usage=(
            "Output format. One of: (json, yaml, name, go-template, go-template-file, template, "
            "templatefile, jsonpath, jsonpath-as-json, jsonpath-file, custom-columns, "
            "custom-columns-file, wide). See custom columns "
            "[https://kubernetes.io/docs/reference/kubectl/#custom-columns], golang template "
            "[http://golang.org/pkg/text/template/#pkg-overview] and jsonpath template "
            "[https://kubernetes.io/docs/reference/kubectl/jsonpath/]."
        ),
    ),
    Flag(
        "template",
        default="",
        usage=(
            "Template string or path to template file to use when -o=go-template, "
            "-o=go-template-file. The template format is golang templates "
            "[http://golang.org/pkg/text/template/#pkg-overview]."
        ),
    ),
    Flag(
        "no-headers",
        value=False,
        default=False,
        usage=(
            "When using the default or custom-column output format, don't print headers "
            "(default print headers)."
        ),
    ),
    Flag(
        "allow-missing-template-keys",
        value=False,
        default=True,
        usage=(
            "If true, ignore any errors in templates when a field or map key is missing in the "
            "template. Only applies to golang and jsonpath output formats."
        ),
    ),
    Flag(
        "ignore-not-found",
        value=False,
        default=False,
        usage=(
            "If set to true, suppress NotFound error for specific objects that do not exist. Using "
            "this flag with commands that query for collections of resources has no effect when "
            "no resources are found."
        ),
    ),
)
"""The print flags (and ``--ignore-not-found``) every ``oc get`` accepts."""

ALLOWED_FORMATS = (
    "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,"
    "jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml"
)
_TEMPLATE_FORMATS = {
    "jsonpath": "jsonpath",
    "jsonpath-file": "jsonpath",
    "jsonpath-as-json": "jsonpath-as-json",
    "custom-columns": "custom-columns",
    "custom-columns-file": "custom-columns",
    "go-template": "go-template",
    "go-template-file": "go-template",
    "template": "go-template",
    "templatefile": "go-template",
}
_FILE_FORMATS = ("jsonpath-file", "custom-columns-file", "go-template-file", "templatefile")


@dataclass(frozen=True, slots=True)
class OutputFormat:
    """A parsed ``-o``: ``kind`` is ``""`` (the table), ``wide``, ``yaml``, ``json``,
    ``name``, ``jsonpath``, ``jsonpath-as-json``, ``custom-columns`` or ``go-template``;
    ``template`` is the template text (a file's contents for the ``-file`` formats)."""

    kind: str
    template: str = ""
    allow_missing_keys: bool = True
    no_headers: bool = False
    from_file: bool = False

    @property
    def table(self) -> bool:
        """Whether the command prints its own table (``-o wide`` or nothing)."""
        return self.kind in ("", "wide")


def parse_output(
    output: str, template: str = "", *, allow_missing_keys: bool = True, no_headers: bool = False
) -> OutputFormat:
    """Read ``-o``/``--template`` as kubectl's print flags do.

    ``--template`` without ``-o`` means ``go-template``; ``-o jsonpath=T`` and
    ``-o jsonpath --template=T`` are the same; a ``-file`` format reads its template
    from the file.

    Raises
    ------
    OcError
        With kubectl's message: an unknown format, a template format without a
        template, a file that cannot be read, a template that does not parse.

    Examples
    --------
    >>> parse_output("jsonpath={.kind}")
    OutputFormat(kind='jsonpath', template='{.kind}', allow_missing_keys=True, no_headers=False, \
from_file=False)
    >>> parse_output("", "{{.kind}}").kind
    'go-template'
    >>> parse_output("jsonpath")
    Traceback (most recent call last):
    ...
    simkit.oc.command.OcError: error: template format specified but no template given
    """
    if not output and template:
        output = "go-template"
    name, equals, value = output.partition("=")
    if name in ("", "wide", "yaml", "json", "name") and not equals:
        return OutputFormat(name, "", allow_missing_keys, no_headers)
    if name not in _TEMPLATE_FORMATS:
        raise OcError(
            f"error: unable to match a printer suitable for the output format "
            f'"{output}", allowed formats are: {ALLOWED_FORMATS}'
        )
    if template:
        value = template
    kind = _TEMPLATE_FORMATS[name]
    if not value:
        if kind == "custom-columns":
            raise OcError("error: custom-columns format specified but no custom columns given")
        raise OcError("error: template format specified but no template given")
    if name in _FILE_FORMATS:
        try:
            value = Path(value).read_text()
        except OSError as exc:
            reason = exc.strerror.lower() if exc.strerror else str(exc)
            flag = "" if kind == "custom-columns" else "--template "
            raise OcError(f"error: error reading {flag}{value}, open {value}: {reason}") from None
    parsed = OutputFormat(kind, value, allow_missing_keys, no_headers, name in _FILE_FORMATS)
    _check(parsed)
    return parsed


def _columns(fmt: OutputFormat):
    if fmt.from_file:
        return columns_from_template(fmt.template)
    return columns_from_spec(fmt.template)


def _check(fmt: OutputFormat) -> None:
    """Parse the template now, so that a bad one fails before anything is printed."""
    try:
        if fmt.kind in ("jsonpath", "jsonpath-as-json"):
            JSONPath(fmt.template)
        elif fmt.kind == "custom-columns":
            for column in _columns(fmt):
                JSONPath(column.field_spec)
        elif fmt.kind == "go-template":
            from simkit.oc.gotemplate import parse_template

            parse_template(fmt.template)
    except JSONPathError as exc:
        if fmt.kind == "custom-columns":
            raise OcError(f"error: {exc}") from None
        raise OcError(f"error: error parsing jsonpath {fmt.template}, {exc}") from None
    except CustomColumnsError as exc:
        raise OcError(f"error: {exc}") from None
    except ValueError as exc:  # a go-template parse error
        raise OcError(f"error: error parsing template {fmt.template}, {exc}") from None


def print_objects(fmt: OutputFormat, objects: list[dict[str, Any]], *, single: bool) -> str:
    """Print API objects in a non-table format, as kubectl ``get`` does.

    Parameters
    ----------
    fmt : OutputFormat
        From :func:`parse_output`; not a table format.
    objects : list of dict
        The objects, from :func:`api_object`.
    single : bool
        Exactly one object was asked for by name: it is printed alone, not in a List.

    Examples
    --------
    >>> pod = {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "x"}}
    >>> print_objects(parse_output("name"), [pod, pod], single=False)
    'pod/x\\npod/x\\n'
    >>> print_objects(parse_output("jsonpath={.items[*].metadata.name}"), [pod], single=False)
    'x'
    """
    obj = objects[0] if single and len(objects) == 1 else as_list(objects)
    if fmt.kind == "yaml":
        return to_yaml(obj)
    if fmt.kind == "json":
        return to_json(obj)
    if fmt.kind == "name":
        return "".join(name_of(o) + "\n" for o in objects)
    if fmt.kind in ("jsonpath", "jsonpath-as-json"):
        path = JSONPath(fmt.template, allow_missing_keys=fmt.allow_missing_keys)
        try:
            return path.execute(obj, json_output=fmt.kind == "jsonpath-as-json")
        except JSONPathError as exc:
            # kubectl also prints the object with %#v; simkit does not (it may be a Secret)
            raise OcError(
                f"error: error executing jsonpath {go_quote(fmt.template)}: Error executing "
                f"template: {exc}. Printing more information for debugging the template:\n"
                f"\ttemplate was:\n\t\t{fmt.template}\n"
                "\tobject given to jsonpath engine was:\n\t\t(not shown by simkit)\n"
            ) from None
    if fmt.kind == "custom-columns":
        try:
            return print_custom_columns(_columns(fmt), obj, no_headers=fmt.no_headers)
        except CustomColumnsError as exc:
            raise OcError(f"error: {exc}") from None
    if fmt.kind == "go-template":
        from simkit.oc.gotemplate import execute_template

        try:
            return execute_template(fmt.template, obj, allow_missing_keys=fmt.allow_missing_keys)
        except ValueError as exc:
            raise OcError(
                f"error: error executing template {go_quote(fmt.template)}: {exc}"
            ) from None
    raise ValueError(f"{fmt.kind!r} is a table format")


# -- oc get -------------------------------------------------------------------------------
def output_format(inv: Invocation) -> OutputFormat:
    """The command's ``-o``/``--template``/``--no-headers``/``--allow-missing-template-keys``
    (:data:`GET_OUTPUT_FLAGS`), parsed by :func:`parse_output`.

    Examples
    --------
    >>> import simkit as sk
    >>> sk.Simulation().oc("get sa default -o jsonpath='{.kind}' --allow-missing-template-keys")
    'ServiceAccount'
    """
    return parse_output(
        inv.flag("output") or "",
        inv.flag("template") or "",
        allow_missing_keys=inv.flag("allow-missing-template-keys") is not False,
        no_headers=bool(inv.flag("no-headers")),
    )


def print_generic(
    inv: Invocation,
    fmt: OutputFormat,
    store: str,
    objects: list[Any],
    *,
    single: bool,
    errors: list[str] | tuple[str, ...] = (),
) -> str:
    """kubectl ``get``'s ``printGeneric``: the objects found, in ``fmt``, then the errors.

    One name asked for and not found prints only its error; with
    ``--ignore-not-found`` nothing found prints nothing; otherwise what was found is
    printed (an empty ``List`` when nothing was) and the errors follow (the command
    fails).

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation()
    >>> print(sim.oc("get sa default builder -o name"), end="")
    serviceaccount/default
    serviceaccount/builder
    >>> sim.oc("get sa default nope -o name")
    Traceback (most recent call last):
    ...
    simkit.oc.command.OcError: serviceaccount/default
    Error from server (NotFound): serviceaccounts "nope" not found
    """
    if not objects and (single or inv.flag("ignore-not-found")):
        if errors:
            raise OcError("\n".join(errors))
        return ""
    text = print_objects(fmt, [api_object(store, obj, inv.sim) for obj in objects], single=single)
    if errors:
        raise OcError(text + "\n".join(errors))
    return text
