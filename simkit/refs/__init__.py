"""Image references as Kubernetes and OpenShift parse them.

* :mod:`simkit.refs.distribution` - ``distribution/reference`` (what Kubernetes uses):
  :func:`parse`, :func:`parse_image`, :class:`ImageRef`, ...
* :mod:`simkit.refs.pull_policy` - Kubernetes ``ParseImageName``, pull-policy
  defaulting and the kubelet's default tag.
* :mod:`simkit.refs.pullspec` - OpenShift library-go ``reference.Parse`` and
  :class:`DockerImageReference`.
* :mod:`simkit.refs.stream_names` - ``stream:tag`` / ``stream@id`` names and tag-name
  validation.
* :mod:`simkit.refs.digest`, :mod:`simkit.refs.grammar` - the building blocks
  (Go's ``path.Match`` is :mod:`simkit._go.path`).

Every parser raises :class:`InvalidReference` (a :class:`ValueError`) with the
upstream error text.

Examples
--------
>>> from simkit.refs import parse_image, default_pull_policy, parse_pull_spec
>>> str(parse_image("nginx"))
'docker.io/library/nginx'
>>> default_pull_policy("nginx")
'Always'
>>> parse_pull_spec("nginx").registry
''
"""

from simkit._go.path import BadPattern
from simkit.refs.digest import DIGEST_ALGORITHMS, is_digest, parse_digest, parse_openshift_digest
from simkit.refs.distribution import (
    DEFAULT_DOMAIN,
    DEFAULT_TAG,
    LEGACY_DEFAULT_DOMAIN,
    OFFICIAL_REPO_PREFIX,
    REPOSITORY_NAME_TOTAL_LENGTH_MAX,
    DigestReference,
    ImageRef,
    familiar_match,
    is_name_only,
    parse,
    parse_any_reference,
    parse_docker_ref,
    parse_image,
    parse_named,
    sort_references,
    split_docker_domain,
    tag_name_only,
    trim_named,
    with_digest,
    with_name,
    with_tag,
)
from simkit.refs.errors import (
    ERR_CHECKSUM_INVALID_FORMAT,
    ERR_CHECKSUM_INVALID_LENGTH,
    ERR_DIGEST_INVALID_FORMAT,
    ERR_DIGEST_UNSUPPORTED,
    ERR_NAME_CONTAINS_UPPERCASE,
    ERR_NAME_EMPTY,
    ERR_NAME_NOT_CANONICAL,
    ERR_NAME_TOO_LONG,
    ERR_REFERENCE_INVALID_FORMAT,
    ERR_TAG_INVALID_FORMAT,
    InvalidReference,
)
from simkit.refs.pull_policy import (
    DEFAULT_IMAGE_TAG,
    PULL_ALWAYS,
    PULL_IF_NOT_PRESENT,
    PULL_NEVER,
    PullPolicy,
    apply_default_tag,
    default_pull_policy,
    parse_image_name,
)
from simkit.refs.pullspec import (
    DOCKER_DEFAULT_NAMESPACE,
    DOCKER_DEFAULT_REGISTRY,
    DOCKER_DEFAULT_V1_REGISTRY,
    DOCKER_DEFAULT_V2_REGISTRY,
    NAME_TOTAL_LENGTH_MAX,
    DockerImageReference,
    is_registry_docker_hub,
    parse_pull_spec,
    split_host_port,
)
from simkit.refs.stream_names import (
    INTEGRATED_REGISTRY,
    is_valid_stream_name,
    is_valid_tag_name,
    isimage_name_and_id,
    istag_name_and_tag,
    join_image_stream_image,
    join_image_stream_tag,
    parse_image_stream_image_name,
    parse_image_stream_tag_name,
    parse_istag_ref,
    parse_stream_name,
    split_image_stream_image,
    split_image_stream_tag,
    split_isimage,
    split_istag,
    validate_tag_name,
)

__all__ = [
    "BadPattern",
    "DEFAULT_DOMAIN",
    "DEFAULT_IMAGE_TAG",
    "DEFAULT_TAG",
    "DIGEST_ALGORITHMS",
    "DOCKER_DEFAULT_NAMESPACE",
    "DOCKER_DEFAULT_REGISTRY",
    "DOCKER_DEFAULT_V1_REGISTRY",
    "DOCKER_DEFAULT_V2_REGISTRY",
    "DigestReference",
    "DockerImageReference",
    "ERR_CHECKSUM_INVALID_FORMAT",
    "ERR_CHECKSUM_INVALID_LENGTH",
    "ERR_DIGEST_INVALID_FORMAT",
    "ERR_DIGEST_UNSUPPORTED",
    "ERR_NAME_CONTAINS_UPPERCASE",
    "ERR_NAME_EMPTY",
    "ERR_NAME_NOT_CANONICAL",
    "ERR_NAME_TOO_LONG",
    "ERR_REFERENCE_INVALID_FORMAT",
    "ERR_TAG_INVALID_FORMAT",
    "INTEGRATED_REGISTRY",
    "ImageRef",
    "InvalidReference",
    "LEGACY_DEFAULT_DOMAIN",
    "NAME_TOTAL_LENGTH_MAX",
    "OFFICIAL_REPO_PREFIX",
    "PULL_ALWAYS",
    "PULL_IF_NOT_PRESENT",
    "PULL_NEVER",
    "PullPolicy",
    "REPOSITORY_NAME_TOTAL_LENGTH_MAX",
    "apply_default_tag",
    "default_pull_policy",
    "familiar_match",
    "is_digest",
    "is_name_only",
    "is_registry_docker_hub",
    "is_valid_stream_name",
    "is_valid_tag_name",
    "isimage_name_and_id",
    "istag_name_and_tag",
    "join_image_stream_image",
    "join_image_stream_tag",
    "parse",
    "parse_any_reference",
    "parse_digest",
    "parse_docker_ref",
    "parse_image",
    "parse_image_name",
    "parse_image_stream_image_name",
    "parse_image_stream_tag_name",
    "parse_istag_ref",
    "parse_named",
    "parse_openshift_digest",
    "parse_pull_spec",
    "parse_stream_name",
    "sort_references",
    "split_docker_domain",
    "split_host_port",
    "split_image_stream_image",
    "split_image_stream_tag",
    "split_isimage",
    "split_istag",
    "tag_name_only",
    "trim_named",
    "validate_tag_name",
    "with_digest",
    "with_name",
    "with_tag",
]
