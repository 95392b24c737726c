"""OpenShift image-stream object names: ``stream:tag``, ``stream@id``, tag names.

Sources: library-go ``pkg/image/imageutil/helpers.go`` (split/join/parse helpers and
their error texts), ``oc`` ``pkg/cli/tag/tag.go`` (destination parsing, tag-name
validation and its messages) and openshift-apiserver's ``imagestreamtag`` /
``imagestreamimage`` REST storage (``... must be retrieved with ...``).
"""

from __future__ import annotations

import re

from simkit._go.strconv import go_quote
from simkit.refs.errors import InvalidReference

__all__ = [
    "DEFAULT_IMAGE_TAG",
    "INTEGRATED_REGISTRY",
    "is_valid_stream_name",
    "is_valid_tag_name",
    "isimage_name_and_id",
    "istag_name_and_tag",
    "join_image_stream_image",
    "join_image_stream_tag",
    "parse_image_stream_image_name",
    "parse_image_stream_tag_name",
    "parse_istag_ref",
    "parse_stream_name",
    "split_image_stream_image",
    "split_image_stream_tag",
    "split_isimage",
    "split_istag",
    "validate_tag_name",
]

#: In-cluster address of the integrated image registry.
INTEGRATED_REGISTRY = "image-registry.openshift-image-registry.svc:5000"
#: ``imageutil.DefaultImageTag``.
DEFAULT_IMAGE_TAG = "latest"

_TAG_NAME = re.compile(r"[\w][\w.-]{0,127}", re.ASCII)
# openshift-apiserver RepositoryNameComponentRegexp (ValidateImageStreamName).
_STREAM_NAME = re.compile(r"[a-z0-9]+(?:[._-][a-z0-9]+)*", re.ASCII)


def split_image_stream_tag(name_and_tag: str) -> tuple[str, str, bool]:
    """Split ``stream:tag`` without failing (library-go ``SplitImageStreamTag``).

    Parameters
    ----------
    name_and_tag : str
        Image-stream tag name.

    Returns
    -------
    tuple
        ``(stream, tag, ok)``: split at the first ``:``; an empty or missing tag
        becomes ``latest``; ``ok`` is ``False`` when there is no ``:``.

    Examples
    --------
    >>> split_image_stream_tag("ruby:3.3"), split_image_stream_tag("ruby")
    (('ruby', '3.3', True), ('ruby', 'latest', False))
    >>> split_image_stream_tag("ruby:")
    ('ruby', 'latest', True)
    """
    stream, sep, tag = name_and_tag.partition(":")
    return stream, tag or DEFAULT_IMAGE_TAG, bool(sep)


def split_image_stream_image(name_and_id: str) -> tuple[str, str, bool]:
    """Split ``stream@id`` without failing (library-go ``SplitImageStreamImage``).

    Parameters
    ----------
    name_and_id : str
        Image-stream image name.

    Returns
    -------
    tuple
        ``(stream, id, ok)``: split at the first ``@``; ``ok`` is ``False`` when
        there is no ``@``.

    Examples
    --------
    >>> split_image_stream_image("ruby@sha256:abc")
    ('ruby', 'sha256:abc', True)
    """
    stream, sep, image_id = name_and_id.partition("@")
    return stream, image_id, bool(sep)


def join_image_stream_tag(name: str, tag: str) -> str:
    """Join a stream name and tag, defaulting the tag (``JoinImageStreamTag``).

    Parameters
    ----------
    name : str
        Stream name.
    tag : str
        Tag; ``""`` means ``latest``.

    Returns
    -------
    str
        ``name:tag``.

    Examples
    --------
    >>> join_image_stream_tag("foo", "bar"), join_image_stream_tag("foo", "")
    ('foo:bar', 'foo:latest')
    """
    return f"{name}:{tag or DEFAULT_IMAGE_TAG}"


def join_image_stream_image(name: str, image_id: str) -> str:
    """Join a stream name and image ID (``JoinImageStreamImage``).

    Parameters
    ----------
    name : str
        Stream name.
    image_id : str
        Image ID (digest).

    Returns
    -------
    str
        ``name@id``.

    Examples
    --------
    >>> join_image_stream_image("foo", "sha256:abc")
    'foo@sha256:abc'
    """
    return f"{name}@{image_id}"


def parse_image_stream_tag_name(istag: str) -> tuple[str, str]:
    """Strictly split ``stream:tag`` (library-go ``ParseImageStreamTagName``).

    Parameters
    ----------
    istag : str
        Image-stream tag name.

    Returns
    -------
    tuple of str
        ``(stream, tag)``.

    Raises
    ------
    InvalidReference
        ``"X" is an image stream image, not an image stream tag`` (contains ``@``),
        ``expected exactly one : delimiter in the istag "X"``, or
        ``image stream tag name "X" must have a name and a tag``.

    Examples
    --------
    >>> parse_image_stream_tag_name("name:tag")
    ('name', 'tag')
    >>> parse_image_stream_tag_name("a:b:c")
    Traceback (most recent call last):
    ...
    simkit.refs.errors.InvalidReference: expected exactly one : delimiter in the istag "a:b:c"
    """
    quoted = go_quote(istag)
    if "@" in istag:
        raise InvalidReference(f"{quoted} is an image stream image, not an image stream tag")
    segments = istag.split(":")
    if len(segments) != 2:
        raise InvalidReference(f"expected exactly one : delimiter in the istag {quoted}")
    stream, tag = segments
    if not stream or not tag:
        raise InvalidReference(f"image stream tag name {quoted} must have a name and a tag")
    return stream, tag


def parse_image_stream_image_name(name: str) -> tuple[str, str]:
    """Strictly split ``stream@id`` (library-go ``ParseImageStreamImageName``).

    Parameters
    ----------
    name : str
        Image-stream image name.

    Returns
    -------
    tuple of str
        ``(stream, id)``.

    Raises
    ------
    InvalidReference
        ``expected exactly one @ in the isimage name "X"`` or
        ``image stream image name "X" must have a name and ID``.

    Examples
    --------
    >>> parse_image_stream_image_name("repo@id")
    ('repo', 'id')
    >>> parse_image_stream_image_name("name@")
    Traceback (most recent call last):
    ...
    simkit.refs.errors.InvalidReference: image stream image name "name@" must have a name and ID
    """
    quoted = go_quote(name)
    segments = name.split("@")
    if len(segments) != 2:
        raise InvalidReference(f"expected exactly one @ in the isimage name {quoted}")
    stream, image_id = segments
    if not stream or not image_id:
        raise InvalidReference(f"image stream image name {quoted} must have a name and ID")
    return stream, image_id


def istag_name_and_tag(name: str) -> tuple[str, str]:
    """Split an ImageStreamTag object name as the API server does (``nameAndTag``).

    Parameters
    ----------
    name : str
        ``metadata.name`` of an ImageStreamTag.

    Returns
    -------
    tuple of str
        ``(stream, tag)``.

    Raises
    ------
    InvalidReference
        ``ImageStreamTags must be retrieved with <name>:<tag>`` (HTTP 400 upstream)
        whenever :func:`parse_image_stream_tag_name` fails.

    Examples
    --------
    >>> istag_name_and_tag("x:")
    Traceback (most recent call last):
    ...
    simkit.refs.errors.InvalidReference: ImageStreamTags must be retrieved with <name>:<tag>
    """
    try:
        return parse_image_stream_tag_name(name)
    except InvalidReference:
        raise InvalidReference("ImageStreamTags must be retrieved with <name>:<tag>") from None


def isimage_name_and_id(name: str) -> tuple[str, str]:
    """Split an ImageStreamImage object name as the API server does (``parseNameAndID``).

    Parameters
    ----------
    name : str
        ``metadata.name`` of an ImageStreamImage.

    Returns
    -------
    tuple of str
        ``(stream, id)``.

    Raises
    ------
    InvalidReference
        ``ImageStreamImages must be retrieved with <name>@<id>`` whenever
        :func:`parse_image_stream_image_name` fails.

    Examples
    --------
    >>> isimage_name_and_id("ruby@sha256:abc")
    ('ruby', 'sha256:abc')
    """
    try:
        return parse_image_stream_image_name(name)
    except InvalidReference:
        raise InvalidReference("ImageStreamImages must be retrieved with <name>@<id>") from None


def split_istag(name: str) -> tuple[str, str]:
    """Split a ``stream:tag`` destination as ``oc tag`` does.

    Parameters
    ----------
    name : str
        ``stream:tag``; ``stream:`` is accepted and means ``latest`` (client side).

    Returns
    -------
    tuple of str
        ``(stream, tag)``.

    Raises
    ------
    InvalidReference
        ``"X" must be of the form <stream_name>:<tag>`` when there is no ``:``.

    Examples
    --------
    >>> split_istag("rails:tip"), split_istag("rails:")
    (('rails', 'tip'), ('rails', 'latest'))
    >>> split_istag("rails")
    Traceback (most recent call last):
    ...
    simkit.refs.errors.InvalidReference: "rails" must be of the form <stream_name>:<tag>
    """
    stream, tag, ok = split_image_stream_tag(name)
    if not ok:
        raise InvalidReference(f"{go_quote(name)} must be of the form <stream_name>:<tag>")
    return stream, tag


def split_isimage(name: str) -> tuple[str, str]:
    """Split a ``stream@id`` name strictly (see :func:`parse_image_stream_image_name`).

    Parameters
    ----------
    name : str
        ``stream@id``.

    Returns
    -------
    tuple of str
        ``(stream, id)``.

    Raises
    ------
    InvalidReference
        With library-go's ``ParseImageStreamImageName`` messages.

    Examples
    --------
    >>> split_isimage("ruby@sha256:abc")
    ('ruby', 'sha256:abc')
    """
    return parse_image_stream_image_name(name)


def parse_stream_name(default_namespace: str, name: str) -> tuple[str, str]:
    """Split ``[namespace/]rest`` like ``oc tag``'s ``parseStreamName``.

    Parameters
    ----------
    default_namespace : str
        Namespace used when ``name`` has no ``/``.
    name : str
        ``rest`` or ``namespace/rest``.

    Returns
    -------
    tuple of str
        ``(namespace, rest)``.

    Raises
    ------
    InvalidReference
        ``invalid image stream "X"`` (more than one ``/``), ``invalid namespace ""
        for image stream "X"`` or ``invalid name "" for image stream "X"``.

    Examples
    --------
    >>> parse_stream_name("myproject", "rails:tip"), parse_stream_name("p", "ns/rails:tip")
    (('myproject', 'rails:tip'), ('ns', 'rails:tip'))
    """
    if "/" not in name:
        return default_namespace, name
    parts = name.split("/")
    if len(parts) != 2:
        raise InvalidReference(f"invalid image stream {go_quote(name)}")
    namespace, stream = parts
    if not namespace:
        raise InvalidReference(
            f"invalid namespace {go_quote(namespace)} for image stream {go_quote(name)}"
        )
    if not stream:
        raise InvalidReference(f"invalid name {go_quote(stream)} for image stream {go_quote(name)}")
    return namespace, stream


def parse_istag_ref(text: str, default_namespace: str) -> tuple[str, str, str]:
    """Parse an ``oc tag`` destination ``[namespace/]stream:tag``.

    The tag name itself is not validated (``oc tag`` checks it only when writing;
    see :func:`validate_tag_name`).

    Parameters
    ----------
    text : str
        ``stream:tag`` or ``namespace/stream:tag``.
    default_namespace : str
        Namespace used when ``text`` has none (the current project).

    Returns
    -------
    tuple of str
        ``(namespace, stream, tag)``.

    Raises
    ------
    InvalidReference
        Any :func:`parse_stream_name` or :func:`split_istag` error.

    Examples
    --------
    >>> parse_istag_ref("openshift/ruby:3.3", "myproject")
    ('openshift', 'ruby', '3.3')
    >>> parse_istag_ref("ruby:3.3", "myproject")
    ('myproject', 'ruby', '3.3')
    """
    namespace, name_and_tag = parse_stream_name(default_namespace, text)
    stream, tag = split_istag(name_and_tag)
    return namespace, stream, tag


def is_valid_tag_name(tag: str) -> bool:
    """Return whether ``tag`` is a valid tag name (``^[\\w][\\w.-]{0,127}$``, ASCII).

    Parameters
    ----------
    tag : str
        Candidate tag.

    Returns
    -------
    bool
        ``True`` if valid.

    Examples
    --------
    >>> is_valid_tag_name("v1.2-rc_1"), is_valid_tag_name("-x"), is_valid_tag_name("a" * 129)
    (True, False, False)
    """
    return _TAG_NAME.fullmatch(tag) is not None


def validate_tag_name(tag: str) -> str:
    """Check a tag name like ``oc tag``'s ``validateTag``.

    Parameters
    ----------
    tag : str
        Candidate tag.

    Returns
    -------
    str
        ``tag`` unchanged.

    Raises
    ------
    InvalidReference
        ``invalid tag "X" format, tags must start with an alphanumeric character
        followed by alphanumeric, '.' or '-' characters, and have a maximum of 128
        characters``.

    Examples
    --------
    >>> validate_tag_name("tip")
    'tip'
    """
    if not is_valid_tag_name(tag):
        raise InvalidReference(
            f"invalid tag {go_quote(tag)} format, tags must start with an alphanumeric "
            "character followed by alphanumeric, '.' or '-' characters, and have a "
            "maximum of 128 characters"
        )
    return tag


def is_valid_stream_name(name: str) -> bool:
    """Return whether the API server accepts ``name`` as an image-stream name.

    openshift-apiserver ``ValidateImageStreamName``: a path-segment name that fully
    matches ``[a-z0-9]+(?:[._-][a-z0-9]+)*``.

    Parameters
    ----------
    name : str
        Candidate stream name.

    Returns
    -------
    bool
        ``True`` if valid.

    Examples
    --------
    >>> is_valid_stream_name("ruby-ex"), is_valid_stream_name("Ruby"), is_valid_stream_name("a/b")
    (True, False, False)
    """
    return _STREAM_NAME.fullmatch(name) is not None
