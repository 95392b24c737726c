"""Kubernetes field errors and how an API server words them.

Restates k8s.io/apimachinery ``pkg/util/validation/field/errors.go`` (``Error.Error``,
``Error.ErrorBody``, the ``ErrorType`` strings, ``ErrorList.ToAggregate``) and
``pkg/util/validation/field/path.go`` (``Path.String``), as vendored by
openshift/openshift-apiserver @56aa2d96edd725e44ddd7ff13f23e53e6c509828.

A field error renders as ``<field>: <type>[: <value>][: <detail>]``: Required,
Forbidden, TooLong and Internal errors never show the value; strings are Go-quoted;
booleans and numbers are printed bare; anything else is JSON (``null`` for no value).
A list of errors is de-duplicated by its rendering; one error is shown alone, several
as ``[a, b]``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from simkit._go.strconv import go_quote

__all__ = [
    "FieldError",
    "aggregate",
    "forbidden",
    "internal",
    "invalid",
    "not_found",
    "required",
    "too_long",
]

#: ``ErrorType.String()`` for the types the image validation uses.
_TYPE_TEXT = {
    "Invalid": "Invalid value",
    "Required": "Required value",
    "Forbidden": "Forbidden",
    "NotFound": "Not found",
    "Internal": "Internal error",
    "NotSupported": "Unsupported value",
    "Duplicate": "Duplicate value",
    "TooLong": "Too long",
}
_VALUE_HIDDEN = frozenset({"Required", "Forbidden", "Internal", "TooLong"})


def _render_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return go_quote(value)
    return json.dumps(value, separators=(",", ":"), sort_keys=True)


@dataclass(frozen=True, slots=True)
class FieldError:
    """One ``field.Error``: its type, the field path, the bad value and a detail.

    Examples
    --------
    >>> str(FieldError("Invalid", "spec.tags[a].from.name", "a@b", "invalid reference format"))
    'spec.tags[a].from.name: Invalid value: "a@b": invalid reference format'
    >>> str(FieldError("Required", "metadata.namespace"))
    'metadata.namespace: Required value'
    """

    type: str
    field: str
    value: object = ""
    detail: str = ""

    def body(self) -> str:
        """``ErrorBody``: the message without the field path."""
        text = _TYPE_TEXT[self.type]
        if self.type not in _VALUE_HIDDEN:
            text = f"{text}: {_render_value(self.value)}"
        if self.detail:
            text = f"{text}: {self.detail}"
        return text

    def __str__(self) -> str:
        return f"{self.field}: {self.body()}"


def invalid(path: str, value: object, detail: str) -> FieldError:
    """``field.Invalid``."""
    return FieldError("Invalid", path, value, detail)


def required(path: str, detail: str = "") -> FieldError:
    """``field.Required``."""
    return FieldError("Required", path, "", detail)


def forbidden(path: str, detail: str) -> FieldError:
    """``field.Forbidden``."""
    return FieldError("Forbidden", path, "", detail)


def not_found(path: str, value: object) -> FieldError:
    """``field.NotFound``."""
    return FieldError("NotFound", path, value, "")


def too_long(path: str, max_bytes: int) -> FieldError:
    """``field.TooLong``: ``may not be more than N bytes`` (the value is never shown)."""
    unit = "byte" if max_bytes == 1 else "bytes"
    detail = f"may not be more than {max_bytes} {unit}"
    return FieldError("TooLong", path, "<value omitted>", detail)


def internal(path: str, detail: str) -> FieldError:
    """``field.InternalError`` (``path`` ``"[]"`` is ``field.NewPath("")``)."""
    return FieldError("Internal", path, None, detail)


def aggregate(errors: Iterable[FieldError | str]) -> str:
    """``ErrorList.ToAggregate().Error()``: de-duplicated, bracketed when several.

    Parameters
    ----------
    errors : iterable of FieldError or str
        The errors, in order.

    Returns
    -------
    str
        The one message, or ``[a, b, ...]``.

    Examples
    --------
    >>> a = required("metadata.namespace")
    >>> aggregate([a])
    'metadata.namespace: Required value'
    >>> aggregate([a, a, invalid("x", True, "no")])
    '[metadata.namespace: Required value, x: Invalid value: true: no]'
    """
    seen: list[str] = []
    for error in errors:
        text = str(error)
        if text not in seen:
            seen.append(text)
    if len(seen) == 1:
        return seen[0]
    return "[" + ", ".join(seen) + "]"


def as_field_errors(causes: Sequence[FieldError | tuple[str, str]]) -> list[FieldError | str]:
    """Accept the older ``(field, body)`` pairs next to :class:`FieldError` values."""
    out: list[FieldError | str] = []
    for cause in causes:
        if isinstance(cause, FieldError):
            out.append(cause)
        else:
            path, body = cause
            out.append(f"{path}: {body}")
    return out
