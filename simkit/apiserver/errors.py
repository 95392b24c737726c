"""API errors as ``oc`` prints them: ``Error from server (Reason): message``."""

from __future__ import annotations


class ApiError(Exception):
    """An API server refusal; ``reason`` is the ``metav1.StatusReason``."""

    reason = "BadRequest"

    def __str__(self) -> str:
        return f"Error from server ({self.reason}): {self.args[0] if self.args else ''}"

    @property
    def message(self) -> str:
        """The status message without the ``Error from server`` prefix."""
        return self.args[0] if self.args else ""


class NotFound(ApiError):
    """HTTP 404."""

    reason = "NotFound"

    @classmethod
    def of(cls, resource: str, name: str) -> NotFound:
        """``<resource> "<name>" not found`` as the API server words it.

        Examples
        --------
        >>> str(NotFound.of("imagestreams.image.openshift.io", "ruby"))
        'Error from server (NotFound): imagestreams.image.openshift.io "ruby" not found'
        """
        return cls(f'{resource} "{name}" not found')


class AlreadyExists(ApiError):
    """HTTP 409 on create."""

    reason = "AlreadyExists"

    @classmethod
    def of(cls, resource: str, name: str) -> AlreadyExists:
        """``<resource> "<name>" already exists``."""
        return cls(f'{resource} "{name}" already exists')


class Forbidden(ApiError):
    """HTTP 403."""

    reason = "Forbidden"


class Invalid(ApiError):
    """HTTP 422; ``causes`` lists ``(field, message)``."""

    reason = "Invalid"

    def __init__(self, kind: str, name: str, causes: list[tuple[str, str]]) -> None:
        self.kind = kind
        self.name = name
        self.causes = causes
        details = ", ".join(f"{path}: {msg}" for path, msg in causes)
        if len(causes) > 1:
            details = "[" + details + "]"
        super().__init__(f'{kind} "{name}" is invalid: {details}')
