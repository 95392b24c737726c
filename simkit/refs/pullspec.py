"""OpenShift pull specs: ``library-go/pkg/image/reference`` ``DockerImageReference``.

OpenShift (``oc tag``, the image-stream API server, the image importer) parses pull
specs with its own ``reference.Parse``, which differs from Kubernetes' parser:

* nothing is normalised: ``ubuntu`` stays ``Name="ubuntu"``, no ``docker.io``;
* the first component is a registry only if it contains ``.`` or ``:`` or is
  ``localhost``; the rest splits into ``Namespace`` (first segment) and ``Name``;
* a single component containing ``.`` or starting with ``localhost`` is a bare
  registry (``quay.io``, ``localhost:5000``);
* the 255-character limit covers the whole name, registry included, and IPv6 hosts
  are not accepted (it uses an older copy of the distribution grammar);
* digests are checked with :func:`~simkit.refs.digest.parse_openshift_digest`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from simkit._go.strings import go_lower
from simkit.refs._text import memoize_parser
from simkit.refs.digest import parse_openshift_digest
from simkit.refs.errors import (
    ERR_NAME_CONTAINS_UPPERCASE,
    ERR_NAME_EMPTY,
    ERR_NAME_TOO_LONG,
    ERR_REFERENCE_INVALID_FORMAT,
    InvalidReference,
)
from simkit.refs.grammar import LEGACY_REFERENCE_REGEX

__all__ = [
    "DOCKER_DEFAULT_NAMESPACE",
    "DOCKER_DEFAULT_REGISTRY",
    "DOCKER_DEFAULT_V1_REGISTRY",
    "DOCKER_DEFAULT_V2_REGISTRY",
    "DockerImageReference",
    "NAME_TOTAL_LENGTH_MAX",
    "is_registry_docker_hub",
    "parse_pull_spec",
    "split_host_port",
]

#: Registry assumed when a pull spec has none.
DOCKER_DEFAULT_REGISTRY = "docker.io"
#: Host name of Docker Hub's v1 registry.
DOCKER_DEFAULT_V1_REGISTRY = "index." + DOCKER_DEFAULT_REGISTRY
#: Host name of Docker Hub's v2 registry.
DOCKER_DEFAULT_V2_REGISTRY = "registry-1." + DOCKER_DEFAULT_REGISTRY
#: Namespace of single-segment Docker Hub names (oc's ``DockerDefaultNamespace``).
DOCKER_DEFAULT_NAMESPACE = "library"
#: Maximum length of the whole name (registry included) in library-go's grammar.
NAME_TOTAL_LENGTH_MAX = 255


def is_registry_docker_hub(registry: str) -> bool:
    """Return whether ``registry`` is one of Docker Hub's names (``IsRegistryDockerHub``).

    Parameters
    ----------
    registry : str
        Registry host (and port).

    Returns
    -------
    bool
        ``True`` for ``docker.io``, ``index.docker.io`` and ``registry-1.docker.io``.

    Examples
    --------
    >>> is_registry_docker_hub("index.docker.io"), is_registry_docker_hub("quay.io")
    (True, False)
    """
    return registry in (
        DOCKER_DEFAULT_REGISTRY,
        DOCKER_DEFAULT_V1_REGISTRY,
        DOCKER_DEFAULT_V2_REGISTRY,
    )


def _is_digest(value: str) -> bool:
    try:
        parse_openshift_digest(value)
    except InvalidReference:
        return False
    return True


def split_host_port(hostport: str) -> tuple[str, str] | None:
    """Split ``host:port`` like Go's ``net.SplitHostPort``.

    Parameters
    ----------
    hostport : str
        ``host:port`` or ``[ipv6]:port``.

    Returns
    -------
    tuple of str or None
        ``(host, port)``, or ``None`` where Go returns an error (missing port,
        too many colons, misplaced brackets).

    Examples
    --------
    >>> split_host_port("localhost:5000"), split_host_port("[::1]:443")
    (('localhost', '5000'), ('::1', '443'))
    >>> split_host_port("a:b:c") is None
    True
    """
    last = hostport.rfind(":")
    if last < 0:
        return None
    if hostport.startswith("["):
        end = hostport.find("]")
        if end < 0:
            return None
        if end + 1 == len(hostport) or end + 1 != last:
            return None
        host, low, high = hostport[1:end], 1, end + 1
    else:
        host, low, high = hostport[:last], 0, 0
        if ":" in host:
            return None
    if "[" in hostport[low:] or "]" in hostport[high:]:
        return None
    return host, hostport[last + 1 :]


@dataclass(frozen=True, slots=True)
class DockerImageReference:
    """A pull spec split the OpenShift way (library-go ``DockerImageReference``).

    Attributes
    ----------
    registry : str
        Registry host and port (``""`` if absent).
    namespace : str
        First path segment after the registry, when there are two or more.
    name : str
        The remaining path (may itself contain ``/``).
    tag : str
        Tag (``""`` if absent).
    id : str
        Digest (``""`` if absent).

    Examples
    --------
    >>> ref = parse_pull_spec("quay.io/openshift/origin-cli:4.16")
    >>> ref.registry, ref.namespace, ref.name, ref.tag, ref.id
    ('quay.io', 'openshift', 'origin-cli', '4.16', '')
    >>> ref.exact(), ref.name_string(), ref.repository_name()
    ('quay.io/openshift/origin-cli:4.16', 'origin-cli:4.16', 'quay.io/openshift/origin-cli')
    """

    registry: str = ""
    namespace: str = ""
    name: str = ""
    tag: str = ""
    id: str = ""

    def name_string(self) -> str:
        """``name:tag`` or ``name@id`` (``NameString`` / oc's ``DockerImageReferenceNameString``).

        An ``id`` that is not a valid digest is printed as a tag (``name:id``);
        an ``id`` takes precedence over the tag; an empty name gives ``""``.

        Returns
        -------
        str
            The name with its tag or ID.

        Examples
        --------
        >>> DockerImageReference(name="ruby", tag="3.3").name_string()
        'ruby:3.3'
        >>> DockerImageReference(name="ruby", tag="3.3", id="abc").name_string()
        'ruby:abc'
        """
        if not self.name:
            return ""
        if self.id:
            return self.name + ("@" if _is_digest(self.id) else ":") + self.id
        if self.tag:
            return self.name + ":" + self.tag
        return self.name

    def exact(self) -> str:
        """The set fields as a pull spec, no defaults added (``Exact``).

        Returns
        -------
        str
            ``[registry/][namespace/]name_string()``, or ``""`` without a name.

        Examples
        --------
        >>> parse_pull_spec("mysql:8").exact()
        'mysql:8'
        >>> parse_pull_spec("quay.io").exact()
        ''
        """
        name = self.name_string()
        if not name:
            return name
        prefix = self.registry + "/" if self.registry else ""
        if self.namespace:
            prefix += self.namespace + "/"
        return prefix + name

    def __str__(self) -> str:
        """Pull spec with ``library`` added on Docker Hub (``String``).

        Examples
        --------
        >>> str(parse_pull_spec("docker.io/mysql:8")), str(parse_pull_spec("mysql:8"))
        ('docker.io/library/mysql:8', 'mysql:8')
        """
        if not self.namespace and is_registry_docker_hub(self.registry):
            return replace(self, namespace=DOCKER_DEFAULT_NAMESPACE).exact()
        return self.exact()

    def docker_client_defaults(self) -> DockerImageReference:
        """Fill in what the Docker client assumes (``DockerClientDefaults``).

        Returns
        -------
        DockerImageReference
            Registry ``docker.io`` if empty, namespace ``library`` if empty and on
            Docker Hub, tag ``latest`` if empty.

        Examples
        --------
        >>> str(parse_pull_spec("mysql").docker_client_defaults())
        'docker.io/library/mysql:latest'
        """
        registry = self.registry or DOCKER_DEFAULT_REGISTRY
        namespace = self.namespace
        if not namespace and is_registry_docker_hub(registry):
            namespace = DOCKER_DEFAULT_NAMESPACE
        return replace(self, registry=registry, namespace=namespace, tag=self.tag or "latest")

    def minimal(self) -> DockerImageReference:
        """Drop a ``latest`` tag (``Minimal``).

        Returns
        -------
        DockerImageReference
            The reference without an explicit ``latest``.

        Examples
        --------
        >>> parse_pull_spec("mysql:latest").minimal().exact()
        'mysql'
        """
        return replace(self, tag="") if self.tag == "latest" else self

    def daemon_minimal(self) -> DockerImageReference:
        """Clear what the Docker daemon assumes (``DaemonMinimal``).

        Returns
        -------
        DockerImageReference
            Docker Hub aliases become ``docker.io``, a ``library`` namespace on
            Docker Hub is dropped, and so is a ``latest`` tag.

        Examples
        --------
        >>> parse_pull_spec("index.docker.io/library/mysql:latest").daemon_minimal().exact()
        'docker.io/mysql'
        """
        ref = self
        if ref.registry in (DOCKER_DEFAULT_V1_REGISTRY, DOCKER_DEFAULT_V2_REGISTRY):
            ref = replace(ref, registry=DOCKER_DEFAULT_REGISTRY)
        if is_registry_docker_hub(ref.registry) and ref.namespace == DOCKER_DEFAULT_NAMESPACE:
            ref = replace(ref, namespace="")
        return ref.minimal()

    def as_v2(self) -> DockerImageReference:
        """Point Docker Hub references at the v2 registry host (``AsV2``).

        Returns
        -------
        DockerImageReference
            ``docker.io`` and ``index.docker.io`` become ``registry-1.docker.io``.

        Examples
        --------
        >>> parse_pull_spec("docker.io/mysql").as_v2().registry
        'registry-1.docker.io'
        """
        if self.registry in (DOCKER_DEFAULT_V1_REGISTRY, DOCKER_DEFAULT_REGISTRY):
            return replace(self, registry=DOCKER_DEFAULT_V2_REGISTRY)
        return self

    def registry_host_port(self, insecure: bool = False) -> tuple[str, str]:
        """Registry host and port, defaulting the port (``RegistryHostPort``).

        Parameters
        ----------
        insecure : bool, optional
            Default to port 80 instead of 443.

        Returns
        -------
        tuple of str
            ``(host, port)`` of ``as_v2().docker_client_defaults().registry``. A
            registry with a ``:`` that Go cannot split gives ``("", "")``.

        Examples
        --------
        >>> parse_pull_spec("docker.io/mysql").registry_host_port()
        ('registry-1.docker.io', '443')
        >>> parse_pull_spec("mysql").registry_host_port()  # defaults applied after AsV2
        ('docker.io', '443')
        >>> parse_pull_spec("localhost:5000/a/b").registry_host_port()
        ('localhost', '5000')
        """
        host = self.as_v2().docker_client_defaults().registry
        if ":" in host:
            return split_host_port(host) or ("", "")
        return host, "80" if insecure else "443"

    def registry_url(self) -> str:
        """``https://`` URL of the registry (``RegistryURL``).

        Returns
        -------
        str
            ``"https://" + as_v2().registry``.

        Examples
        --------
        >>> parse_pull_spec("docker.io/mysql").registry_url()
        'https://registry-1.docker.io'
        """
        return "https://" + self.as_v2().registry

    def as_repository(self) -> DockerImageReference:
        """The reference without tag and ID (``AsRepository``).

        Returns
        -------
        DockerImageReference
            Same registry, namespace and name.

        Examples
        --------
        >>> parse_pull_spec("quay.io/a/b:1").as_repository().exact()
        'quay.io/a/b'
        """
        return replace(self, tag="", id="")

    def repository_name(self) -> str:
        """``registry/namespace/name`` of the set fields, without tag or ID.

        The brief's ``repository_name`` is the repository pull spec
        (``AsRepository().Exact()``); library-go's own ``RepositoryName()``, which
        also drops the registry, is :meth:`registry_relative_name`.

        Returns
        -------
        str
            The repository pull spec.

        Examples
        --------
        >>> parse_pull_spec("quay.io/a/b:1").repository_name()
        'quay.io/a/b'
        """
        return self.as_repository().exact()

    def registry_relative_name(self) -> str:
        """``namespace/name`` without registry, tag or ID (library-go ``RepositoryName``).

        Returns
        -------
        str
            The registry-relative name.

        Examples
        --------
        >>> parse_pull_spec("quay.io/a/b:1").registry_relative_name()
        'a/b'
        """
        return replace(self, registry="", tag="", id="").exact()

    def most_specific(self) -> DockerImageReference:
        """Prefer the ID over the tag (``MostSpecific``).

        Returns
        -------
        DockerImageReference
            With a digest ID the tag is dropped; a non-digest ID with no tag moves
            into the tag; otherwise unchanged.

        Examples
        --------
        >>> parse_pull_spec("mysql:8@sha256:" + "0" * 64).most_specific().tag
        ''
        >>> DockerImageReference(name="mysql", id="v1id").most_specific().tag
        'v1id'
        """
        if not self.id:
            return self
        if _is_digest(self.id):
            return replace(self, tag="")
        if not self.tag:
            return replace(self, tag=self.id, id="")
        return self

    def equal(self, other: DockerImageReference) -> bool:
        """Compare after :meth:`docker_client_defaults` on both sides (``Equal``).

        Parameters
        ----------
        other : DockerImageReference
            The other reference.

        Returns
        -------
        bool
            Whether both denote the same image for a Docker client.

        Examples
        --------
        >>> parse_pull_spec("foobar").equal(parse_pull_spec("docker.io/library/foobar:latest"))
        True
        """
        return self.docker_client_defaults() == other.docker_client_defaults()


@memoize_parser
def parse_pull_spec(text: str) -> DockerImageReference:
    """Parse a pull spec like OpenShift's ``reference.Parse`` (library-go).

    Parameters
    ----------
    text : str
        A pull spec, e.g. ``registry:5000/ns/name:tag`` or ``name@sha256:...``.

    Returns
    -------
    DockerImageReference
        The split reference, without any defaulting.

    Raises
    ------
    InvalidReference
        ``repository name must have at least one component``, ``repository name
        must be lowercase``, ``invalid reference format``, ``repository name must
        not be more than 255 characters`` (whole name) or a digest error.

    Examples
    --------
    >>> parse_pull_spec("bar:5000/foo/baz@sha256:" + "3c" * 32).namespace
    'foo'
    >>> parse_pull_spec("localhost:5000")
    DockerImageReference(registry='localhost:5000', namespace='', name='', tag='', id='')
    >>> parse_pull_spec("bar/foo/baz")
    DockerImageReference(registry='', namespace='bar', name='foo/baz', tag='', id='')
    """
    match = LEGACY_REFERENCE_REGEX.fullmatch(text)
    if match is None:
        if text == "":
            raise InvalidReference(ERR_NAME_EMPTY)
        if LEGACY_REFERENCE_REGEX.fullmatch(go_lower(text)) is not None:
            raise InvalidReference(ERR_NAME_CONTAINS_UPPERCASE)
        raise InvalidReference(ERR_REFERENCE_INVALID_FORMAT)
    name, tag, digest = match.groups()
    if len(name) > NAME_TOTAL_LENGTH_MAX:
        raise InvalidReference(ERR_NAME_TOO_LONG)
    if digest is not None:
        parse_openshift_digest(digest)

    slash = name.find("/")
    first = name[:slash] if slash >= 0 else name
    registry_only = slash < 0 and ("." in name or name.startswith("localhost"))
    name_only = (slash < 0 and not registry_only) or (
        slash >= 0 and "." not in first and ":" not in first and first != "localhost"
    )
    registry = namespace = repo = ""
    if registry_only:
        registry = name + (":" + tag if tag else "") + ("@" + digest if digest else "")
    elif name_only:
        repo = name
    else:
        registry, repo = first, name[slash + 1 :]
    if "/" in repo:
        namespace, _, repo = repo.partition("/")
    return DockerImageReference(
        registry=registry,
        namespace=namespace,
        name=repo,
        tag=(tag or "") if not registry_only else "",
        id=digest or "",
    )
