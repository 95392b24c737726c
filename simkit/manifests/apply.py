"""Putting manifest objects into the cluster: ``create``, ``apply`` and ``load``.

:func:`apply_objects` stages every object in one transaction, so that input with any
error changes nothing.  The three modes:

- ``create`` (``oc create -f``): an existing object is an ``AlreadyExists`` error; the
  API server's create rules apply (an ImageStream's status is dropped and its tags are
  imported anew); a namespace must exist, or be created earlier in the input.
- ``apply`` (``oc apply -f``): missing objects are created, existing ones get the
  three-way merge of :mod:`simkit.manifests.merge` and are reported ``configured`` or
  ``unchanged``.
- ``load`` (:func:`~simkit.manifests.load_manifests`): the input describes a running
  cluster.  ImageStreams keep their status history, objects replace the defaults of
  the same name ("the dump wins"), namespaces that objects use are created when not
  listed, new projects are provisioned at once (:mod:`simkit.manifests.provision`),
  and an object defined twice is an error.

Pods, Deployments and DeploymentConfigs are validated with the rest and handed to
their controllers once the transaction has committed.  Kinds simkit does not model
are counted and skipped.

The image kinds go through the API server's own endpoints (openshift-apiserver
@56aa2d96 ``pkg/image/apiserver/registry``):

- ``ImageStreamTag``: ``create`` is ``imagestreamtag/rest.go`` ``REST.Create`` (an
  existing spec tag is ``AlreadyExists``; the stream is created when missing); ``apply``
  reads the tag first, as kubectl does, and patches it through ``REST.Update`` (the
  spec tag and its annotations are replaced, labels may not change) or, when the GET
  is ``NotFound`` (no stream, or a tag with no image yet), creates it; ``load`` always
  sets the spec tag (the dump wins).  Both endpoints copy only ``tag`` (and the
  annotations) into the stream: an ImageStreamTag's ``lookupPolicy``, ``image``,
  ``generation`` and ``conditions`` are read-only there.
- ``Image``: cluster scoped, ``registry/image`` ``Validate`` plus simkit's rule that its
  name is its digest (:mod:`simkit.apiserver.images`); an equal re-apply changes nothing.
- ``ImageStreamImage``: get-only; ``create``/``apply`` fail with ``MethodNotAllowed``
  and a load skips it, saying why.
- ``Node``: the kubelet registers nodes; simkit's workers are ``Simulation(nodes=N)``,
  so creating a Node of a new name is refused (a load skips it).  Applying an existing
  node changes nothing simkit models (the API server keeps a node's ``status`` on a
  main-resource update, kubernetes ``pkg/registry/core/node/strategy.go``
  ``PrepareForUpdate``); a load restores the node's image store, capacity, bandwidth
  and readiness from the dump, as it restores an image stream's status.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from simkit.apiserver.discovery import for_kind
from simkit.apiserver.errors import ApiError
from simkit.manifests.errors import ManifestError
from simkit.manifests.merge import (
    LAST_APPLIED_STORE,
    configuration,
    encode,
    last_applied_key,
    live_dict,
    three_way,
)
from simkit.manifests.objects import (
    Context,
    Manifest,
    Parsed,
    PodSpec,
    manifests_from_documents,
    parse_manifest,
)
from simkit.state.projects import Project

if TYPE_CHECKING:
    from simkit.simulation import Simulation
    from simkit.state.cluster import Transaction

__all__ = ["ApplyResult", "Outcome", "apply_objects"]

MODES = ("create", "apply", "load")

_FIELD_PATH = re.compile(
    r"\b(?:metadata|spec|status|data|roleRef|subjects|rules)(?:[.\[][^\s:]*)?"
    r"(?=: )"
)
"""A field path in an API error message (``spec.tags[3.4].from.kind: Required value``)."""

_LOAD_ORDER = {
    "Project": 0,
    "ClusterRole": 1,
    "Role": 2,
    "User": 3,
    "Group": 4,
    "ServiceAccount": 5,
    "Secret": 6,
    "ClusterRoleBinding": 7,
    "RoleBinding": 8,
    "ImageStream": 9,
    "Deployment": 10,
    "DeploymentConfig": 11,
    "Pod": 12,
    "Node": 0.5,
    "Image": 8.5,
    "ImageStreamTag": 9.5,
    "ImageStreamImage": 13,
}
_DEFERRED = ("Pod", "Deployment", "DeploymentConfig")

_NEW_NODE = (
    'nodes "{name}" is forbidden: simkit does not register nodes from manifests: the '
    "kubelet registers its node, and simkit's are the {nodes} workers the Simulation was "
    "made with (Simulation(nodes=N))"
)

_NO_LAST_APPLIED = (
    "Warning: resource {name} is missing the kubectl.kubernetes.io/last-applied-configuration "
    "annotation which is required by oc apply. oc apply should only be used on resources "
    "created declaratively by either oc create --save-config or oc apply. The missing "
    "annotation will be patched automatically."
)


@dataclass
class Outcome:
    """What happened to one object: ``created``, ``configured``, ``unchanged``,
    ``loaded`` (load mode) or ``skipped`` (with ``reason``)."""

    kind: str
    namespace: str
    name: str
    label: str
    action: str
    source: str = ""
    reason: str = ""

    def __str__(self) -> str:
        if self.action == "skipped":
            return f"{self.label} skipped: {self.reason}"
        return f"{self.label} {self.action}"


@dataclass
class ApplyResult:
    """The outcome of :func:`apply_objects`, object by object, plus warnings."""

    mode: str
    outcomes: list[Outcome] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def loaded(self) -> dict[str, int]:
        """Objects put into the cluster, per manifest kind."""
        return dict(sorted(Counter(o.kind for o in self.outcomes if o.action != "skipped").items()))

    @property
    def skipped(self) -> dict[str, int]:
        """Objects skipped (kinds simkit does not model, controller-owned pods), per kind."""
        return dict(sorted(Counter(o.kind for o in self.outcomes if o.action == "skipped").items()))

    @property
    def summary(self) -> dict[str, Any]:
        """``{"loaded": {kind: n}, "skipped": {kind: n}, "objects": n, "warnings": [...]}``."""
        return {
            "loaded": self.loaded,
            "skipped": self.skipped,
            "objects": len(self.outcomes),
            "warnings": list(self.warnings),
        }


def apply_objects(
    target: Simulation | Transaction,
    objects: Iterable[Manifest | Mapping[str, Any]],
    mode: str = "create",
    *,
    sim: Simulation | None = None,
    namespace: str | None = None,
    enforce_namespace: bool = False,
) -> ApplyResult:
    """Create, apply or load ``objects`` into the cluster, all or nothing.

    Parameters
    ----------
    target : Simulation or Transaction
        A simulation (a transaction is opened and committed here), or a transaction the
        caller commits (``sim`` must then be given).
    objects : iterable of Manifest or mapping
        Objects as read by :func:`~simkit.manifests.read_manifests`, or plain dicts;
        ``List`` kinds are unwrapped.
    mode : {"create", "apply", "load"}
        See the module docstring.
    sim : Simulation, optional
        The simulation, when ``target`` is a transaction.
    namespace : str, optional
        Where objects without a namespace go (default: the current project).
    enforce_namespace : bool
        Refuse objects whose namespace differs from ``namespace`` (``oc -n NS``).

    Returns
    -------
    ApplyResult

    Raises
    ------
    ManifestError
        On the first problem (``errors`` lists them all); nothing is changed.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation()
    >>> result = apply_objects(sim, [
    ...     {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "robot"}},
    ...     {"apiVersion": "v1", "kind": "Service", "metadata": {"name": "web"}}])
    >>> [str(o) for o in result.outcomes]
    ['serviceaccount/robot created', 'service/web skipped: simkit does not model Service']
    >>> apply_objects(sim, [{"apiVersion": "v1", "kind": "ServiceAccount",
    ...                      "metadata": {"name": "robot"}}])
    Traceback (most recent call last):
    ...
    simkit.manifests.errors.ManifestError: ServiceAccount "robot": serviceaccounts "robot" \
already exists
    """
    from simkit.simulation import Simulation

    if mode not in MODES:
        raise ValueError(f"mode {mode!r}: expected one of {', '.join(MODES)}")
    own = isinstance(target, Simulation)
    if isinstance(target, Simulation):
        sim = target
        tx = target.transaction()
    else:
        tx = target
        if sim is None:
            raise TypeError("apply_objects(tx, ...) needs sim=the simulation")
    applier = _Applier(sim, tx, mode, namespace or sim.current_project, enforce_namespace)
    manifests: list[Manifest] = []
    for obj in objects:
        if isinstance(obj, Manifest):
            manifests.append(obj)
        else:
            try:
                manifests.extend(manifests_from_documents([_inline(obj)]))
            except ManifestError as exc:
                applier.errors.append(exc)
    result = applier.run(manifests)
    if own:
        tx.commit()
    return result


def _inline(obj: Mapping[str, Any]):
    from simkit.manifests.reader import Document

    return Document("", 0, obj)


class _Applier:
    def __init__(
        self, sim: Simulation, tx: Transaction, mode: str, namespace: str, enforce: bool
    ) -> None:
        self.sim = sim
        self.tx = tx
        self.mode = mode
        self.namespace = namespace
        self.enforce = enforce
        self.ctx = Context.of(sim, namespace)
        self.errors: list[ManifestError] = []
        self.result = ApplyResult(mode)
        self.seen: dict[tuple[str, tuple[str, str]], Manifest] = {}
        self.new_projects: dict[str, str] = {}
        self.loaded_accounts: list[tuple[str, str]] = []
        self.verb = "creating"

    # -- driver ---------------------------------------------------------------------------
    def run(self, manifests: list[Manifest]) -> ApplyResult:
        if self.mode == "load":
            # the whole input first: it is applied in dependency order, not file order
            parsed = [p for p in map(self._parse, manifests) if p is not None]
            parsed.sort(key=lambda mp: _LOAD_ORDER.get(mp[1].store, 99) if mp[1] else 100)
            self._implicit_namespaces([p for _, p in parsed if p is not None])
            for manifest, item in parsed:
                self._apply(manifest, item)
        else:
            # object by object, in order, as kubectl does
            for manifest in manifests:
                pair = self._parse(manifest)
                if pair is not None:
                    self._apply(*pair)
        if self.mode == "load" and not self.errors:
            self._settle()
        if self.errors:
            for error in self.errors:
                error.verb = error.verb or self.verb
            raise self.errors[0].with_more(self.errors[1:])
        return self.result

    def _parse(self, manifest: Manifest) -> tuple[Manifest, Parsed | None] | None:
        try:
            self._check_namespace(manifest)
            return manifest, parse_manifest(manifest, self.ctx)
        except ManifestError as exc:
            self.errors.append(exc)
            return None

    def _apply(self, manifest: Manifest, item: Parsed | None) -> None:
        if item is None:
            self._skip(manifest, f"simkit does not model {manifest.kind}")
            return
        if item.store == "ImageStreamImage" and self.mode != "load":
            from simkit.apiserver.errors import MethodNotAllowed

            self.errors.append(
                item.manifest.error(
                    MethodNotAllowed.MESSAGE, reason=MethodNotAllowed.reason, name=item.key[1]
                )
            )
            return
        if item.skip_reason:
            self._skip(manifest, item.skip_reason, item.label)
            return
        self.verb = "creating"
        try:
            self._one(item)
        except ManifestError as exc:
            self.errors.append(exc)
        except ApiError as exc:
            found = _FIELD_PATH.search(exc.message)  # the first field the server names
            self.errors.append(
                item.manifest.error(
                    exc.message,
                    reason=exc.reason,
                    name=item.key[1],
                    at=found.group(0) if found else "",
                )
            )
        self.result.warnings.extend(item.notes)

    def _check_namespace(self, manifest: Manifest) -> None:
        if not self.enforce or not manifest.namespace:
            return
        resource = for_kind(manifest.kind, manifest.group) if manifest.kind else None
        if resource is not None and not resource.namespaced:
            return
        if manifest.namespace != self.namespace:
            raise manifest.error(
                f'the namespace from the provided object "{manifest.namespace}" does not match '
                f'the namespace "{self.namespace}". You must pass '
                f"'--namespace={manifest.namespace}' to perform this operation.",
                field="metadata.namespace",
            )

    def _skip(self, manifest: Manifest, reason: str, label: str | None = None) -> None:
        if label is None:
            resource = for_kind(manifest.kind, manifest.group)
            prefix = resource.name_prefix if resource else manifest.kind.lower()
            label = f"{prefix}/{manifest.name or '<unknown>'}"
        self.result.outcomes.append(
            Outcome(
                manifest.kind,
                manifest.namespace,
                manifest.name,
                label,
                "skipped",
                manifest.source,
                reason,
            )
        )

    def _outcome(self, item: Parsed, action: str) -> None:
        self.result.outcomes.append(
            Outcome(
                item.manifest.kind,
                item.key[0],
                item.key[1],
                item.label,
                action,
                item.manifest.source,
            )
        )

    # -- namespaces -----------------------------------------------------------------------
    def _implicit_namespaces(self, items: list[Parsed]) -> None:
        listed = {p.key[1] for p in items if p.store == "Project"}
        needed = []
        for item in items:
            namespace = item.key[0]
            if namespace and namespace not in listed and namespace not in needed:
                needed.append(namespace)
        for namespace in needed:
            if self.tx.get("Project", ("", namespace)) is None:
                self.tx.put("Project", ("", namespace), Project(namespace, created=self.sim.now))
                self.tx.record("project_created", namespace=namespace, requester="", implicit=True)
                self.new_projects[namespace] = ""

    def _require_namespace(self, item: Parsed) -> None:
        namespace = item.key[0]
        if namespace and self.tx.get("Project", ("", namespace)) is None:
            raise item.manifest.error(
                f'namespaces "{namespace}" not found', reason="NotFound", name=item.key[1]
            )

    # -- one object -----------------------------------------------------------------------
    def _one(self, item: Parsed) -> None:
        self._require_namespace(item)
        store, key = item.store, item.key
        seen = self.seen.get((store, key))
        if seen is not None and self.mode == "load":
            where = seen.source or "the input"
            if seen.document is not None:
                where += f" document {seen.document.index}"
            raise item.manifest.error(
                f'{item.resource.qualified} "{key[1]}" is defined twice (first in {where})',
                name=key[1],
            )
        self.seen[(store, key)] = item.manifest
        if seen is not None and store in _DEFERRED:
            # created by its controller after the commit, so not staged: the first wins
            if self.mode == "create":
                raise item.manifest.error(
                    f'{item.resource.qualified} "{key[1]}" already exists',
                    reason="AlreadyExists",
                    name=key[1],
                )
            self._outcome(item, "unchanged")
            return
        existing = self._existing(store, key)
        if store == "Node" and existing is None:
            if self.mode == "load":
                self._skip(
                    item.manifest,
                    f"simkit's nodes are those the simulation was made "
                    f"with ({', '.join(self.sim.node_names)})",
                    item.label,
                )
                return
            raise item.manifest.error(
                _NEW_NODE.format(name=key[1], nodes=len(self.sim.node_names)),
                reason="Forbidden",
                name=key[1],
            )
        if existing is None or (self.mode == "create" and store == "ImageStreamTag"):
            # POST imagestreamtags is REST.Create whatever a GET would say
            self._create(item)
            action = "loaded" if self.mode == "load" else "created"
        elif self.mode == "create":
            raise item.manifest.error(
                f'{item.resource.qualified} "{key[1]}" already exists',
                reason="AlreadyExists",
                name=key[1],
            )
        elif self.mode == "load":
            self._replace(item, existing)
            action = "loaded"
        else:
            action = self._update(item, existing)
        if self.mode == "apply":
            self.tx.put(
                LAST_APPLIED_STORE,
                last_applied_key(store, key),
                encode(configuration(item.manifest.obj, key[0], store == "Secret")),
            )
        self._outcome(item, action)

    def _existing(self, store: str, key: tuple[str, str]) -> Any:
        if store == "ImageStreamTag":
            return self._istag_view(key)
        return self.tx.get(store, key)

    def _istag_view(self, key: tuple[str, str]) -> Any:
        """What ``GET imagestreamtags/NAME:TAG`` returns, or None for its NotFound (no
        stream, or no image in the tag's history: ``REST.Get``/``imageFor``)."""
        from simkit.manifests.images import image_stream_tag
        from simkit.refs import InvalidReference
        from simkit.refs.stream_names import parse_image_stream_tag_name

        try:
            name, tag = parse_image_stream_tag_name(key[1])
        except InvalidReference:
            return None
        stream = self.tx.get("ImageStream", (key[0], name))
        if stream is None:
            return None
        history = stream.status_tags.get(tag)
        if history is None or not history.items or not history.items[0].image:
            return None
        digest = history.items[0].image
        image = self.tx.get("Image", ("", digest))
        return image_stream_tag(stream, tag, {digest: image} if image is not None else None)

    # -- creating -------------------------------------------------------------------------
    def _create(self, item: Parsed) -> None:
        tx, sim, value, store = self.tx, self.sim, item.value, item.store
        if store == "ImageStream":
            self._create_stream(item)
        elif store == "Project":
            tx.put(store, item.key, value)
            tx.record("project_created", namespace=value.name, requester=value.requester)
            if self.mode == "load":
                self.new_projects[value.name] = value.requester
        elif store == "Pod":
            self._admit_pod(item)
            self._defer_pod(value)
        elif store in ("Deployment", "DeploymentConfig"):
            self._defer_workload(value)
        elif store == "ImageStreamTag":
            if self.mode == "load":
                self._put_istag(item, value)
            else:
                self._post_istag(value)
        elif store == "Image":
            from simkit.apiserver.images import create_image

            create_image(tx, value)
        else:
            if store == "Secret" and not value.uid:
                value.uid = _uid(sim.seed, "secret", *item.key)
            tx.put(store, item.key, value)
            tx.record(f"{store.lower()}_created", **_event_fields(item))
            self._loaded_hooks(item)

    def _create_stream(self, item: Parsed) -> None:
        from simkit.apiserver.imagestreams import create_stream

        stream = item.value
        if self.mode == "load" and item.has_status:
            self._restore_stream(stream)
            return
        create_stream(self.tx, stream, self.sim.now)

    def _restore_stream(self, stream) -> None:
        from simkit.apiserver.errors import Invalid
        from simkit.apiserver.imagestreams import QUALIFIED_KIND, record_changes
        from simkit.apiserver.validation import validate_image_stream

        errors = validate_image_stream(stream)
        if errors:
            raise Invalid(QUALIFIED_KIND, stream.name, errors)
        for ref in stream.spec_tags.values():
            if ref.generation is None:
                ref.generation = stream.generation
        self.tx.put("ImageStream", stream.key, stream)
        self.tx.record(
            "stream_created",
            namespace=stream.namespace,
            stream=stream.name,
            tags=len(stream.spec_tags),
            loaded=True,
        )
        record_changes(self.tx, stream, None)

    def _loaded_hooks(self, item: Parsed) -> None:
        if self.mode != "load":
            return
        if item.store == "ServiceAccount":
            self.loaded_accounts.append(item.key)
        elif item.store == "Secret":
            from simkit.manifests.provision import register_dump_tokens

            secret = item.value
            self.tx.after_commit(lambda: register_dump_tokens(self.sim, secret))

    def _admit_pod(self, item: Parsed) -> None:
        """``oc create -f``/``apply -f``: a pod whose service account does not exist is
        refused by the ServiceAccount admission plugin at once (403), and the command
        fails; a load describes a running cluster, whose accounts are provisioned."""
        from simkit.apiserver.admission import service_account_forbidden

        pod = item.value
        account = pod.service_account or "default"
        if self.mode == "load" or self.tx.get("ServiceAccount", (pod.namespace, account)):
            return
        refusal = service_account_forbidden(pod.namespace, pod.name, account)
        raise item.manifest.error(refusal.message, reason="Forbidden", name=pod.name)

    def _defer_pod(self, pod: PodSpec) -> None:
        sim = self.sim

        def create() -> None:
            sim.pod_controller.create(
                pod.namespace,
                pod.image,
                name=pod.name,
                pull_policy=pod.pull_policy,
                service_account=pod.service_account,
                node=pod.node,
                image_pull_secrets=pod.image_pull_secrets or None,
            )

        self.tx.after_commit(create)

    def _defer_workload(self, workload) -> None:
        sim = self.sim

        def create() -> None:
            sim.workload_controller.create(workload)

        self.tx.after_commit(create)

    # -- image stream tags ----------------------------------------------------------------
    @staticmethod
    def _split_istag(ist: Any) -> tuple[str, str]:
        from simkit.apiserver.errors import BadRequest
        from simkit.refs import InvalidReference
        from simkit.refs.stream_names import parse_image_stream_tag_name

        try:
            return parse_image_stream_tag_name(ist.name)
        except InvalidReference:
            raise BadRequest("ImageStreamTags must be retrieved with <name>:<tag>") from None

    def _post_istag(self, ist: Any) -> None:
        """``POST imagestreamtags``: ``REST.Create``."""
        from simkit.apiserver.imagestreams import create_tag

        name, tag = self._split_istag(ist)
        ref = copy.deepcopy(ist.tag)
        create_tag(
            self.tx,
            ist.namespace,
            name,
            tag,
            ref,
            self.sim.now,
            self.sim.config.internal_registry,
            annotations=ist.annotations,
        )

    def _put_istag(self, item: Parsed, ist: Any) -> bool:
        """``PUT imagestreamtags/NAME:TAG``: ``REST.Update``; whether the stream changed
        (an equal spec tag is not written, as an empty patch is not sent)."""
        from simkit.apiserver.errors import BadRequest
        from simkit.apiserver.imagestreams import set_tag

        namespace = ist.namespace
        name, tag = self._split_istag(ist)
        stream = self.tx.get("ImageStream", (namespace, name))
        old_ref = stream.spec_tags.get(tag) if stream is not None else None
        if ist.tag is not None:
            ref = copy.deepcopy(ist.tag)
        elif old_ref is not None:
            ref = copy.deepcopy(old_ref)
        else:
            raise BadRequest(
                f"imagestreamtag {tag} is not a spec tag in imagestream "
                f"{namespace}/{name}, cannot be updated"
            )
        ref.name = tag
        annotations = dict(ist.annotations)
        if old_ref is not None and _tag_spec(ref, annotations) == _tag_spec(old_ref):
            return False
        set_tag(
            self.tx,
            namespace,
            name,
            tag,
            ref,
            self.sim.now,
            self.sim.config.internal_registry,
            annotations=annotations,
        )
        return True

    # -- nodes ----------------------------------------------------------------------------
    def _restore_node(self, desired: Any) -> None:
        """A load: the dump's image store, capacity, bandwidth and readiness, written into
        the kubelet's own node after the commit (the kubelet owns that object)."""
        sim = self.sim

        def restore() -> None:
            live = sim.kubelet.node(desired.name)
            for digest in list(live.images):
                live.remove(digest)
            for digest, stored in desired.images.items():
                names = sorted(stored.names)
                image = live.store(names[0] if names else digest, digest, stored.size, sim.now)
                for name in names[1:]:
                    live.store(name, digest, stored.size, sim.now)
                if not names:
                    image.names.discard(digest)
                    live.names.pop(digest, None)
            live.disk_capacity = desired.disk_capacity
            live.bandwidth = desired.bandwidth
            live.ready = desired.ready
            with sim.transaction() as tx:
                tx.put("Node", live.key, live)

        self.tx.after_commit(restore)

    # -- replacing (load) -----------------------------------------------------------------
    def _replace(self, item: Parsed, existing: Any) -> None:
        tx, store, value = self.tx, item.store, item.value
        if store == "ImageStream":
            tx.delete(store, item.key)
            self._create_stream(item)
            return
        if store == "ImageStreamTag":
            self._put_istag(item, value)
            return
        if store == "Node":
            self._restore_node(value)
            return
        if store == "Image":
            from simkit.apiserver.images import update_image

            update_image(tx, value)
            return
        if store in ("Pod", "Deployment", "DeploymentConfig"):
            raise item.manifest.error(
                f'{item.resource.qualified} "{item.key[1]}" already exists',
                reason="AlreadyExists",
                name=item.key[1],
            )
        if store == "Project":
            value.created = existing.created
            value.requester = value.requester or existing.requester
        if store == "Secret":
            value.uid = value.uid or existing.uid
        tx.put(store, item.key, value)
        tx.record(f"{store.lower()}_updated", **_event_fields(item))
        self._loaded_hooks(item)

    # -- updating (apply) -----------------------------------------------------------------
    def _update(self, item: Parsed, existing: Any) -> str:
        self.verb = "applying"
        tx, sim, store, key = self.tx, self.sim, item.store, item.key
        recorded = tx.get(LAST_APPLIED_STORE, last_applied_key(store, key))
        new_config = encode(configuration(item.manifest.obj, key[0], store == "Secret"))
        if recorded is None:
            self.result.warnings.append(
                _NO_LAST_APPLIED.format(name=f"{item.resource.name}/{key[1]}")
            )
        old = json.loads(recorded) if recorded else None
        new = dict(item.manifest.obj)
        if key[0]:
            new["metadata"] = {**dict(new.get("metadata") or {}), "namespace": key[0]}
        live = live_dict(store, existing, sim, item.manifest.group)
        merged = three_way(live, old, new)
        manifest = Manifest(
            merged, item.manifest.source, item.manifest.document, item.manifest.item
        )
        desired = parse_manifest(manifest, self.ctx)
        assert desired is not None
        changed = self._change(item, existing, desired.value)
        return "configured" if changed or recorded != new_config else "unchanged"

    def _change(self, item: Parsed, existing: Any, desired: Any) -> bool:
        """Stage the change from ``existing`` to ``desired``; whether there was one."""
        tx, store, key = self.tx, item.store, item.key
        if store == "ImageStream":
            return self._change_stream(existing, desired)
        if store in ("Pod", "Deployment", "DeploymentConfig"):
            return self._change_workload(item, existing, desired)
        if store == "ImageStreamTag":
            return self._put_istag(item, desired)
        if store == "Image":
            from simkit.apiserver.images import update_image

            return update_image(tx, desired)
        if store == "Node":
            # the API server keeps status on an update; the labels and annotations it would
            # store are not modelled (simkit writes its own), so nothing changes
            if desired.bandwidth != existing.bandwidth:
                self.result.warnings.append(
                    f"Warning: node/{key[1]}: simkit does not change a node's labels or "
                    f"annotations; its bandwidth stays {existing.bandwidth!r} bytes/s"
                )
            return False
        if store == "Project":
            desired.created, desired.requester = existing.created, existing.requester
        elif store == "ServiceAccount":
            desired.created = existing.created
            for name, value in existing.annotations.items():
                desired.annotations.setdefault(name, value)
        elif store == "Secret":
            if desired.type != existing.type:
                raise item.manifest.error(
                    f'Secret "{key[1]}" is invalid: type: Invalid value: '
                    f'"{desired.type}": field is immutable',
                    field="type",
                    reason="Invalid",
                    name=key[1],
                )
            desired.uid, desired.created = existing.uid, existing.created
        elif store in ("RoleBinding", "ClusterRoleBinding") and (
            desired.role_ref != existing.role_ref
        ):
            raise item.manifest.error(
                f'{store}.rbac.authorization.k8s.io "{key[1]}" is invalid: roleRef: Invalid '
                f"value: {{APIGroup:rbac.authorization.k8s.io, Kind:{desired.role_ref.kind}, "
                f"Name:{desired.role_ref.name}}}: cannot change roleRef",
                field="roleRef",
                reason="Invalid",
                name=key[1],
            )
        if desired == existing:
            return False
        tx.put(store, key, desired)
        tx.record(f"{store.lower()}_updated", **_event_fields(item))
        return True

    def _change_stream(self, existing, desired) -> bool:
        from simkit.apiserver.imagestreams import update_stream

        desired.status_tags = existing.copy().status_tags
        desired.created = existing.created
        desired.generation = existing.generation
        if _stream_spec(desired) == _stream_spec(existing):
            return False
        update_stream(self.tx, existing, desired, self.sim.now)
        return True

    def _change_workload(self, item: Parsed, existing: Any, desired: Any) -> bool:
        from simkit.refs import default_pull_policy

        store, key = item.store, item.key
        if store == "Pod":
            same = (
                desired.image == existing.image
                and (desired.pull_policy or default_pull_policy(desired.image))
                == existing.pull_policy
                and desired.service_account == existing.service_account
            )
            if not same:
                raise item.manifest.error(
                    f'Pod "{key[1]}" is invalid: spec: Forbidden: simkit does not update a '
                    "pod's image, pull policy or service account; delete and recreate the pod",
                    field="spec",
                    reason="Invalid",
                    name=key[1],
                )
            return False
        if [(t.stream_tag, t.namespace, t.automatic) for t in desired.triggers] != [
            (t.stream_tag, t.namespace, t.automatic) for t in existing.triggers
        ]:
            raise item.manifest.error(
                f'{store} "{key[1]}": simkit does not change a workload\'s image triggers '
                "after creation; delete and recreate it",
                field="spec",
                name=key[1],
            )
        image_changed = not desired.triggers and desired.template_image != existing.template_image
        policy_changed = desired.pull_policy != existing.pull_policy
        replicas_changed = desired.replicas != existing.replicas
        if not (image_changed or policy_changed or replicas_changed):
            return False
        sim = self.sim

        def change() -> None:
            live = sim.cluster.get(store, key)
            if live is None:
                return
            if image_changed or policy_changed:
                if image_changed:
                    live.template_image = desired.template_image
                live.pull_policy = desired.pull_policy
                sim.workload_controller.rollout(live, cause="apply")
            if replicas_changed:
                sim.workload_controller.scale(store, key[0], key[1], desired.replicas)

        self.tx.after_commit(change)
        self.tx.record(f"{store.lower()}_updated", **_event_fields(item))
        return True

    # -- settling (load) ------------------------------------------------------------------
    def _settle(self) -> None:
        from simkit.manifests.provision import provision_project, settle_service_account

        for namespace, requester in self.new_projects.items():
            provision_project(self.sim, self.tx, namespace, requester)
        keys = list(self.loaded_accounts)
        for namespace in self.new_projects:
            keys += [sa.key for sa in self.tx.list("ServiceAccount", namespace)]
        for key in dict.fromkeys(keys):
            settle_service_account(self.sim, self.tx, key)


def _tag_spec(ref, annotations: Mapping[str, str] | None = None) -> tuple:
    """What a spec tag sets (``annotations`` instead of the tag's own, when given);
    nil and empty annotations alike, as apimachinery's semantic equality has them."""
    notes = ref.annotations if annotations is None else annotations
    return (
        ref.source,
        ref.reference,
        ref.insecure,
        ref.scheduled,
        ref.import_mode,
        ref.reference_policy,
        dict(notes or {}),
    )


def _stream_spec(stream) -> tuple:
    tags = {
        name: (
            ref.source,
            ref.reference,
            ref.insecure,
            ref.scheduled,
            ref.import_mode,
            ref.reference_policy,
            ref.annotations,
        )
        for name, ref in stream.spec_tags.items()
    }
    return (stream.lookup_local, stream.labels, stream.annotations, tags)


def _event_fields(item: Parsed) -> dict[str, Any]:
    fields: dict[str, Any] = {"namespace": item.key[0] or None, "name": item.key[1]}
    value = item.value
    if item.store in ("RoleBinding", "ClusterRoleBinding"):
        fields["role"] = value.role_ref.name
        fields["subjects"] = len(value.subjects)
    elif item.store == "Secret":
        fields["type"] = value.type
        fields["keys"] = ",".join(sorted(value.data))
    elif item.store == "Group":
        fields["users"] = len(value.users)
    return fields


def _uid(seed: int, *parts: str) -> str:
    h = hashlib.sha256("/".join((str(seed), *parts)).encode()).hexdigest()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"
