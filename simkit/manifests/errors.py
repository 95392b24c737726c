"""``ManifestError``: bad manifest input, located as precisely as the input allows."""

from __future__ import annotations

REDACTED = "<secret contents redacted>"
"""What error messages say instead of a secret's value (as the API server does)."""


class ManifestError(ValueError):
    """A manifest file, document or object that cannot be loaded.

    The message names, where known: the file, the line (1-based, from the YAML marks),
    the document (1-based, in a multi-document file) and the item of a ``List``, the
    object's kind and name, the field, and what was expected.  The parts are kept as
    attributes too.  ``reason`` is the API server's ``StatusReason`` (``AlreadyExists``,
    ``NotFound``, ``Invalid``) for errors the server would return, else ``""``; ``verb``
    says what was being done (``creating``, ``applying``) for messages in kubectl's form.
    ``errors`` holds every error found when several were (this one first).

    A secret's values never appear: messages say ``<secret contents redacted>``.

    Examples
    --------
    >>> err = ManifestError("expected a string, got number 1", file="is.yaml", line=7,
    ...                     document=2, kind="ImageStream", name="ruby",
    ...                     field="spec.tags[0].name")
    >>> print(err)
    is.yaml:7: document 2: ImageStream "ruby": spec.tags[0].name: expected a string, got number 1
    >>> isinstance(err, ValueError), err.line
    (True, 7)
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        document: int | None = None,
        item: str = "",
        kind: str = "",
        name: str = "",
        namespace: str = "",
        field: str = "",
        reason: str = "",
        verb: str = "",
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.document = document
        self.item = item
        self.kind = kind
        self.name = name
        self.namespace = namespace
        self.field = field
        self.reason = reason
        self.verb = verb
        self.server_message = False
        """The message is the API server's own, whole (it names its fields itself)."""
        self.errors: list[ManifestError] = [self]
        super().__init__(self._render())

    def _render(self) -> str:
        parts = []
        where = self.file or ""
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        if where:
            parts.append(where)
        doc = []
        if self.document is not None:
            doc.append(f"document {self.document}")
        if self.item:
            doc.append(self.item)
        if doc:
            parts.append(", ".join(doc))
        if self.kind or self.name:
            label = self.kind or "object"
            if self.name:
                label += f' "{self.name}"'
            parts.append(label)
        if self.field:
            parts.append(self.field)
        parts.append(self.message)
        return ": ".join(parts)

    def with_more(self, others: list[ManifestError]) -> ManifestError:
        """This error, carrying ``others`` as the further errors found."""
        self.errors = [self, *others]
        if others:
            more = len(others)
            self.args = (f"{self._render()} (and {more} more error{'s' if more > 1 else ''})",)
        return self

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else self._render()
