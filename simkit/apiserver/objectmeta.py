"""Object metadata validation as every Kubernetes-style API server applies it.

Restates k8s.io/apimachinery ``pkg/api/validation/objectmeta.go``
(``ValidateObjectMetaAccessor``, ``ValidateAnnotations``), ``pkg/api/validation/path``
(``ValidatePathSegmentName``), ``pkg/apis/meta/v1/validation`` (``ValidateLabels``) and
``pkg/util/validation/validation.go`` (``IsDNS1123Label``, ``IsDNS1123Subdomain``,
``IsQualifiedName``, ``IsValidLabelValue``, ``RegexError``, ``MaxLenError``), as vendored
by openshift/openshift-apiserver @56aa2d96edd725e44ddd7ff13f23e53e6c509828.

Lengths are counted in UTF-8 bytes, as Go's ``len`` counts them.  Owner references,
finalizers and managed fields are not modelled (simkit objects have none).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from functools import lru_cache

from simkit.apiserver.field_errors import FieldError, invalid, required, too_long

__all__ = [
    "TOTAL_ANNOTATION_SIZE_LIMIT",
    "is_dns1123_label",
    "is_dns1123_subdomain",
    "is_qualified_name",
    "is_valid_label_value",
    "validate_annotations",
    "validate_labels",
    "validate_object_meta",
    "validate_path_segment_name",
]

#: ``TotalAnnotationSizeLimitB``: 256 kB of keys and values together.
TOTAL_ANNOTATION_SIZE_LIMIT = 256 * 1024

_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?"
_SUBDOMAIN_FMT = _LABEL_FMT + r"(\." + _LABEL_FMT + ")*"
_QNAME_FMT = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]"
_LABEL_VALUE_FMT = "(" + _QNAME_FMT + ")?"
_LABEL = re.compile(_LABEL_FMT, re.ASCII)
_SUBDOMAIN = re.compile(_SUBDOMAIN_FMT, re.ASCII)
_QNAME = re.compile(_QNAME_FMT, re.ASCII)
_LABEL_VALUE = re.compile(_LABEL_VALUE_FMT, re.ASCII)
_QNAME_MSG = (
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and "
    "end with an alphanumeric character"
)


def _len(text: str) -> int:
    return len(text.encode("utf-8"))


def regex_error(msg: str, fmt: str, *examples: str) -> str:
    """``RegexError``: the message, examples (with upstream's stray double space) and regex.

    Examples
    --------
    >>> regex_error("bad", "x+", "a", "b")
    "bad (e.g. 'a',  or 'b', regex used for validation is 'x+')"
    """
    if not examples:
        return f"{msg} (regex used for validation is '{fmt}')"
    shown = " or ".join(f"'{e}', " for e in examples)
    return f"{msg} (e.g. {shown}regex used for validation is '{fmt}')"


def _max_len(length: int) -> str:
    return f"must be no more than {length} characters"


def is_dns1123_label(value: str) -> list[str]:
    """``IsDNS1123Label`` (``ValidateNamespaceName``): the reasons, empty when valid.

    Examples
    --------
    >>> is_dns1123_label("my-project"), is_dns1123_label("a.b")
    ([], ['must not contain dots'])
    """
    reasons = []
    if _len(value) > 63:
        reasons.append(_max_len(63))
    if _LABEL.fullmatch(value) is None:
        if _SUBDOMAIN.fullmatch(value) is not None:
            reasons.append("must not contain dots")
        else:
            reasons.append(
                regex_error(
                    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters "
                    "or '-', and must start and end with an alphanumeric character",
                    _LABEL_FMT,
                    "my-name",
                    "123-abc",
                )
            )
    return reasons


def is_dns1123_subdomain(value: str) -> list[str]:
    """``IsDNS1123Subdomain``: at most 253 characters of dot-separated labels.

    Examples
    --------
    >>> is_dns1123_subdomain("example.com")
    []
    """
    reasons = []
    if _len(value) > 253:
        reasons.append(_max_len(253))
    if _SUBDOMAIN.fullmatch(value) is None:
        reasons.append(
            regex_error(
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                "characters, "
                "'-' or '.', and must start and end with an alphanumeric character",
                _SUBDOMAIN_FMT,
                "example.com",
            )
        )
    return reasons


def is_qualified_name(value: str) -> list[str]:
    """``IsQualifiedName``: ``[prefix/]name``, a DNS subdomain prefix and a 63-byte name.

    Examples
    --------
    >>> is_qualified_name("openshift.io/image.insecureRepository")
    []
    >>> is_qualified_name("/x")
    ['prefix part must be non-empty']
    """
    parts = value.split("/")
    reasons: list[str] = []
    if len(parts) == 1:
        name = parts[0]
    elif len(parts) == 2:
        prefix, name = parts
        if not prefix:
            reasons.append("prefix part must be non-empty")
        else:
            reasons += ["prefix part " + r for r in is_dns1123_subdomain(prefix)]
    else:
        return [
            "a qualified name "
            + regex_error(_QNAME_MSG, _QNAME_FMT, "MyName", "my.name", "123-abc")
            + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"
        ]
    if not name:
        reasons.append("name part must be non-empty")
    elif _len(name) > 63:
        reasons.append("name part " + _max_len(63))
    if _QNAME.fullmatch(name) is None:
        reasons.append(
            "name part " + regex_error(_QNAME_MSG, _QNAME_FMT, "MyName", "my.name", "123-abc")
        )
    return reasons


def is_valid_label_value(value: str) -> list[str]:
    """``IsValidLabelValue``: empty, or a qualified-name-like string of at most 63 bytes.

    Examples
    --------
    >>> is_valid_label_value(""), is_valid_label_value("v1.2_x")
    ([], [])
    """
    reasons = []
    if _len(value) > 63:
        reasons.append(_max_len(63))
    if _LABEL_VALUE.fullmatch(value) is None:
        reasons.append(
            regex_error(
                "a valid label must be an empty string or consist of alphanumeric characters, '-', "
                "'_' or '.', and must start and end with an alphanumeric character",
                _LABEL_VALUE_FMT,
                "MyValue",
                "my_value",
                "12345",
            )
        )
    return reasons


def validate_path_segment_name(name: str) -> list[str]:
    """``path.ValidatePathSegmentName(name, false)``: not ``.``/``..``, no ``/`` or ``%``.

    Examples
    --------
    >>> validate_path_segment_name(".."), validate_path_segment_name("a/%")
    (["may not be '..'"], ["may not contain '/'", "may not contain '%'"])
    """
    if name in (".", ".."):
        return [f"may not be '{name}'"]
    return [f"may not contain '{c}'" for c in ("/", "%") if c in name]


def validate_labels(labels: Mapping[str, str], path: str) -> list[FieldError]:
    """``ValidateLabels``: each key a qualified name, each value a label value.

    Examples
    --------
    >>> [e.detail[:25] for e in validate_labels({"app": "a b"}, "metadata.labels")]
    ['a valid label must be an ']
    """
    errors: list[FieldError] = []
    for key, value in labels.items():
        errors += [invalid(path, key, why) for why in is_qualified_name(key)]
        errors += [invalid(path, value, why) for why in is_valid_label_value(value)]
    return errors


def validate_annotations(annotations: Mapping[str, str], path: str) -> list[FieldError]:
    """``ValidateAnnotations``: keys are qualified names (case ignored); 256 kB in total.

    Examples
    --------
    >>> [str(e) for e in validate_annotations({"k": "v" * 262144}, "metadata.annotations")]
    ['metadata.annotations: Too long: may not be more than 262144 bytes']
    """
    errors: list[FieldError] = []
    for key in annotations:
        errors += [invalid(path, key, why) for why in is_qualified_name(key.lower())]
    return errors + _annotations_size_errors(annotations, path)


def _annotations_size_errors(annotations: Mapping[str, str], path: str) -> list[FieldError]:
    # A character is at most 4 UTF-8 bytes: when 4 bytes a character cannot reach the
    # limit, the exact byte count (an encode per key and value) cannot either.
    chars = sum(map(len, annotations)) + sum(map(len, annotations.values()))
    if chars * 4 <= TOTAL_ANNOTATION_SIZE_LIMIT:
        return []
    if sum(_len(k) + _len(v) for k, v in annotations.items()) > TOTAL_ANNOTATION_SIZE_LIMIT:
        return [too_long(path, TOTAL_ANNOTATION_SIZE_LIMIT)]
    return []


def validate_object_meta(
    namespace: str,
    name: str,
    name_fn: Callable[[str], list[str]],
    labels: Mapping[str, str] | None = None,
    annotations: Mapping[str, str] | None = None,
) -> list[FieldError]:
    """``ValidateObjectMeta(meta, requiresNamespace=true, nameFn, "metadata")``.

    Examples
    --------
    >>> [str(e) for e in validate_object_meta("", "", validate_path_segment_name)]
    ['metadata.name: Required value: name or generateName is required', \
'metadata.namespace: Required value']
    """
    # Every check but the annotations' total size depends only on the name, the
    # namespace, the name rule, the labels and the annotation keys: memoised on those
    # (streams are validated on every update with the same metadata).  The size check,
    # which reads the values, runs each time and comes last, as in ValidateAnnotations.
    errors = list(
        _meta_errors(
            namespace,
            name,
            name_fn,
            tuple(labels.items()) if labels else (),
            tuple(annotations) if annotations else (),
        )
    )
    if annotations:
        errors += _annotations_size_errors(annotations, "metadata.annotations")
    return errors


@lru_cache(maxsize=65536)
def _meta_errors(
    namespace: str,
    name: str,
    name_fn: Callable[[str], list[str]],
    labels: tuple[tuple[str, str], ...],
    annotation_keys: tuple[str, ...],
) -> tuple[FieldError, ...]:
    """The errors of :func:`validate_object_meta` but the annotations' size (pure)."""
    errors: list[FieldError] = []
    if not name:
        errors.append(required("metadata.name", "name or generateName is required"))
    else:
        errors += [invalid("metadata.name", name, why) for why in name_fn(name)]
    if not namespace:
        errors.append(required("metadata.namespace"))
    else:
        errors += [
            invalid("metadata.namespace", namespace, why) for why in is_dns1123_label(namespace)
        ]
    errors += validate_labels(dict(labels), "metadata.labels")
    path = "metadata.annotations"
    for key in annotation_keys:
        errors += [invalid(path, key, why) for why in is_qualified_name(key.lower())]
    return tuple(errors)
