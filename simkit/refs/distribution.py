"""Docker/OCI image references as ``github.com/distribution/reference`` parses them.

This is the parser Kubernetes uses (``ParseNormalizedNamed`` in the API server's
defaulting and in the kubelet). Grammar::

    reference        := name [ ":" tag ] [ "@" digest ]
    name             := [domain '/'] remote-name
    domain           := host [':' port-number]
    host             := domain-name | IPv4address | \\[ IPv6address \\]
    domain-name      := domain-component ['.' domain-component]*
    domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
    remote-name      := path-component ['/' path-component]*
    path-component   := /[a-z0-9]+/ [separator /[a-z0-9]+/]*
    separator        := /[_.]|__|[-]+/
    tag              := /[\\w][\\w.-]{0,127}/
    digest           := algorithm ":" /[0-9a-fA-F]{32,}/

The remote name must be lower case (the domain need not be) and at most 255
characters long (the domain is not counted). A digest must also pass go-digest
validation (:func:`simkit.refs.digest.parse_digest`).

The string parsers are memoised (65536 entries, errors included): they are pure and
:class:`ImageRef` is immutable.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from simkit._go.path import path_match
from simkit._go.strings import go_lower
from simkit.refs._text import memoize_parser
from simkit.refs.digest import is_digest, parse_digest
from simkit.refs.errors import (
    ERR_DIGEST_INVALID_FORMAT,
    ERR_NAME_CONTAINS_UPPERCASE,
    ERR_NAME_EMPTY,
    ERR_NAME_NOT_CANONICAL,
    ERR_NAME_TOO_LONG,
    ERR_REFERENCE_INVALID_FORMAT,
    ERR_TAG_INVALID_FORMAT,
    InvalidReference,
)
from simkit.refs.grammar import (
    ANCHORED_DIGEST_REGEX,
    ANCHORED_NAME_REGEX,
    ANCHORED_TAG_REGEX,
    DOMAIN_REGEX,
    IDENTIFIER_REGEX,
    REFERENCE_REGEX,
)

__all__ = [
    "ANCHORED_DIGEST_REGEX",
    "ANCHORED_NAME_REGEX",
    "ANCHORED_TAG_REGEX",
    "DEFAULT_DOMAIN",
    "DEFAULT_TAG",
    "DOMAIN_REGEX",
    "DigestReference",
    "IDENTIFIER_REGEX",
    "ImageRef",
    "InvalidReference",
    "LEGACY_DEFAULT_DOMAIN",
    "OFFICIAL_REPO_PREFIX",
    "REFERENCE_REGEX",
    "REPOSITORY_NAME_TOTAL_LENGTH_MAX",
    "familiar_match",
    "is_name_only",
    "parse",
    "parse_any_reference",
    "parse_docker_ref",
    "parse_image",
    "parse_named",
    "sort_references",
    "split_docker_domain",
    "tag_name_only",
    "trim_named",
    "with_digest",
    "with_name",
    "with_tag",
]

#: Maximum length of the remote name (path), domain excluded.
REPOSITORY_NAME_TOTAL_LENGTH_MAX = 255
#: Docker Hub's canonical domain.
DEFAULT_DOMAIN = "docker.io"
#: Docker Hub's legacy ("Docker Index") domain, rewritten to :data:`DEFAULT_DOMAIN`.
LEGACY_DEFAULT_DOMAIN = "index.docker.io"
#: Namespace of Docker Hub's official images.
OFFICIAL_REPO_PREFIX = "library/"
#: Tag implied by a reference with neither tag nor digest.
DEFAULT_TAG = "latest"


@dataclass(frozen=True, slots=True)
class ImageRef:
    """A named image reference: ``[domain/]path[:tag][@digest]``.

    Attributes
    ----------
    domain : str
        Registry host and optional port; ``""`` if the reference has none (only
        possible from :func:`parse`, or for the rare names whose first component is
        a domain-like string that the grammar does not accept as a domain).
    path : str
        Remote name (repository path), e.g. ``library/ubuntu``.
    tag : str or None
        Tag, or ``None``.
    digest : str or None
        Digest (``algorithm:hex``), or ``None``.

    Examples
    --------
    >>> ref = parse_image("ubuntu:22.04")
    >>> ref
    ImageRef(domain='docker.io', path='library/ubuntu', tag='22.04', digest=None)
    >>> str(ref), ref.name, ref.familiar, ref.familiar_name
    ('docker.io/library/ubuntu:22.04', 'docker.io/library/ubuntu', 'ubuntu:22.04', 'ubuntu')
    """

    domain: str
    path: str
    tag: str | None = None
    digest: str | None = None

    @property
    def name(self) -> str:
        """``domain/path``, or just ``path`` without a domain (Go's ``Name()``).

        Examples
        --------
        >>> parse("quay.io/org/app:1").name
        'quay.io/org/app'
        """
        return f"{self.domain}/{self.path}" if self.domain else self.path

    @property
    def familiar_name(self) -> str:
        """The short name Docker shows (Go's ``FamiliarName``).

        ``docker.io`` is dropped and ``library/`` is stripped when what remains
        has no ``/``.

        Examples
        --------
        >>> parse_image("docker.io/library/foo/bar").familiar_name
        'library/foo/bar'
        >>> parse_image("redis").familiar_name
        'redis'
        """
        domain, path = self.domain, self.path
        if domain != DEFAULT_DOMAIN:
            return f"{domain}/{path}" if domain else path
        if path.startswith(OFFICIAL_REPO_PREFIX):
            rest = path[len(OFFICIAL_REPO_PREFIX) :]
            if "/" not in rest:
                return rest
        return path

    @property
    def familiar(self) -> str:
        """The familiar string form, with tag and digest (Go's ``FamiliarString``).

        Examples
        --------
        >>> parse_image("busybox:latest@sha256:" + "86" * 32).familiar[:22]
        'busybox:latest@sha256:'
        """
        return self.familiar_name + self._suffix()

    @property
    def is_name_only(self) -> bool:
        """Whether there is neither tag nor digest (Go's ``IsNameOnly``).

        Examples
        --------
        >>> parse_image("redis").is_name_only, parse_image("redis:7").is_name_only
        (True, False)
        """
        return self.tag is None and self.digest is None

    def _suffix(self) -> str:
        suffix = ""
        if self.tag is not None:
            suffix += ":" + self.tag
        if self.digest is not None:
            suffix += "@" + self.digest
        return suffix

    def __str__(self) -> str:
        return self.name + self._suffix()


@dataclass(frozen=True, slots=True)
class DigestReference:
    """A reference made only of a digest, as :func:`parse_any_reference` returns.

    Attributes
    ----------
    digest : str
        ``algorithm:hex``.

    Examples
    --------
    >>> d = parse_any_reference("e3" * 32)
    >>> d.algorithm, str(d) == "sha256:" + "e3" * 32
    ('sha256', True)
    """

    digest: str

    @property
    def algorithm(self) -> str:
        """The algorithm part, e.g. ``sha256``."""
        return self.digest.partition(":")[0]

    @property
    def encoded(self) -> str:
        """The hex part of the digest."""
        return self.digest.partition(":")[2]

    def __str__(self) -> str:
        return self.digest


def _split_name(name: str) -> tuple[str, str]:
    match = ANCHORED_NAME_REGEX.fullmatch(name)
    if match is None:  # pragma: no cover - callers pass grammar-checked names
        return "", name
    return match.group(1) or "", match.group(2)


@memoize_parser
def parse(text: str) -> ImageRef:
    """Parse a reference without normalising it (distribution's ``Parse``).

    Parameters
    ----------
    text : str
        A reference such as ``quay.io/org/app:1.0`` or ``ubuntu``.

    Returns
    -------
    ImageRef
        ``domain`` is whatever precedes the first ``/`` if it is domain-shaped and
        followed by more path, else ``""``; nothing is added.

    Raises
    ------
    InvalidReference
        ``repository name must have at least one component`` (empty input),
        ``repository name must be lowercase`` (would parse if lower-cased),
        ``invalid reference format``, ``repository name must not be more than 255
        characters`` (path only), or a digest error from
        :func:`~simkit.refs.digest.parse_digest`.

    Examples
    --------
    >>> parse("test:5000/repo:tag")
    ImageRef(domain='test:5000', path='repo', tag='tag', digest=None)
    >>> parse("ubuntu").domain
    ''
    >>> parse("[2001:db8::1]:5000/repo").domain
    '[2001:db8::1]:5000'
    >>> parse("Uppercase:tag")
    Traceback (most recent call last):
    ...
    simkit.refs.errors.InvalidReference: repository name must be lowercase
    """
    if text == "":
        raise InvalidReference(ERR_NAME_EMPTY)
    match = REFERENCE_REGEX.fullmatch(text)
    if match is None:
        lowered = go_lower(text)
        if lowered != text and REFERENCE_REGEX.fullmatch(lowered) is not None:
            raise InvalidReference(ERR_NAME_CONTAINS_UPPERCASE)
        raise InvalidReference(ERR_REFERENCE_INVALID_FORMAT)
    name, tag, digest = match.groups()
    domain, path = _split_name(name)
    if len(path) > REPOSITORY_NAME_TOTAL_LENGTH_MAX:
        raise InvalidReference(ERR_NAME_TOO_LONG)
    if digest is not None:
        parse_digest(digest)
    return ImageRef(domain, path, tag, digest)


def split_docker_domain(name: str) -> tuple[str, str]:
    """Split a familiar name into domain and remote name (``splitDockerDomain``).

    Parameters
    ----------
    name : str
        Name, possibly with tag and digest (they stay in the remainder).

    Returns
    -------
    tuple of str
        ``(domain, remainder)``. The first component is the domain only if it is
        ``localhost``, ``index.docker.io`` (rewritten to ``docker.io``), contains
        ``.`` or ``:``, or is not all lower case. Otherwise the domain is
        ``docker.io``. On ``docker.io`` a remainder without ``/`` gets ``library/``.
        A name without any ``/`` always goes to Docker Hub, even ``localhost``.

    Examples
    --------
    >>> split_docker_domain("ubuntu:22.04")
    ('docker.io', 'library/ubuntu:22.04')
    >>> split_docker_domain("localhost/foo")
    ('localhost', 'foo')
    >>> split_docker_domain("index.docker.io/foo")
    ('docker.io', 'library/foo')
    >>> split_docker_domain("localhost:5000")
    ('docker.io', 'library/localhost:5000')
    """
    maybe_domain, sep, maybe_remote = name.partition("/")
    if not sep:
        return DEFAULT_DOMAIN, OFFICIAL_REPO_PREFIX + name
    if maybe_domain == "localhost":
        domain, remote = maybe_domain, maybe_remote
    elif maybe_domain == LEGACY_DEFAULT_DOMAIN:
        domain, remote = DEFAULT_DOMAIN, maybe_remote
    elif "." in maybe_domain or ":" in maybe_domain or go_lower(maybe_domain) != maybe_domain:
        domain, remote = maybe_domain, maybe_remote
    else:
        domain, remote = DEFAULT_DOMAIN, name
    if domain == DEFAULT_DOMAIN and "/" not in remote:
        remote = OFFICIAL_REPO_PREFIX + remote
    return domain, remote


# The common shape of a pod's image, ``host.domain[:port]/path@sha256:<64 lower hex>``
# (every new pod pulls a new digest, so the parser memo misses).  Its language is a
# subset of the full grammar's: a lower-case domain with a dot (so ``split_docker_domain``
# keeps it as written), a lower-case remote name, no tag, and a digest that
# ``parse_digest`` accepts (sha256, 64 lower-case hex).  For such text the full parser's
# captures are determined by the separators (the domain ends at the first ``/``, the name
# at the ``@``), so the fast path builds the same ImageRef; anything else, and the two
# Docker Hub domains that ``split_docker_domain`` rewrites, take the full parser.
_COMPONENT = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
_PATH = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_COMMON_IMAGE = re.compile(
    rf"({_COMPONENT}(?:\.{_COMPONENT})+(?::[0-9]+)?)"
    rf"/({_PATH}(?:/{_PATH})*)"
    r"@(sha256:[a-f0-9]{64})",
    re.ASCII,
)
_REWRITTEN_DOMAINS = frozenset({DEFAULT_DOMAIN, LEGACY_DEFAULT_DOMAIN})


def _parse_common_image(text: str) -> ImageRef | None:
    """:func:`parse_image` for the common shape only; ``None`` for anything else.

    Examples
    --------
    >>> _parse_common_image("quay.io/org/app@sha256:" + "ab" * 32).path
    'org/app'
    >>> _parse_common_image("quay.io/org/app:1.0") is None
    True
    """
    match = _COMMON_IMAGE.fullmatch(text)
    if match is None:
        return None
    domain, path, digest = match.groups()
    if domain in _REWRITTEN_DOMAINS or len(path) > REPOSITORY_NAME_TOTAL_LENGTH_MAX:
        return None
    return ImageRef(domain, path, None, digest)


@memoize_parser
def parse_image(text: str) -> ImageRef:
    """Parse and normalise a reference (distribution's ``ParseNormalizedNamed``).

    This is how Kubernetes reads ``containers[].image``.

    Parameters
    ----------
    text : str
        A familiar or fully-qualified reference.

    Returns
    -------
    ImageRef
        Normalised reference: ``ubuntu`` becomes ``docker.io/library/ubuntu``.
        No tag is added (see :func:`parse_docker_ref` / :func:`tag_name_only`).

    Raises
    ------
    InvalidReference
        ``invalid repository name (X), cannot specify 64-byte hexadecimal strings``
        for a bare 64-hex string; ``invalid reference format: repository name (X)
        must be lowercase`` if the remote name before the first ``:`` has upper
        case; otherwise any :func:`parse` error.

    Examples
    --------
    >>> str(parse_image("ubuntu"))
    'docker.io/library/ubuntu'
    >>> str(parse_image("index.docker.io/dmcgowan/myapp:v1"))
    'docker.io/dmcgowan/myapp:v1'
    >>> parse_image("localhost:5000/repo").domain
    'localhost:5000'
    >>> try:
    ...     parse_image("Foo")
    ... except InvalidReference as exc:
    ...     print(exc)
    invalid reference format: repository name (library/Foo) must be lowercase
    """
    common = _parse_common_image(text)
    if common is not None:
        return common
    return _parse_image_full(text)


def _parse_image_full(text: str) -> ImageRef:
    """:func:`parse_image` without its fast path (what the fast path must agree with)."""
    if IDENTIFIER_REGEX.fullmatch(text) is not None:
        raise InvalidReference(
            f"invalid repository name ({text}), cannot specify 64-byte hexadecimal strings"
        )
    domain, remainder = split_docker_domain(text)
    remote = remainder.partition(":")[0]
    if go_lower(remote) != remote:
        raise InvalidReference(
            f"invalid reference format: repository name ({remote}) must be lowercase"
        )
    return parse(domain + "/" + remainder)


def parse_named(text: str) -> ImageRef:
    """Parse a reference that must already be canonical (distribution's ``ParseNamed``).

    Parameters
    ----------
    text : str
        A fully-qualified reference.

    Returns
    -------
    ImageRef
        The reference, whose ``str()`` equals ``text``.

    Raises
    ------
    InvalidReference
        ``repository name must be canonical`` if normalisation would change
        ``text``; otherwise any :func:`parse_image` error.

    Examples
    --------
    >>> parse_named("docker.io/library/foo").path
    'library/foo'
    >>> parse_named("docker.io/foo")
    Traceback (most recent call last):
    ...
    simkit.refs.errors.InvalidReference: repository name must be canonical
    """
    ref = parse_image(text)
    if str(ref) != text:
        raise InvalidReference(ERR_NAME_NOT_CANONICAL)
    return ref


def with_name(name: str) -> ImageRef:
    """Build a name-only reference from ``[domain/]path`` (distribution's ``WithName``).

    Parameters
    ----------
    name : str
        Name without tag or digest; not normalised.

    Returns
    -------
    ImageRef
        Reference with no tag and no digest.

    Raises
    ------
    InvalidReference
        ``invalid reference format`` or ``repository name must not be more than 255
        characters``.

    Examples
    --------
    >>> with_name("test.com:8080/foo")
    ImageRef(domain='test.com:8080', path='foo', tag=None, digest=None)
    >>> with_name("example.com/repo:tag")
    Traceback (most recent call last):
    ...
    simkit.refs.errors.InvalidReference: invalid reference format
    """
    match = ANCHORED_NAME_REGEX.fullmatch(name)
    if match is None:
        raise InvalidReference(ERR_REFERENCE_INVALID_FORMAT)
    if len(match.group(2)) > REPOSITORY_NAME_TOTAL_LENGTH_MAX:
        raise InvalidReference(ERR_NAME_TOO_LONG)
    return ImageRef(match.group(1) or "", match.group(2))


def with_tag(ref: ImageRef, tag: str) -> ImageRef:
    """Return ``ref`` with ``tag`` set, keeping any digest (``WithTag``).

    Parameters
    ----------
    ref : ImageRef
        Any named reference.
    tag : str
        New tag; must match ``[\\w][\\w.-]{0,127}``.

    Returns
    -------
    ImageRef
        The tagged reference.

    Raises
    ------
    InvalidReference
        ``invalid tag format``.

    Examples
    --------
    >>> str(with_tag(with_name("test.com:8000/foo"), "TAG5"))
    'test.com:8000/foo:TAG5'
    """
    if ANCHORED_TAG_REGEX.fullmatch(tag) is None:
        raise InvalidReference(ERR_TAG_INVALID_FORMAT)
    return replace(ref, tag=tag)


def with_digest(ref: ImageRef, digest: str) -> ImageRef:
    """Return ``ref`` with ``digest`` set, keeping any tag (``WithDigest``).

    Only the reference grammar is checked (at least 32 hex characters), not the
    algorithm's exact length, exactly as upstream.

    Parameters
    ----------
    ref : ImageRef
        Any named reference.
    digest : str
        ``algorithm:hex``.

    Returns
    -------
    ImageRef
        The digested reference.

    Raises
    ------
    InvalidReference
        ``invalid digest format``.

    Examples
    --------
    >>> str(with_digest(with_name("foo"), "sha256:1234567890098765432112345667890098765"))
    'foo@sha256:1234567890098765432112345667890098765'
    """
    if ANCHORED_DIGEST_REGEX.fullmatch(digest) is None:
        raise InvalidReference(ERR_DIGEST_INVALID_FORMAT)
    return replace(ref, digest=digest)


def trim_named(ref: ImageRef) -> ImageRef:
    """Drop tag and digest (distribution's ``TrimNamed``).

    Parameters
    ----------
    ref : ImageRef
        Any reference.

    Returns
    -------
    ImageRef
        The name-only reference.

    Examples
    --------
    >>> str(trim_named(parse_image("redis:7")))
    'docker.io/library/redis'
    """
    return ImageRef(ref.domain, ref.path)


def is_name_only(ref: ImageRef) -> bool:
    """Return whether ``ref`` has neither tag nor digest (``IsNameOnly``).

    Parameters
    ----------
    ref : ImageRef
        Any reference.

    Returns
    -------
    bool
        ``True`` for a bare name.

    Examples
    --------
    >>> is_name_only(parse_image("redis")), is_name_only(parse_image("redis@sha256:" + "0" * 64))
    (True, False)
    """
    return ref.is_name_only


def tag_name_only(ref: ImageRef) -> ImageRef:
    """Add the ``latest`` tag to a bare name (distribution's ``TagNameOnly``).

    Parameters
    ----------
    ref : ImageRef
        Any reference.

    Returns
    -------
    ImageRef
        ``ref`` with ``tag="latest"`` if it had neither tag nor digest, else ``ref``.

    Examples
    --------
    >>> str(tag_name_only(parse_image("busybox")))
    'docker.io/library/busybox:latest'
    >>> tag_name_only(parse_image("busybox@sha256:" + "0" * 64)).tag is None
    True
    """
    if ref.is_name_only:
        return replace(ref, tag=DEFAULT_TAG)
    return ref


@memoize_parser
def parse_docker_ref(text: str) -> ImageRef:
    """Normalise like Docker (distribution's ``ParseDockerRef``).

    Parameters
    ----------
    text : str
        A familiar or fully-qualified reference.

    Returns
    -------
    ImageRef
        The normalised reference; with both tag and digest only the digest is
        kept; a bare name gets ``:latest``.

    Raises
    ------
    InvalidReference
        Any :func:`parse_image` error.

    Examples
    --------
    >>> str(parse_docker_ref("busybox"))
    'docker.io/library/busybox:latest'
    >>> str(parse_docker_ref("gcr.io/library/busybox:latest@sha256:" + "e6" * 32))[:32]
    'gcr.io/library/busybox@sha256:e6'
    """
    ref = parse_image(text)
    if ref.tag is not None and ref.digest is not None:
        return replace(ref, tag=None)
    return tag_name_only(ref)


@memoize_parser
def parse_any_reference(text: str) -> ImageRef | DigestReference:
    """Parse an identifier, a digest or a familiar name (``ParseAnyReference``).

    Parameters
    ----------
    text : str
        A 64-hex image ID, an ``algorithm:hex`` digest, or a reference.

    Returns
    -------
    ImageRef or DigestReference
        A :class:`DigestReference` for a 64-hex ID (read as sha256) or for a string
        that is a valid digest on its own; otherwise the :func:`parse_image` result.

    Raises
    ------
    InvalidReference
        Any :func:`parse_image` error.

    Examples
    --------
    >>> parse_any_reference("sha256:" + "db" * 32) == DigestReference("sha256:" + "db" * 32)
    True
    >>> str(parse_any_reference("dbcc1"))
    'docker.io/library/dbcc1'
    """
    if IDENTIFIER_REGEX.fullmatch(text) is not None:
        return DigestReference("sha256:" + text)
    if is_digest(text):
        return DigestReference(text)
    return parse_image(text)


def familiar_match(pattern: str, ref: ImageRef | DigestReference) -> bool:
    """Match a reference against a shell pattern (distribution's ``FamiliarMatch``).

    The pattern is tried on the familiar string, then (for a named reference) on
    the familiar name, with Go's ``path.Match`` semantics.

    Parameters
    ----------
    pattern : str
        Shell pattern, e.g. ``foo/*/baz``.
    ref : ImageRef or DigestReference
        The reference.

    Returns
    -------
    bool
        Whether either form matches.

    Raises
    ------
    simkit._go.path.BadPattern
        If the pattern is malformed (detected on the first attempt).

    Examples
    --------
    >>> familiar_match("*/foo/c/baz", parse_any_reference("example.com/foo/c/baz:tag"))
    True
    """
    if isinstance(ref, DigestReference):
        return path_match(pattern, ref.digest)
    matched = path_match(pattern, ref.familiar)
    if not matched:
        try:
            matched = path_match(pattern, ref.familiar_name)
        except ValueError:
            matched = False
    return matched


def _rank(ref: ImageRef | DigestReference) -> int:
    if isinstance(ref, DigestReference):
        return 5
    if ref.tag is not None:
        return 1 if ref.digest is not None else 2
    return 3 if ref.digest is not None else 4


def sort_references(references: list[str]) -> list[str]:
    """Sort reference strings, most informative first (distribution's ``Sort``).

    Order: name+tag+digest, name+tag, name+digest, name, bare digest, then strings
    that do not parse. Parsed entries are returned normalised
    (:func:`parse_any_reference` then ``str``) and ties are broken by that string;
    unparsable entries are returned unchanged, sorted.

    Parameters
    ----------
    references : list of str
        References in any form.

    Returns
    -------
    list of str
        The sorted strings.

    Examples
    --------
    >>> sort_references(["b", "can't parse", "a:1", "c"])
    ['docker.io/library/a:1', 'docker.io/library/b', 'docker.io/library/c', "can't parse"]
    """
    parsed: list[ImageRef | DigestReference] = []
    bad: list[str] = []
    for text in references:
        try:
            parsed.append(parse_any_reference(text))
        except InvalidReference:
            bad.append(text)
    parsed.sort(key=lambda ref: (_rank(ref), str(ref)))
    return [str(ref) for ref in parsed] + sorted(bad)
