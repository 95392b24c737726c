"""Kubernetes image-name parsing and pull-policy defaulting.

* :func:`parse_image_name` is ``pkg/util/parsers.ParseImageName``.
* :func:`default_pull_policy` is the ``imagePullPolicy`` rule of
  ``pkg/apis/core/v1/defaults.go`` ``SetDefaults_Container`` (also used for
  ephemeral containers and, behind the ImageVolume gate, ``volumes[].image``).
* :func:`apply_default_tag` is the kubelet's ``applyDefaultImageTag``
  (``pkg/kubelet/images/image_manager.go``).
"""

from __future__ import annotations

from typing import Literal

from simkit._go.strconv import go_quote
from simkit.refs._text import memoize_parser
from simkit.refs.distribution import parse_image
from simkit.refs.errors import InvalidReference

__all__ = [
    "DEFAULT_IMAGE_TAG",
    "PULL_ALWAYS",
    "PULL_IF_NOT_PRESENT",
    "PULL_NEVER",
    "PullPolicy",
    "apply_default_tag",
    "default_pull_policy",
    "parse_image_name",
]

#: ``parsers.DefaultImageTag``.
DEFAULT_IMAGE_TAG = "latest"
PULL_ALWAYS: Literal["Always"] = "Always"
PULL_IF_NOT_PRESENT: Literal["IfNotPresent"] = "IfNotPresent"
PULL_NEVER: Literal["Never"] = "Never"
#: The values of ``imagePullPolicy``.
PullPolicy = Literal["Always", "IfNotPresent", "Never"]


@memoize_parser
def _parse_image_name(image: str) -> tuple[str, str, str]:
    try:
        ref = parse_image(image)
    except InvalidReference as exc:
        raise InvalidReference(f"couldn't parse image name {go_quote(image)}: {exc}") from None
    tag = ref.tag or ""
    digest = ref.digest or ""
    if not tag and not digest:
        tag = DEFAULT_IMAGE_TAG
    return ref.name, tag, digest


def parse_image_name(image: str) -> tuple[str, str, str]:
    """Split an image into repository, tag and digest (Kubernetes ``ParseImageName``).

    Parameters
    ----------
    image : str
        A container image as written in a pod spec.

    Returns
    -------
    tuple of str
        ``(repository, tag, digest)``. The repository is normalised
        (``docker.io/library/root``). Missing parts are ``""``, except that the tag
        is ``"latest"`` when both tag and digest are missing.

    Raises
    ------
    InvalidReference
        ``couldn't parse image name "<image>": <reason>`` where the reason is the
        :func:`~simkit.refs.distribution.parse_image` error.

    Examples
    --------
    >>> parse_image_name("root")
    ('docker.io/library/root', 'latest', '')
    >>> parse_image_name("url:5000/repo:tag")
    ('url:5000/repo', 'tag', '')
    >>> try:
    ...     parse_image_name("ROOT")
    ... except InvalidReference as exc:
    ...     print(exc)  # doctest: +ELLIPSIS
    couldn't parse image name "ROOT": invalid reference format: ... must be lowercase
    """
    return _parse_image_name(image)


@memoize_parser
def default_pull_policy(image: str) -> Literal["Always", "IfNotPresent"]:
    """Default ``imagePullPolicy`` for an image (``SetDefaults_Container``).

    Applies when the policy is unset. The parse error is ignored, exactly as in the
    API server, so an unparsable image gets ``IfNotPresent`` (validation rejects it
    later).

    Parameters
    ----------
    image : str
        The container image.

    Returns
    -------
    {"Always", "IfNotPresent"}
        ``Always`` when the parsed tag is ``latest`` (explicit, implied by a bare
        name, or next to a digest: ``name:latest@sha256:...``), else
        ``IfNotPresent`` (other tags, digest-only references, unparsable images).

    Examples
    --------
    >>> default_pull_policy("busybox"), default_pull_policy("busybox:latest")
    ('Always', 'Always')
    >>> default_pull_policy("busybox:1.36"), default_pull_policy("busybox@sha256:" + "0" * 64)
    ('IfNotPresent', 'IfNotPresent')
    >>> default_pull_policy("Not A Valid Image")
    'IfNotPresent'
    """
    try:
        _, tag, _ = _parse_image_name(image)
    except InvalidReference:
        tag = ""
    return PULL_ALWAYS if tag == DEFAULT_IMAGE_TAG else PULL_IF_NOT_PRESENT


@memoize_parser
def apply_default_tag(image: str) -> str:
    """Append ``:latest`` to an untagged, undigested image (kubelet ``applyDefaultImageTag``).

    The name is *not* normalised, so the container runtime sees the short name.

    Parameters
    ----------
    image : str
        The container image.

    Returns
    -------
    str
        ``image + ":latest"`` if it has neither tag nor digest, else ``image``.

    Raises
    ------
    InvalidReference
        The :func:`parse_image_name` error (the kubelet reports
        ``InvalidImageName``).

    Examples
    --------
    >>> apply_default_tag("root"), apply_default_tag("root:tag")
    ('root:latest', 'root:tag')
    >>> apply_default_tag("registry.example.com:5000/foobar")
    'registry.example.com:5000/foobar:latest'
    """
    _, tag, digest = _parse_image_name(image)
    if not digest and tag and not image.endswith(":" + tag):
        return image + ":" + tag
    return image
