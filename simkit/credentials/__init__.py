"""Registry credentials as the kubelet finds them for an image.

* :func:`parse_docker_config` reads ``config.json`` / ``.dockerconfigjson`` and legacy
  ``.dockercfg`` content (Kubernetes ``pkg/credentialprovider/config.go``).
* :class:`Keyring` is ``BasicDockerKeyring`` (reverse-sorted keys, per-label globs,
  string-prefix paths, the Docker Hub fallback), :class:`UnionKeyring` is
  ``UnionDockerKeyring``, :func:`keyring_from_secrets` is ``MakeDockerKeyring``.
* :class:`Credential` never shows its password; its ``fingerprint`` is the KEP-2535
  credential hash.
* :func:`merge_docker_config`, :func:`docker_config_json` and
  :func:`dump_docker_config` write configs as ``oc``/``kubectl`` do;
  :func:`redact_docker_config` masks one for display.

Errors are :class:`DockerConfigError` (a ``ValueError``) and never contain secrets.

Examples
--------
>>> from simkit.credentials import Keyring, UnionKeyring, keyring_from_secrets
>>> node = Keyring.from_docker_config(
...     {"auths": {"quay.io": {"auth": "bm9kZTpzMQ=="}}}, source="node")
>>> pod = keyring_from_secrets([{"namespace": "ns", "name": "pull",
...     "type": "kubernetes.io/dockercfg", "data": {".dockercfg": b'{"quay.io/team": {}}'}}])
>>> [(c.registry, c.source) for c in UnionKeyring([pod, node]).lookup("quay.io/team/app:1")]
[('quay.io/team', 'secret:ns/pull'), ('quay.io', 'node')]
"""

from simkit.credentials.credential import Credential, DockerConfigEntry, credential_hash
from simkit.credentials.dockerconfig import (
    ConfigForm,
    decode_auth,
    encode_auth,
    parse_docker_config,
)
from simkit.credentials.errors import DockerConfigError
from simkit.credentials.keyring import Keyring, SupportsLookup, UnionKeyring
from simkit.credentials.matching import (
    DEFAULT_REGISTRY_HOST,
    is_default_registry_match,
    registry_key,
    urls_match,
)
from simkit.credentials.redaction import redact_docker_config
from simkit.credentials.secrets import DOCKERCFG, DOCKERCONFIGJSON, keyring_from_secrets
from simkit.credentials.writing import docker_config_json, dump_docker_config, merge_docker_config

__all__ = [
    "ConfigForm",
    "Credential",
    "DEFAULT_REGISTRY_HOST",
    "DOCKERCFG",
    "DOCKERCONFIGJSON",
    "DockerConfigEntry",
    "DockerConfigError",
    "Keyring",
    "SupportsLookup",
    "UnionKeyring",
    "credential_hash",
    "decode_auth",
    "docker_config_json",
    "dump_docker_config",
    "encode_auth",
    "is_default_registry_match",
    "keyring_from_secrets",
    "merge_docker_config",
    "parse_docker_config",
    "redact_docker_config",
    "registry_key",
    "urls_match",
]
