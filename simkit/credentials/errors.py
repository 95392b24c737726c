"""The one exception of :mod:`simkit.credentials`."""

from __future__ import annotations

__all__ = ["DockerConfigError"]


class DockerConfigError(ValueError):
    """A docker config (``config.json`` / ``.dockercfg``) could not be read or updated.

    The message names what was wrong (which entry, which field) and never contains a
    password, an ``auth`` value or any other secret material: it may be shown to users
    and written to event logs.

    Examples
    --------
    >>> from simkit.credentials import parse_docker_config
    >>> try:
    ...     parse_docker_config({"quay.io": {"auth": "hunter2!"}})
    ... except DockerConfigError as exc:
    ...     print(exc)
    invalid docker config: entry "quay.io": auth is not valid base64
    """
