"""KEP-2535 "Ensure Secret Pulled Images": may a pod use an image already on the node?

Upstream: ``pkg/kubelet/images/pullmanager/image_pull_policies.go`` (verification
policies, the allowlist, ``trimImageTagDigest``) and ``image_pull_manager.go``
(``MustAttemptImagePull``, ``pulledRecordMergeNewCreds``, ``mergePullSecrets``), with
``trackedToImagePullCreds`` from ``image_manager.go``. The feature gate is
``KubeletEnsureSecretPulledImages``: alpha in 1.33 (off), beta in 1.35 (on).

With the gate on, a present image is only used without a pull when the node's records
say the pod's credentials (or everyone's) could pull it:

* The kubelet writes a pull *intent* before every pull and a :class:`PulledRecord`
  after a successful one: ``imageRef -> {image name without tag/digest ->``
  :class:`CredentialMapping`\\ ``}``. An anonymous pull, or one with node credentials
  (``config.json``, i.e. OpenShift's global pull secret), sets ``node_pods_accessible``.
* :func:`must_attempt_pull` consults the verification policy (:func:`requires_verification`),
  then the record: a pod secret matches by credential hash *or* by (UID, namespace,
  name); a pod service account matches exactly.

Image names are compared as written in the pod, minus tag and digest
(:func:`trim_image_tag_digest`): ``ubuntu:22.04`` is ``ubuntu``, not
``docker.io/library/ubuntu``. This is the behaviour since kubernetes PR #137629
(familiar names and the allowlist); the later, separate tracking of *preloaded* images
(PR #139156) is not modelled.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from simkit._go.strings import trim_space
from simkit.refs import InvalidReference, parse_image

__all__ = [
    "ALWAYS_VERIFY",
    "FEATURE_GATE",
    "NEVER_VERIFY",
    "NEVER_VERIFY_ALLOWLISTED_IMAGES",
    "NEVER_VERIFY_PRELOADED_IMAGES",
    "POLICIES",
    "WRITE_RECORD_WHILE_MATCHING_LIMIT",
    "Allowlist",
    "CredentialMapping",
    "PullCheck",
    "PullSecret",
    "PullServiceAccount",
    "PulledRecord",
    "check_image_pull",
    "default_policy",
    "gate_default",
    "gate_exists",
    "merge_credentials",
    "must_attempt_pull",
    "parse_allowlist",
    "record_pull",
    "requires_verification",
    "trim_image_tag_digest",
    "validate_allowlist",
]

NEVER_VERIFY = "NeverVerify"
NEVER_VERIFY_PRELOADED_IMAGES = "NeverVerifyPreloadedImages"
NEVER_VERIFY_ALLOWLISTED_IMAGES = "NeverVerifyAllowlistedImages"
ALWAYS_VERIFY = "AlwaysVerify"
#: ``imagePullCredentialsVerificationPolicy`` values.
POLICIES = (
    NEVER_VERIFY,
    NEVER_VERIFY_PRELOADED_IMAGES,
    NEVER_VERIFY_ALLOWLISTED_IMAGES,
    ALWAYS_VERIFY,
)
FEATURE_GATE = "KubeletEnsureSecretPulledImages"
#: ``writeRecordWhileMatchingLimit``: above this many recorded secrets for an image, a
#: match is no longer written back into the record.
WRITE_RECORD_WHILE_MATCHING_LIMIT = 100

_ALPHA = (1, 33)
_BETA = (1, 35)


# --- feature gate and defaults ---------------------------------------------------------


def _minor(kubernetes_version: str) -> tuple[int, int]:
    match = re.match(r"v?(\d+)\.(\d+)", kubernetes_version.strip())
    if match is None:
        raise ValueError(f"not a Kubernetes version: {kubernetes_version!r}")
    return int(match[1]), int(match[2])


def gate_exists(kubernetes_version: str) -> bool:
    """Whether the kubelet of that version knows ``KubeletEnsureSecretPulledImages``.

    Parameters
    ----------
    kubernetes_version : str
        ``1.33``, ``v1.35.2``, ...

    Returns
    -------
    bool
        From 1.33 on.

    Examples
    --------
    >>> gate_exists("1.32"), gate_exists("v1.33.0")
    (False, True)
    """
    return _minor(kubernetes_version) >= _ALPHA


def gate_default(kubernetes_version: str) -> bool:
    """Default of ``KubeletEnsureSecretPulledImages`` in a Kubernetes release.

    Parameters
    ----------
    kubernetes_version : str
        ``1.34``, ``v1.35.2``, ...

    Returns
    -------
    bool
        ``False`` before 1.33 (no such gate) and in 1.33-1.34 (alpha); ``True`` from
        1.35 (beta).

    Raises
    ------
    ValueError
        If the version has no ``major.minor``.

    Examples
    --------
    >>> [gate_default(v) for v in ("1.32", "1.33", "1.34.1", "v1.35.0", "1.36")]
    [False, False, False, True, True]
    """
    return _minor(kubernetes_version) >= _BETA


def default_policy(gate_on: bool) -> str:
    """Default ``imagePullCredentialsVerificationPolicy`` (v1beta1 defaults).

    Parameters
    ----------
    gate_on : bool
        Whether ``KubeletEnsureSecretPulledImages`` is enabled.

    Returns
    -------
    str
        ``NeverVerifyPreloadedImages`` with the gate on; ``""`` (left unset) with it off.

    Examples
    --------
    >>> default_policy(True), default_policy(False)
    ('NeverVerifyPreloadedImages', '')
    """
    return NEVER_VERIFY_PRELOADED_IMAGES if gate_on else ""


# --- image names and the allowlist ----------------------------------------------------


def trim_image_tag_digest(image: str) -> str:
    """The image name without tag or digest, as written (``trimImageTagDigest``).

    Parameters
    ----------
    image : str
        ``containers[].image``.

    Returns
    -------
    str
        ``image`` with a trailing ``@digest`` and then a trailing ``:tag`` removed;
        the name itself is *not* normalised.

    Raises
    ------
    InvalidReference
        If ``image`` is not a valid reference (the distribution parse error).

    Examples
    --------
    >>> trim_image_tag_digest("myimage:v1@sha256:" + "38" * 32)
    'myimage'
    >>> trim_image_tag_digest("docker.io/taghere/image:taghere")
    'docker.io/taghere/image'
    >>> trim_image_tag_digest("localhost:5000/myimage")
    'localhost:5000/myimage'
    """
    ref = parse_image(image)
    name = image
    if ref.digest:
        name = name.removesuffix("@" + ref.digest)
    if ref.tag:
        name = name.removesuffix(":" + ref.tag)
    return name


@dataclass(frozen=True, slots=True)
class Allowlist:
    """A parsed ``preloadedImagesVerificationAllowlist``.

    Attributes
    ----------
    absolute : frozenset of str
        Exact image names (no tag or digest).
    prefixes : tuple of str
        ``registry/path/`` prefixes from ``.../*`` entries (the ``*`` dropped, the
        ``/`` kept, so matching stops at a path-segment boundary).
    """

    absolute: frozenset[str] = frozenset()
    prefixes: tuple[str, ...] = ()

    def matches(self, image: str) -> bool:
        """Whether ``image`` (tag and digest ignored) is exempted by this allowlist.

        Parameters
        ----------
        image : str
            ``containers[].image``.

        Returns
        -------
        bool
            ``False`` as well when ``image`` cannot be parsed.

        Examples
        --------
        >>> allow = parse_allowlist(["ubuntu", "quay.io/org/*"])
        >>> allow.matches("ubuntu:22.04"), allow.matches("docker.io/library/ubuntu")
        (True, False)
        >>> allow.matches("quay.io/org/app:1"), allow.matches("quay.io/organisation/app")
        (True, False)
        """
        try:
            name = trim_image_tag_digest(image)
        except InvalidReference:
            return False
        return name in self.absolute or any(name.startswith(p) for p in self.prefixes)


def _allowlist_entry(pattern: str) -> tuple[str, bool]:
    """``getAllowlistImagePattern``: (normalised pattern, is wildcard) or ValueError."""
    if pattern != trim_space(pattern):
        raise ValueError(f"leading/trailing spaces are not allowed: {pattern}")
    trimmed = pattern
    wildcard = pattern.endswith("/*")
    if wildcard:
        trimmed = trimmed[:-1]
    if not trimmed:
        raise ValueError(f"the supplied pattern is too short: {pattern}")
    if "*" in trimmed:
        raise ValueError(
            f"not a valid wildcard pattern, only patterns ending with '/*' are allowed: {pattern}"
        )
    if wildcard:
        if len(trimmed) == 1:
            raise ValueError("at least registry hostname is required")
        return trimmed, True
    try:
        ref = parse_image(trimmed)
    except InvalidReference as exc:
        raise ValueError(f"failed to parse as an image name: {exc}") from None
    if ref.tag or ref.digest:
        raise ValueError(f"neither tag nor digest is accepted in an image reference: {pattern}")
    return trimmed, False


def parse_allowlist(entries: Iterable[str]) -> Allowlist:
    """Parse ``preloadedImagesVerificationAllowlist`` (``NewNeverVerifyAllowListedPullPolicy``).

    Parameters
    ----------
    entries : iterable of str
        Exact image names without tag/digest (familiar names are kept as written), or
        ``prefix/*``.

    Returns
    -------
    Allowlist

    Raises
    ------
    ValueError
        At the first invalid entry, with the upstream message (see
        :func:`validate_allowlist`).

    Examples
    --------
    >>> a = parse_allowlist(["test.io/test/image1", "test.io/test/image1", "test.io/*"])
    >>> sorted(a.absolute), a.prefixes
    (['test.io/test/image1'], ('test.io/',))
    """
    absolute: set[str] = set()
    prefixes: list[str] = []
    for entry in entries:
        pattern, wildcard = _allowlist_entry(entry)
        if wildcard:
            prefixes.append(pattern)
        else:
            absolute.add(pattern)
    return Allowlist(frozenset(absolute), tuple(prefixes))


def validate_allowlist(entries: Iterable[str]) -> str | None:
    """Check allowlist entries (``ValidateAllowlistImagesPatterns``).

    Parameters
    ----------
    entries : iterable of str
        ``preloadedImagesVerificationAllowlist``.

    Returns
    -------
    str or None
        The first entry's error, or ``None`` when all are valid. Rules: no leading or
        trailing whitespace; not empty; ``*`` only as a final ``/*``; a wildcard needs
        something before ``/*``; an exact entry must parse as an image name and carry
        neither tag nor digest.

    Examples
    --------
    >>> validate_allowlist(["quay.io/org/*", "ubuntu"]) is None
    True
    >>> print(validate_allowlist(["image.repo/*/imagename"]))  # doctest: +NORMALIZE_WHITESPACE
    not a valid wildcard pattern, only patterns ending with '/*' are allowed:
    image.repo/*/imagename
    >>> validate_allowlist(["/*"]), validate_allowlist([""])
    ('at least registry hostname is required', 'the supplied pattern is too short: ')
    >>> validate_allowlist(["test.io/test/image1:tagged"])
    'neither tag nor digest is accepted in an image reference: test.io/test/image1:tagged'
    """
    for entry in entries:
        try:
            _allowlist_entry(entry)
        except ValueError as exc:
            return str(exc)
    return None


def requires_verification(
    policy: str,
    image_name: str,
    has_record_or_intent: bool,
    allowlist: Allowlist | Iterable[str] = (),
) -> bool:
    """Whether the policy wants the pod's credentials checked.

    ``ImagePullPolicyEnforcer.RequireCredentialVerificationForImage``.

    Parameters
    ----------
    policy : str
        One of :data:`POLICIES`.
    image_name : str
        ``containers[].image``.
    has_record_or_intent : bool
        Whether the kubelet has a pulled record for the image reference or a pull
        intent for the image ("pulled by the kubelet").
    allowlist : Allowlist or iterable of str
        For ``NeverVerifyAllowlistedImages``.

    Returns
    -------
    bool
        ``NeverVerify``: never. ``NeverVerifyPreloadedImages``: only when pulled by the
        kubelet. ``NeverVerifyAllowlistedImages``: unless the name is allowlisted (pulled
        by the kubelet or not). ``AlwaysVerify``: always.

    Raises
    ------
    ValueError
        ``unknown image pull credential verification policy: X``, or an invalid
        allowlist entry.

    Examples
    --------
    >>> requires_verification("NeverVerifyPreloadedImages", "test-image:sometag", False)
    False
    >>> requires_verification("NeverVerifyAllowlistedImages", "ubuntu:tagged", True, ["ubuntu"])
    False
    >>> requires_verification("AlwaysVerify", "x", False)
    True
    """
    if policy == NEVER_VERIFY:
        return False
    if policy == NEVER_VERIFY_PRELOADED_IMAGES:
        return has_record_or_intent
    if policy == NEVER_VERIFY_ALLOWLISTED_IMAGES:
        allow = allowlist if isinstance(allowlist, Allowlist) else parse_allowlist(allowlist)
        return not allow.matches(image_name)
    if policy == ALWAYS_VERIFY:
        return True
    raise ValueError(f"unknown image pull credential verification policy: {policy}")


# --- records ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, order=True)
class PullSecret:
    """A pull secret's coordinates and credential hash (``ImagePullSecret``).

    Ordered by namespace, name, UID, as records keep them.
    """

    namespace: str
    name: str
    uid: str
    credential_hash: str = ""

    @property
    def coordinates(self) -> tuple[str, str, str]:
        """``(uid, namespace, name)``.

        Returns
        -------
        tuple of str

        Examples
        --------
        >>> PullSecret("default", "pull-secret", "u1", "h").coordinates
        ('u1', 'default', 'pull-secret')
        """
        return (self.uid, self.namespace, self.name)


@dataclass(frozen=True, slots=True, order=True)
class PullServiceAccount:
    """A service account whose token obtained the credentials (``ImagePullServiceAccount``)."""

    namespace: str
    name: str
    uid: str


@dataclass(frozen=True, slots=True)
class CredentialMapping:
    """Who may use an image name under one image reference (``ImagePullCredentials``).

    Attributes
    ----------
    kubernetes_secrets : tuple of PullSecret
        Sorted by namespace, name, UID.
    kubernetes_service_accounts : tuple of PullServiceAccount
        Sorted by namespace, name, UID.
    node_pods_accessible : bool
        Pulled anonymously or with node credentials: every pod on the node may use it.
    """

    kubernetes_secrets: tuple[PullSecret, ...] = ()
    kubernetes_service_accounts: tuple[PullServiceAccount, ...] = ()
    node_pods_accessible: bool = False

    @property
    def empty(self) -> bool:
        """Whether nothing at all is recorded.

        Returns
        -------
        bool

        Examples
        --------
        >>> CredentialMapping().empty, CredentialMapping(node_pods_accessible=True).empty
        (True, False)
        """
        return not (
            self.node_pods_accessible or self.kubernetes_secrets or self.kubernetes_service_accounts
        )


@dataclass(frozen=True, slots=True)
class PulledRecord:
    """An ``ImagePulledRecord``: image reference -> image name -> credentials.

    Attributes
    ----------
    image_ref : str
        The runtime's image reference (image ID).
    credential_mapping : Mapping[str, CredentialMapping]
        Keyed by :func:`trim_image_tag_digest` of the pod's image. Treat as read-only:
        :func:`record_pull` returns a new record.
    last_updated : float
        Seconds; moved on every change.
    """

    image_ref: str
    credential_mapping: Mapping[str, CredentialMapping] = field(default_factory=dict)
    last_updated: float = 0.0


Credential = PullSecret | PullServiceAccount | None


def _as_mapping(credential: Credential | CredentialMapping) -> CredentialMapping:
    """``trackedToImagePullCreds``: no source (anonymous, node config) is node-wide."""
    if credential is None:  # the usual case, answered before the type tests
        return _NODE_WIDE
    if isinstance(credential, CredentialMapping):
        return credential
    if isinstance(credential, PullSecret):
        return CredentialMapping(kubernetes_secrets=(credential,))
    if isinstance(credential, PullServiceAccount):
        return CredentialMapping(kubernetes_service_accounts=(credential,))
    return _NODE_WIDE


# what every anonymous or node-credential pull records: one shared immutable value
# rather than a new, equal one per pull
_NODE_WIDE = CredentialMapping(node_pods_accessible=True)


def _merge_secrets(
    orig: Sequence[PullSecret], new: Sequence[PullSecret]
) -> tuple[tuple[PullSecret, ...], bool]:
    """``mergePullSecrets``: unique by coordinates, new hash wins, sorted."""
    by_coords = {(s.uid, s.namespace, s.name): s.credential_hash for s in orig}
    changed = False
    for s in new:
        key = (s.uid, s.namespace, s.name)
        if key not in by_coords or by_coords[key] != s.credential_hash:
            changed = True
            by_coords[key] = s.credential_hash
    if not changed:
        return tuple(orig), False
    merged = sorted(PullSecret(ns, name, uid, h) for (uid, ns, name), h in by_coords.items())
    return tuple(merged), True


def merge_credentials(
    record: PulledRecord, image_name: str, credentials: CredentialMapping | None, *, now: float
) -> tuple[PulledRecord, bool]:
    """Merge newly seen credentials into a record (``pulledRecordMergeNewCreds``).

    Parameters
    ----------
    record : PulledRecord
        The current record.
    image_name : str
        The key: the image without tag/digest.
    credentials : CredentialMapping or None
        ``None`` or an empty mapping records nothing.
    now : float
        New ``last_updated`` when something changes.

    Returns
    -------
    tuple
        ``(record, changed)``. A node-wide mapping is final; node-wide credentials
        replace recorded secrets and service accounts; secrets and service accounts are
        merged (unique, sorted).

    Examples
    --------
    >>> rec = PulledRecord("ref", {"img": CredentialMapping((PullSecret("ns", "a", "u", "h"),))})
    >>> new, changed = merge_credentials(rec, "img", CredentialMapping(node_pods_accessible=True),
    ...                                  now=1.0)
    >>> changed, new.credential_mapping["img"].node_pods_accessible
    (True, True)
    >>> new.credential_mapping["img"].kubernetes_secrets
    ()
    """
    if credentials is None or credentials.empty:
        return record, False
    current = record.credential_mapping.get(image_name)
    if current is None:
        merged = credentials
    elif current.node_pods_accessible:
        return record, False
    elif credentials.node_pods_accessible:
        merged = CredentialMapping(node_pods_accessible=True)
    elif credentials.kubernetes_secrets:
        secrets, changed = _merge_secrets(
            current.kubernetes_secrets, credentials.kubernetes_secrets
        )
        if not changed:
            return record, False
        merged = replace(current, kubernetes_secrets=secrets)
    else:
        accounts = set(current.kubernetes_service_accounts)
        if accounts.issuperset(credentials.kubernetes_service_accounts):
            return record, False
        accounts.update(credentials.kubernetes_service_accounts)
        merged = replace(current, kubernetes_service_accounts=tuple(sorted(accounts)))
    mapping = dict(record.credential_mapping)
    mapping[image_name] = merged
    return replace(record, credential_mapping=mapping, last_updated=now), True


def record_pull(
    record: PulledRecord | None,
    image_name: str,
    credential: Credential | CredentialMapping,
    *,
    image_ref: str = "",
    now: float = 0.0,
) -> PulledRecord:
    """The record after a successful pull (``RecordImagePulled``).

    Parameters
    ----------
    record : PulledRecord or None
        The record for the pulled image reference, if any.
    image_name : str
        ``containers[].image``; its tag and digest are dropped for the key.
    credential : PullSecret, PullServiceAccount, CredentialMapping or None
        The credential that worked. ``None`` means an anonymous pull or node
        credentials (no Kubernetes source): the image becomes node-wide.
    image_ref : str, default ""
        The pulled image reference, required when ``record`` is ``None``.
    now : float, default 0.0
        ``last_updated`` of a new or changed record.

    Returns
    -------
    PulledRecord
        ``record`` itself when nothing changed.

    Raises
    ------
    InvalidReference
        If ``image_name`` cannot be parsed (upstream logs and writes nothing).
    ValueError
        If both ``record`` and ``image_ref`` are missing.

    Examples
    --------
    >>> rec = record_pull(None, "repo.repo/test/test:v1", None, image_ref="testimageref")
    >>> list(rec.credential_mapping)
    ['repo.repo/test/test']
    >>> rec.credential_mapping["repo.repo/test/test"].node_pods_accessible
    True
    """
    key = trim_image_tag_digest(image_name)
    creds = _as_mapping(credential)
    if record is None:
        if not image_ref:
            raise ValueError("image_ref is required for a new pulled record")
        return PulledRecord(image_ref, {key: creds}, now)
    return merge_credentials(record, key, creds, now=now)[0]


# --- MustAttemptImagePull ---------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PullCheck:
    """The answer of :func:`check_image_pull`.

    Attributes
    ----------
    must_pull : bool
        ``MustAttemptImagePull``.
    why : str
        Which rule decided: ``empty_image_ref``, ``policy_exempt``, ``no_record``,
        ``invalid_image``, ``no_mapping``, ``node_accessible``, ``no_credentials``,
        ``secret_hash_match``, ``secret_coordinates_match``, ``service_account_match``
        or ``no_match``.
    refresh : PullSecret or None
        A pod secret that matched by hash only or by coordinates only; the kubelet
        writes it into the record (pass it to :func:`record_pull`).
    """

    must_pull: bool
    why: str
    refresh: PullSecret | None = None


def check_image_pull(
    policy: str,
    image: str,
    image_ref: str,
    record: PulledRecord | None,
    pod_secrets: Iterable[PullSecret | tuple[str, str, str, str]] = (),
    pod_service_account: PullServiceAccount | None = None,
    allowlist: Allowlist | Iterable[str] = (),
    has_intent: bool = False,
) -> PullCheck:
    """``MustAttemptImagePull`` with the reason it decided so.

    Parameters
    ----------
    policy : str
        ``imagePullCredentialsVerificationPolicy``.
    image : str
        ``containers[].image``.
    image_ref : str
        The runtime's reference for the present image (``""`` if absent).
    record : PulledRecord or None
        The pulled record for ``image_ref``.
    pod_secrets : iterable
        The pod's credentials that came from pull secrets, as :class:`PullSecret` or
        ``(uid, namespace, name, credential_hash)`` tuples.
    pod_service_account : PullServiceAccount, optional
        The service account whose token fetched credentials (credential providers).
    allowlist : Allowlist or iterable of str
        ``preloadedImagesVerificationAllowlist``.
    has_intent : bool, default False
        Whether a pull intent exists for ``image`` (a pull in flight or interrupted).

    Returns
    -------
    PullCheck

    Examples
    --------
    >>> rec = PulledRecord("ref", {"quay.io/org/app": CredentialMapping(
    ...     (PullSecret("team-a", "pull", "uid-a", "h1"),))})
    >>> check_image_pull("NeverVerifyPreloadedImages", "quay.io/org/app:1", "ref", rec)
    PullCheck(must_pull=True, why='no_match', refresh=None)
    >>> check_image_pull("NeverVerifyPreloadedImages", "quay.io/org/app:1", "ref", rec,
    ...                  [("uid-b", "team-b", "other", "h1")]).why
    'secret_hash_match'
    """
    return PullCheck(
        *_check(
            policy,
            image,
            image_ref,
            record,
            pod_secrets,
            pod_service_account,
            allowlist,
            has_intent,
        )
    )


def _check(
    policy: str,
    image: str,
    image_ref: str,
    record: PulledRecord | None,
    pod_secrets: Iterable[PullSecret | tuple[str, str, str, str]],
    pod_service_account: PullServiceAccount | None,
    allowlist: Allowlist | Iterable[str],
    has_intent: bool,
) -> tuple[bool, str, PullSecret | None]:
    """:func:`check_image_pull` as ``(must_pull, why, refresh)``: the kubelet asks on
    every sync of a present image and reads only ``must_pull``, so
    :func:`must_attempt_pull` takes it without building the frozen :class:`PullCheck`."""
    if not image_ref:
        return True, "empty_image_ref", None
    pulled_by_kubelet = record is not None or has_intent
    if not requires_verification(policy, image, pulled_by_kubelet, allowlist):
        return False, "policy_exempt", None
    if record is None:
        return True, "no_record", None
    try:
        name = trim_image_tag_digest(image)
    except InvalidReference:
        return True, "invalid_image", None
    cached = record.credential_mapping.get(name)
    if cached is None:
        return True, "no_mapping", None
    if cached.node_pods_accessible:
        return False, "node_accessible", None
    if not cached.kubernetes_secrets and not cached.kubernetes_service_accounts:
        return True, "no_credentials", None
    below_limit = len(cached.kubernetes_secrets) < WRITE_RECORD_WHILE_MATCHING_LIMIT
    for raw in pod_secrets:
        pod_secret = (
            raw if isinstance(raw, PullSecret) else PullSecret(raw[1], raw[2], raw[0], raw[3])
        )
        for cached_secret in cached.kubernetes_secrets:
            hashes = bool(cached_secret.credential_hash) and (
                pod_secret.credential_hash == cached_secret.credential_hash
            )
            coordinates = pod_secret.coordinates == cached_secret.coordinates
            if hashes:
                refresh = pod_secret if not coordinates and below_limit else None
                return False, "secret_hash_match", refresh
            # Upstream only accepts a coordinates-only match while it may still write the
            # refreshed hash back (fewer than 100 recorded secrets).
            if coordinates and below_limit:
                return False, "secret_coordinates_match", pod_secret
    if pod_service_account is not None and (
        pod_service_account in cached.kubernetes_service_accounts
    ):
        return False, "service_account_match", None
    return True, "no_match", None


def must_attempt_pull(
    policy: str,
    image: str,
    image_ref: str,
    record: PulledRecord | None,
    pod_secrets: Iterable[PullSecret | tuple[str, str, str, str]] = (),
    pod_service_account: PullServiceAccount | None = None,
    allowlist: Allowlist | Iterable[str] = (),
    has_intent: bool = False,
) -> bool:
    """Whether the kubelet must pull a present image to check the pod's credentials.

    ``PullManager.MustAttemptImagePull``; see :func:`check_image_pull` for the
    parameters and the reason behind the answer.

    Returns
    -------
    bool

    Examples
    --------
    >>> rec = PulledRecord("ref", {"docker.io/testing/test": CredentialMapping(
    ...     (PullSecret("default", "pull-secret", "testsecretuid", "testsecrethash"),))})
    >>> must_attempt_pull("NeverVerifyPreloadedImages", "docker.io/testing/test:latest", "ref",
    ...                   rec, [("testsecretuid", "default", "pull-secret", "differenthash")])
    False
    >>> must_attempt_pull("NeverVerifyPreloadedImages", "docker.io/testing/test:latest", "ref",
    ...                   rec)
    True
    >>> must_attempt_pull("NeverVerifyPreloadedImages", "x:1", "ref", None)  # preloaded
    False
    """
    return _check(
        policy,
        image,
        image_ref,
        record,
        pod_secrets,
        pod_service_account,
        allowlist,
        has_intent,
    )[0]
