"""API errors as ``oc`` prints them: ``Error from server (Reason): message``."""

from __future__ import annotations

from simkit.apiserver.field_errors import aggregate, as_field_errors


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


class BadRequest(ApiError):
    """HTTP 400 (``kapierrors.NewBadRequest``)."""

    reason = "BadRequest"


class MethodNotAllowed(ApiError):
    """HTTP 405: the resource has no handler for the verb (``ImageStreamImage`` is
    get-only: openshift-apiserver's ``imagestreamimage.REST`` implements ``rest.Getter``
    alone, so the generic API server answers a create or patch with this status)."""

    reason = "MethodNotAllowed"
    MESSAGE = "the server does not allow this method on the requested resource"

    def __init__(self, message: str = MESSAGE) -> None:
        super().__init__(message)


class Invalid(ApiError):
    """HTTP 422 (``kapierrors.NewInvalid``).

    ``kind`` is the qualified kind (``ImageStream.image.openshift.io``); ``causes``
    are :class:`~simkit.apiserver.field_errors.FieldError` values (older callers pass
    ``(field, body)`` pairs).  The message is ``<kind> "<name>" is invalid: <errors>``
    with the errors de-duplicated and bracketed when there are several.

    Examples
    --------
    >>> from simkit.apiserver.field_errors import required
    >>> print(Invalid("ImageStream.image.openshift.io", "x", [required("metadata.name")]).message)
    ImageStream.image.openshift.io "x" is invalid: metadata.name: Required value
    """

    reason = "Invalid"

    def __init__(self, kind: str, name: str, causes: list) -> None:
        self.kind = kind
        self.name = name
        self.causes = list(causes)
        super().__init__(f'{kind} "{name}" is invalid: {aggregate(as_field_errors(causes))}')
