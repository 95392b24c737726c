"""The :class:`Simulation`: a cluster, its registries and controllers, on one clock."""

from __future__ import annotations

import datetime
import gc
import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from simkit.apiserver.imagestreamimport import ImportRequest, ImportStatus, import_stream
from simkit.config import Config
from simkit.durations import parse_duration
from simkit.engine import Engine
from simkit.eventlog import EventLog
from simkit.refs import InvalidReference, split_istag
from simkit.rules.tags import latest_tagged_image, resolve_reference_for_tag_event
from simkit.state.cluster import Cluster, Transaction
from simkit.state.images import ImageStream
from simkit.state.projects import DEFAULT_PROJECTS
from simkit.state.registries import (
    DOCKER_HUB_ALIASES,
    MiB,
    Registry,
    RegistryImage,
    RegistryUnavailable,
    registry_address,
)


class Simulation:
    """A simulated OpenShift cluster: projects, image streams, registries and controllers.

    Parameters
    ----------
    seed : int
        Seeds the one random generator; the same seed and calls give the same event log.
    start : str or Timestamp
        The wall-clock time of ``sim.now == 0``.
    nodes : int
        Worker nodes ``worker-0`` ...
    config : Config, optional
        Cluster settings (import interval, throttles, backoff ...).

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation(seed=1)
    >>> quay = sim.registry("quay.io")
    >>> _ = quay.push("acme/app", "1.0")
    >>> _ = sim.oc("tag quay.io/acme/app:1.0 app:1.0 -n default")
    >>> sim.advance("1m")
    >>> sim.tag_image("default/app:1.0") == quay.tags("acme/app")["1.0"]
    True
    """

    def __init__(
        self,
        seed: int = 0,
        start: str | pd.Timestamp = "2026-01-01T00:00:00Z",
        nodes: int = 3,
        *,
        config: Config | None = None,
    ) -> None:
        from simkit.controllers.imagestream_controller import ImageImportController
        from simkit.controllers.kubelet import Kubelets
        from simkit.controllers.pods import PodController
        from simkit.controllers.pull_secret import PullSecretRollout
        from simkit.controllers.scheduled_imports import ScheduledImportController
        from simkit.controllers.service_accounts import ServiceAccountController
        from simkit.controllers.workloads import WorkloadController

        self.seed = int(seed)
        self.start = _utc(start)
        self._start_datetime = self.start.to_pydatetime()
        self.config = config or Config()
        self.engine = Engine()
        self.rng = np.random.default_rng(self.seed)
        self.log = EventLog()
        self.cluster = Cluster()
        self.registries: dict[str, Registry] = {}
        self.current_project = "default"
        if int(nodes) < 1:
            raise ValueError(f"nodes: a cluster needs at least one worker node, got {nodes}")
        self.node_names = [f"worker-{i}" for i in range(int(nodes))]
        self.integrated_registry_blobs: set[str] = set()
        self._tokens: dict[str, str] = {}
        self._keyrings: dict[tuple, tuple[list, object]] = {}
        # what load_manifests read (files, objects, loaded and skipped per kind,
        # warnings); None for a simulation not made from manifests
        self.manifest_summary: dict | None = None
        self.import_controller = ImageImportController(self)
        self.scheduled_import_controller = ScheduledImportController(self)
        self.service_account_controller = ServiceAccountController(self)
        self.kubelet = Kubelets(self)
        self.pod_controller = PodController(self)
        self.workload_controller = WorkloadController(self)
        self.pull_secret_rollout = PullSecretRollout(self)
        self.service_account_controller.bootstrap(DEFAULT_PROJECTS)
        self.image_pruner = None
        if self.config.image_pruner_schedule is not None:
            from simkit.controllers.image_pruner import ImagePruner

            self.image_pruner = ImagePruner(self, self.config.image_pruner_schedule)
        self.pull_secret_rollout.bootstrap()

    def __repr__(self) -> str:
        return (
            f"<Simulation seed={self.seed} at {self.clock.isoformat()}: "
            f"{len(self.cluster.store('Project'))} projects, "
            f"{len(self.cluster.store('ImageStream'))} image streams, "
            f"{len(self.registries)} registries, {len(self.log)} events>"
        )

    def _repr_html_(self) -> str:
        from simkit.display import simulation_html

        return simulation_html(self)

    # -- time -------------------------------------------------------------------------
    @property
    def now(self) -> float:
        """Seconds since the start."""
        return self.engine.now

    @property
    def clock(self) -> pd.Timestamp:
        """The current time as a UTC :class:`pandas.Timestamp`."""
        return self.start + pd.Timedelta(seconds=self.engine.now)

    def timestamp(self, seconds: float) -> pd.Timestamp:
        """The UTC time of simulation second ``seconds``."""
        return self.start + pd.Timedelta(seconds=seconds)

    def rfc3339(self, seconds: float | None = None) -> str:
        """``2026-01-01T00:15:00Z``: a simulation time as the API prints it."""
        whole = math.floor(self.engine.now if seconds is None else seconds)
        return (self._start_datetime + datetime.timedelta(seconds=whole)).strftime(
            "%Y-%m-%dT%H:%M:%SZ")

    def advance(self, duration: float | str) -> None:
        """Run the simulation forward by ``duration`` (seconds, or ``"90s"``, ``"7d"`` ...)."""
        seconds = parse_duration(duration)
        self._run(self.engine.now + seconds)

    def run_until(self, when: float | str | pd.Timestamp) -> None:
        """Run until an absolute time: seconds since start, or a timestamp."""
        if isinstance(when, int | float):
            target = float(when)
        else:
            target = (_utc(when) - self.start).total_seconds()
        self._run(target)

    def _run(self, until: float) -> None:
        """Run the engine to ``until`` with CPython's cyclic collector tuned for it.

        A simulation allocates objects that mostly live long (state, history, the log);
        with the default young-generation threshold (700) the collector runs every few
        hundred events and its full passes re-traverse all of them, about a fifth of a
        long run's time.  A threshold of 50,000 makes those passes rare; the previous
        thresholds come back when the run returns, also on error.
        """
        previous = gc.get_threshold()
        gc.set_threshold(max(previous[0], 50_000), *previous[1:])
        try:
            self.engine.run(until=until)
        finally:
            gc.set_threshold(*previous)

    # -- events -----------------------------------------------------------------------
    def record(self, kind: str, **fields: object) -> None:
        """Append an event of ``kind`` at the current time to the log."""
        self.log.record(self.engine.now, kind, **fields)

    @property
    def events(self) -> pd.DataFrame:
        """Every event so far, one row each, with ``time`` (UTC) and ``kind`` columns."""
        return self.log.to_frame(self.start)

    def events_of(self, *kinds: str, columns: Iterable[str] | None = None) -> pd.DataFrame:
        """The events of ``kinds`` only, with only ``columns`` (every field by default).

        The same rows and values as filtering :attr:`events` by kind, indexed by their
        positions in the log, with ``time``, ``seconds`` and ``kind`` always; built
        from those kinds' records alone (:meth:`simkit.eventlog.EventLog.frame`), so
        its cost follows their number, not the log's.  Kind names are in
        :mod:`simkit.events`.

        Examples
        --------
        >>> import simkit as sk
        >>> from simkit.events import REGISTRY_PUSH
        >>> sim = sk.Simulation()
        >>> _ = sim.registry("quay.io").push("acme/app", "1.0")
        >>> sim.events_of(REGISTRY_PUSH, columns=["repository", "tag"])[["kind", "tag"]]
                     kind  tag
        10  registry_push  1.0
        """
        return self.log.frame(kinds, columns, start=self.start)

    def transaction(self) -> Transaction:
        """A transaction on the cluster whose events are logged at commit, at ``now``."""
        return self.cluster.transaction(self.record)

    # -- registries -------------------------------------------------------------------
    def registry(
        self,
        host: str,
        users: dict[str, str] | None = None,
        auth_server: str | None = None,
        *,
        insecure: bool = False,
    ) -> Registry:
        """The external registry at ``host``, made on first call.

        ``users`` makes it private; ``auth_server`` delegates authentication to another
        host; ``insecure`` makes it plain HTTP.  Later calls return the same registry
        and update whichever of these are given.
        """
        host = DOCKER_HUB_ALIASES.get(host, host)
        if not host or "/" in host:
            raise ValueError(f"registry host {host!r}: expected a host name such as 'quay.io'")
        registry = self.registries.get(host)
        if registry is None:
            registry = Registry(
                host,
                clock=lambda: self.engine.now,
                record=self.record,
                users=users,
                auth_server=auth_server,
                insecure=insecure,
                seed=self.seed,
                size_sampler=self._sample_image_size,
            )
            self.registries[host] = registry
            registry.on_change(
                lambda repository, host=host: self.scheduled_import_controller.source_changed(
                    host, repository
                )
            )
            self.record("registry_created", registry=host, private=bool(users),
                        auth_server=auth_server)
        else:
            if users is not None:
                registry.users = dict(users)
            if auth_server is not None:
                registry.auth_server = auth_server
            if insecure:
                registry.insecure = True
        return registry

    def _sample_image_size(self) -> int:
        return int(self.rng.lognormal(mean=np.log(150), sigma=0.6) * MiB)

    # -- credentials ------------------------------------------------------------------
    def register_token(self, token: str, username: str) -> None:
        """Remember whose ``token`` this is (the integrated registry authenticates it)."""
        self._tokens[token] = username

    def token_identity(self, token: str) -> str | None:
        """The user a bearer token authenticates as, or None."""
        return self._tokens.get(token)

    def namespace_keyring(self, namespace: str):
        """A keyring of every registry pull secret in ``namespace`` (what imports and
        pull-through present, ``ImageStreams(ns).Secrets``)."""
        from simkit.credentials import keyring_from_secrets
        from simkit.state.accounts import PULL_SECRET_KEYS

        secrets = [s for s in self.cluster.list("Secret", namespace) if s.type in PULL_SECRET_KEYS]
        return self._cached_keyring(("namespace", namespace), secrets,
                                    lambda: keyring_from_secrets(secrets))

    def _cached_keyring(self, key: tuple, inputs: list, build):
        """Keyrings are rebuilt only when their secrets change (objects are replaced, never
        edited in place, so identity tells)."""
        cached = self._keyrings.get(key)
        if cached is not None and len(cached[0]) == len(inputs) and all(
            a is b for a, b in zip(cached[0], inputs, strict=True)
        ):
            return cached[1]
        keyring = build()
        self._keyrings[key] = (list(inputs), keyring)
        return keyring

    def credentials_for(self, namespace: str, image: str) -> list[tuple[str, str]]:
        """``(username, password)`` pairs ``namespace``'s secrets offer for ``image``
        (a bare host stands for any repository on it)."""
        target = image if "/" in image else f"{image}/token"
        try:
            found = self.namespace_keyring(namespace).lookup(target)
        except ValueError:
            return []
        return [(c.username, c.password) for c in found]

    def node_keyring(self, node: str):
        """The node's ``config.json`` keyring: the global pull secret rolled out to it."""
        from simkit.credentials import Keyring

        config = self.kubelet.node(node).config_json
        return self._cached_keyring(
            ("node", node), [config],
            lambda: Keyring.from_docker_config(config, source="node") if config else Keyring(),
        )

    def pod_keyring_lookup(self, pod):
        """``lookup(image)``: the pod's pull secrets first, then its node's config.json."""
        from simkit.credentials import UnionKeyring, keyring_from_secrets

        secrets = []
        for name in pod.image_pull_secrets:
            secret = self.cluster.get("Secret", (pod.namespace, name))
            if secret is None:
                self.record("pull_secret_missing", namespace=pod.namespace, pod=pod.name,
                            secret=name, reason="FailedToRetrieveImagePullSecret")
                continue
            secrets.append(secret)
        pod_keyring = self._cached_keyring(("pod", pod.namespace, *pod.image_pull_secrets),
                                           secrets, lambda: keyring_from_secrets(secrets))
        union = UnionKeyring([pod_keyring, self.node_keyring(pod.node)])

        def lookup(image: str):
            try:
                return union.lookup(image)
            except ValueError:
                return []

        return lookup

    def secret_fingerprint(self, secret) -> str:
        """A hash of a pull secret's contents (KEP-2535's credential hash), safe to show."""
        import hashlib

        digest = hashlib.sha256()
        for key in sorted(secret.data):
            digest.update(key.encode() + b"\0" + secret.data[key] + b"\0")
        return digest.hexdigest()

    def fetch_for_import(self, namespace: str, pull_spec: str, insecure: bool) -> RegistryImage:
        """What the image importer gets for ``pull_spec`` on behalf of ``namespace``."""
        host, repository, reference = registry_address(pull_spec)
        registry = self.registries.get(host)
        if registry is None:
            raise RegistryUnavailable(
                f'Get "https://{host}/v2/": dial tcp: lookup {host}: no such host'
            )
        credentials = self.credentials_for(namespace, pull_spec) or [None]
        last_error = None
        for credential in credentials:
            try:
                return registry.fetch(
                    repository, reference, credentials=credential,
                    client=f"cluster:{namespace}", insecure_ok=insecure,
                    authorize_delegate=lambda auth_host: self._delegate_ok(namespace, auth_host),
                )
            except Exception as exc:  # noqa: BLE001 - re-raised below if all fail
                last_error = exc
        raise last_error

    def _delegate_ok(self, namespace: str, auth_host: str) -> bool:
        auth = self.registries.get(auth_host)
        if auth is None:
            return False
        return any(auth.authenticate(c) for c in self.credentials_for(namespace, auth_host))

    # -- pods and workloads ---------------------------------------------------------------
    def run_pod(
        self,
        namespace: str,
        image: str,
        *,
        pull_policy: str | None = None,
        service_account: str = "default",
        node: str | None = None,
        image_pull_secrets: list[str] | None = None,
        name: str | None = None,
    ):
        """Create a pod now; see :class:`~simkit.state.workloads.Pod` for its status.

        The pull policy defaults as Kubernetes does (``latest`` or no tag: Always).
        """
        return self.pod_controller.create(
            namespace, image, name=name, pull_policy=pull_policy,
            service_account=service_account, node=node, image_pull_secrets=image_pull_secrets,
        )

    def deploy(
        self,
        namespace: str,
        name: str,
        image: str = "",
        *,
        replicas: int = 1,
        pull_policy: str | None = None,
        trigger: str | None = None,
        kind: str = "Deployment",
        service_account: str = "default",
        automatic: bool = True,
    ):
        """Create a Deployment (or DeploymentConfig) whose pods run ``image``.

        ``trigger="stream:tag"`` (or ``"ns/stream:tag"``) adds an image trigger: the
        workload follows that image stream tag and rolls out when it moves.
        """
        from simkit.state.workloads import ImageTrigger, Workload

        triggers = []
        if trigger:
            trigger_ns, _, stream_tag = trigger.rpartition("/")
            if ":" not in stream_tag:
                raise ValueError(f"trigger {trigger!r}: expected STREAM:TAG")
            triggers.append(ImageTrigger(stream_tag, trigger_ns or namespace,
                                         automatic=automatic))
        if not image and not triggers:
            raise ValueError("deploy: give an image, a trigger, or both")
        if self.cluster.get("Project", ("", namespace)) is None:
            raise ValueError(f'namespaces "{namespace}" not found')
        workload = Workload(kind, namespace, name, image or " ", replicas=replicas,
                            pull_policy=pull_policy, service_account=service_account,
                            triggers=triggers)
        return self.workload_controller.create(workload)

    def pods(self, namespace: str | None = None) -> list:
        """The pods that exist now (admitted, not deleted)."""
        return self.cluster.list("Pod", namespace)

    def import_now(
        self, namespace: str, name: str, tags: list[str], cause: str = "manual"
    ) -> list[ImportStatus]:
        """Run one ImageStreamImport of the spec tags ``tags`` now and commit its result."""
        with self.transaction() as tx:
            stream = tx.get("ImageStream", (namespace, name))
            if stream is None:
                return []
            requests = [ImportRequest.for_tag(stream, tag) for tag in tags]
            return import_stream(
                tx, namespace, name, requests, self.fetch_for_import, self.engine.now,
                self.rfc3339(), cause, self.config.internal_registry,
            )

    # -- queries ----------------------------------------------------------------------
    def stream(self, namespace: str, name: str) -> ImageStream | None:
        """The image stream ``namespace/name`` as stored now, or None."""
        return self.cluster.get("ImageStream", (namespace, name))

    def _stream_tag(self, spec: str) -> tuple[ImageStream | None, str]:
        namespace, _, rest = spec.rpartition("/")
        namespace = namespace or self.current_project
        try:
            name, tag = split_istag(rest)
        except InvalidReference as exc:
            raise ValueError(f"{spec!r}: expected NAMESPACE/STREAM:TAG ({exc})") from None
        return self.stream(namespace, name), tag

    def tag_image(self, spec: str) -> str | None:
        """The image (digest) ``"ns/stream:tag"`` points at now, or None.

        A ``--reference`` tag has no image in the cluster, so it gives None too; see
        :meth:`pull_spec` for what it points at.
        """
        stream, tag = self._stream_tag(spec)
        if stream is None:
            return None
        event = latest_tagged_image(stream, tag)
        if event is None or not event.image:
            return None
        return event.image

    def pull_spec(self, spec: str) -> str:
        """The pull spec a trigger or pod uses for ``"ns/stream:tag"``, reference policy applied.

        Raises ``LookupError`` when the tag points at nothing yet.
        """
        stream, tag = self._stream_tag(spec)
        if stream is None:
            raise LookupError(f"{spec}: no such image stream")
        event = latest_tagged_image(stream, tag)
        if event is None:
            raise LookupError(f"{spec}: the tag does not point at an image yet")
        ref = stream.spec_tags.get(tag)
        policy = ref.reference_policy if ref is not None else "Source"
        return resolve_reference_for_tag_event(stream, policy, event)

    def can_pull(self, subject: str, target: str) -> bool:
        """May ``subject`` (a user, or ``system:serviceaccount:NS:NAME``) get
        ``imagestreams/layers`` on ``target`` (``"ns/stream"``), through any role, binding
        or group?"""
        from simkit.access import can_pull

        return can_pull(self.cluster, subject, target)

    def explain_pull(self, subject: str, target: str):
        """The chains of group, binding, role and rule that let ``subject`` pull ``target``
        (or why nothing does)."""
        from simkit.access import explain_pull

        return explain_pull(self.cluster, subject, target)

    def oc(self, command: str) -> str:
        """Run one ``oc`` command line (the text after ``oc``) now, as the cluster admin."""
        from simkit.oc import run_oc

        return run_oc(self, command)


def _utc(value: str | pd.Timestamp) -> pd.Timestamp:
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is None:
        return stamp.tz_localize("UTC")
    return stamp.tz_convert("UTC")
