"""The :class:`Simulation`: a cluster, its registries and controllers, on one clock."""

from __future__ import annotations

import datetime
import gc
import math
import weakref
from collections.abc import Callable, Iterable
from functools import partial
from typing import TYPE_CHECKING, ClassVar

import numpy as np
import pandas as pd

from simkit.apiserver.imagestreamimport import ImportRequest, ImportStatus, import_stream
from simkit.config import Config
from simkit.credentials import Keyring, UnionKeyring, keyring_from_secrets
from simkit.durations import parse_duration
from simkit.engine import Engine
from simkit.eventlog import EventLog
from simkit.refs import InvalidReference, parse_image, split_istag
from simkit.rules.pull_access import decide_pull_access, external_attempts
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

if TYPE_CHECKING:
    from simkit.scenarios.schema import Scenario


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

    _created: ClassVar[list[weakref.ref[Simulation]]] = []
    """Every Simulation still alive, oldest first (the notebook magics' "last one made")."""

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
        self._rfc3339_last: tuple[int | None, str] = (None, "")  # (second, its text)
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
        # namespace -> (the cluster's Secret version, its namespace_lookup)
        self._namespace_lookups: dict[str, tuple[int, Callable[[str], list]]] = {}
        # (namespace, *secret names) -> (the cluster's Secret version, the names missing
        # then, the keyring of those that exist): _pod_keyring's
        self._pod_keyrings: dict[tuple[str, ...], tuple[int, tuple[str, ...], object]] = {}
        # what load_manifests read (files, objects, loaded and skipped per kind,
        # warnings); None for a simulation not made from manifests
        self.manifest_summary: dict | None = None
        # the scenario a simkit.scenarios.build made this simulation from, else None
        self.scenario: Scenario | None = None
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
        alive = [ref for ref in Simulation._created if ref() is not None]
        Simulation._created[:] = [*alive, weakref.ref(self)]

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

    # (first, end, "YYYY-MM-DDT"): the whole seconds first <= s < end are the day of that
    # date (an instance attribute once rfc3339 sets it)
    _rfc3339_day: tuple[int, int, str] = (0, 0, "")

    def rfc3339(self, seconds: float | None = None) -> str:
        """``2026-01-01T00:15:00Z``: a simulation time as the API prints it."""
        whole = math.floor(self.engine.now if seconds is None else seconds)
        last, text = self._rfc3339_last
        if whole == last:  # many calls ask for the same second
            return text
        start = self._start_datetime
        if not start.microsecond:
            # most others ask for another second of the same day (a UTC day has 86,400
            # seconds: datetime knows no leap seconds): strftime's date is kept
            first, end, date = self._rfc3339_day
            if not first <= whole < end:
                of_day = (whole + start.hour * 3600 + start.minute * 60 + start.second) % 86400
                first, end = whole - of_day, whole - of_day + 86400
                date = (start + datetime.timedelta(seconds=whole)).strftime("%Y-%m-%dT")
                self._rfc3339_day = (first, end, date)
            hour, rest = divmod(whole - first, 3600)
            text = f"{date}{hour:02d}:{rest // 60:02d}:{rest % 60:02d}Z"
        else:
            text = (start + datetime.timedelta(seconds=whole)).strftime("%Y-%m-%dT%H:%M:%SZ")
        self._rfc3339_last = (whole, text)
        return text

    def year(self) -> str:
        """The UTC year now, as :meth:`rfc3339` begins: ``"2026"``.

        An upstream rebuild's ``fixes`` label names it at every rebuild: the date of the
        day :meth:`rfc3339` last formatted is kept, and any second of that day has its
        year, so most calls format nothing (the year of ``rfc3339()[:4]``, the same text).

        Examples
        --------
        >>> import simkit as sk
        >>> sim = sk.Simulation(start="2026-12-31T23:00:00Z")
        >>> sim.year(), sim.rfc3339()
        ('2026', '2026-12-31T23:00:00Z')
        >>> sim.advance("1h")
        >>> sim.year()
        '2027'
        """
        first, end, date = self._rfc3339_day
        if first <= self.engine.now < end:  # the day's seconds are whole: floor(now) is too
            return date[:4]
        return self.rfc3339()[:4]

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

        A simulation allocates objects that mostly live long (state, history, the log)
        and, in steady state, no cyclic garbage at all: every collection over days of
        ``benchmarks/cluster_year.py``'s cluster found 0 objects to free.  Collections are
        then pure cost: each re-traverses the survivors of the ones before.  With the
        default young-generation threshold (700) that was about a fifth of a long run;
        at 50,000 with the default middle threshold (10), 19 collections a week still
        took 1.35 s of its ~20 s.  A young threshold of 1,000,000 and a middle one of
        100 leave one collection in six days (0.46 s) while still bounding what cyclic
        garbage a scenario could leave (a million young objects).  The previous
        thresholds come back when the run returns, also on error.
        """
        previous = gc.get_threshold()
        gc.set_threshold(max(previous[0], 1_000_000), max(previous[1], 100), *previous[2:])
        try:
            self.engine.run(until=until)
        finally:
            gc.set_threshold(*previous)

    # -- events -----------------------------------------------------------------------
    def record(self, kind: str, /, **fields: object) -> None:
        """Append an event of ``kind`` at the current time to the log."""
        # Hands the log the dict Python just packed (record_fields): log.record(**fields)
        # would unpack it and pack the same fields into a new dict, for every event.
        # ``kind`` is positional-only so that no field name is compared with the named
        # parameters: CPython 3.11 checks every keyword bound for **fields against each
        # of them by string comparison after the pointer check fails (~0.15 us a record
        # of 10 fields).
        self.log.record_fields(self.engine.now, kind, fields)

    @property
    def events(self) -> pd.DataFrame:
        """Every event so far, one row each, with ``time`` (UTC) and ``kind`` columns."""
        return self.log.to_frame(self.start)

    def events_of(
        self, *kinds: str, columns: Iterable[str] | None = None, having: Iterable[str] = ()
    ) -> pd.DataFrame:
        """The events of ``kinds`` only, with only ``columns`` (every field by default).

        The same rows and values as filtering :attr:`events` by kind, indexed by their
        positions in the log, with ``time``, ``seconds`` and ``kind`` always; built
        from those kinds' records alone (:meth:`simkit.eventlog.EventLog.frame`), so
        its cost follows their number, not the log's.  Kind names are in
        :mod:`simkit.events`.  ``having`` keeps only the events that have all those
        fields (as :meth:`~simkit.eventlog.EventLog.frame` does), without reading the
        others.

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
        return self.log.frame(kinds, columns, start=self.start, having=having)

    def transaction(self) -> Transaction:
        """A transaction on the cluster whose events are logged at commit, at ``now``."""
        log, engine = self.log, self.engine
        # the log takes each event's fields as the dict the transaction packed (what
        # self.record would do with them, without unpacking and repacking them)
        return self.cluster.transaction(
            self.record, lambda kind, fields: log.record_fields(engine.now, kind, fields)
        )

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
        host (the guide's "delegated authentication"): a pull then needs credentials for
        both hosts in the pod's pull secrets.  The token server need not be declared: an
        undeclared one accepts this registry's own users, one declared with
        ``sim.registry(HOST, users=...)`` checks its own
        (:mod:`simkit.rules.pull_access`).  ``insecure`` makes it plain HTTP.  Later calls
        return the same registry and update whichever of these are given.

        Examples
        --------
        >>> import simkit as sk
        >>> sim = sk.Simulation()
        >>> reg = sim.registry("privateregistry.example.com", users={"me": "pw"},
        ...                    auth_server="sso.example.com")
        >>> _ = reg.push("team/app", "1.0")
        >>> for host in ("privateregistry.example.com", "sso.example.com"):
        ...     _ = sim.oc(f"create secret docker-registry {host.split('.')[0]} "
        ...                f"--docker-server={host} --docker-username=me --docker-password=pw")
        ...     _ = sim.oc(f"secrets link default {host.split('.')[0]} --for=pull")
        >>> sim.explain_pull("system:serviceaccount:default:default",
        ...                  "privateregistry.example.com/team/app:1.0").allowed
        True
        >>> pod = sim.run_pod("default", "privateregistry.example.com/team/app:1.0")
        >>> sim.advance("1m")
        >>> pod.status
        'Running'
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

            # the controller's own method with the host bound: a closure calling it was
            # one more Python frame at every push
            registry.on_change(partial(self.scheduled_import_controller.source_changed, host))
            self.record(
                "registry_created", registry=host, private=bool(users), auth_server=auth_server
            )
            # a declared token server checks its own users from now on: what the
            # registries delegating to it accept may change
            self.scheduled_import_controller.source_changed(host, None)
        else:
            if users is not None:
                registry.users = dict(users)
            if auth_server is not None:
                registry.auth_server = auth_server
            if insecure:
                registry.insecure = True
        return registry

    # the log of the median size, 150 MiB: computed once, not at every push
    _LOG_MEDIAN_SIZE: ClassVar[float] = float(np.log(150))

    def _sample_image_size(self) -> int:
        return int(self.rng.lognormal(mean=self._LOG_MEDIAN_SIZE, sigma=0.6) * MiB)

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
        return self._cached_keyring(
            ("namespace", namespace), secrets, lambda: keyring_from_secrets(secrets)
        )

    def _cached_keyring(self, key: tuple, inputs: list, build):
        """Keyrings are rebuilt only when their secrets change (objects are replaced, never
        edited in place, so identity tells)."""
        cached = self._keyrings.get(key)
        if cached is not None:
            previous = cached[0]
            # a plain loop: every pull and import asks, with one or two inputs, and a
            # generator per ask cost more than the comparison
            if len(previous) == len(inputs):
                for old, new in zip(previous, inputs, strict=True):
                    if old is not new:
                        break
                else:
                    return cached[1]
        keyring = build()
        self._keyrings[key] = (list(inputs), keyring)
        return keyring

    def namespace_lookup(self, namespace: str):
        """``lookup(image)``: the credentials ``namespace``'s registry secrets offer (what
        imports and pull-through present), in keyring order."""
        # Every import asks, and listing the namespace's secrets to find its keyring
        # unchanged cost more than the rest of the lookup: while no Secret anywhere has
        # changed, the secrets are the same objects, so is the keyring, and so is the
        # lookup made from it.
        version = self.cluster.version("Secret")
        cached = self._namespace_lookups.get(namespace)
        if cached is not None and cached[0] == version:
            return cached[1]
        keyring = self.namespace_keyring(namespace)
        # What a keyring offers is a function of the keyring (the same while the Secret
        # version is) and the image, and each scheduled import asks again for its same
        # source: the answers are kept, bounded, and each caller gets its own list.
        found: dict[str, list] = {}

        def lookup(image: str):
            credentials = found.get(image)
            if credentials is None:
                try:
                    credentials = keyring.lookup(image)
                except ValueError:
                    credentials = []
                if len(found) >= 4096:  # pulls through the registry ask for many images
                    found.clear()
                found[image] = credentials
            return list(credentials)

        self._namespace_lookups[namespace] = (version, lookup)
        return lookup

    def node_keyring(self, node: str):
        """The node's ``config.json`` keyring: the global pull secret rolled out to it."""
        config = self.kubelet.node(node).config_json
        key = ("node", node)
        # every pull asks: _cached_keyring's own test, without making its arguments,
        # for the usual answer (the keyring made from this very config text)
        cached = self._keyrings.get(key)
        if cached is not None and cached[0][0] is config:
            return cached[1]
        return self._cached_keyring(
            key,
            [config],
            lambda: Keyring.from_docker_config(config, source="node") if config else Keyring(),
        )

    def pull_lookup(self, namespace: str, pull_secrets: list[str], node: str, *, on_missing=None):
        """``lookup(image)``: the kubelet's keyring for a pod in ``namespace`` with
        ``pull_secrets`` on ``node``: those secrets first, then the node's config.json.

        ``on_missing(name)`` is called for each named secret that does not exist (it is
        skipped, as the kubelet skips it).
        """
        pod = self._pod_keyring(namespace, pull_secrets, on_missing)
        node_keyring = self.node_keyring(node)
        # Every pull asks, with the same keyrings again and again: the lookup made of
        # the same keyring objects is the same function, kept with them in the keyrings'
        # cache as _cached_keyring keeps a keyring with its inputs (and tested as it
        # tests them: keyrings have no __eq__, so list equality is "the same objects").
        # A node keyring without keys (no global pull secret) finds nothing for any
        # repository and adds nothing to the union's answers, so it is left out of
        # both: the pods of a namespace then share one lookup on every such node.
        if node_keyring.keys:
            key: tuple = ("pull", namespace, *pull_secrets, "@node", node)
            members = [pod, node_keyring]
        else:
            key, members = ("pull", namespace, *pull_secrets), [pod]
        cached = self._keyrings.get(key)
        if cached is not None and cached[0] == members:
            return cached[1]
        union = UnionKeyring(members)
        # union.lookup(image) is union.lookup_raw of the image's repository: each pull
        # asks for a new image (a new digest) of a repository asked for before, and
        # what the same keyrings file under a repository does not change, so the
        # answers are kept by repository (bounded), each caller getting its own list.
        found: dict[str, list] = {}

        def lookup(image: str):
            try:
                repository = parse_image(image).name
                credentials = found.get(repository)
                if credentials is None:
                    credentials = union.lookup_raw(repository)
                    if len(found) >= 4096:
                        found.clear()
                    found[repository] = credentials
            except ValueError:
                return []
            return list(credentials)

        self._keyrings[key] = (members, lookup)
        return lookup

    def _pod_keyring(self, namespace: str, pull_secrets: list[str], on_missing):
        """The keyring of the named secrets of ``namespace`` that exist, in order;
        ``on_missing(name)`` for each that does not."""
        # Every pull asks.  While no Secret anywhere has changed (the cluster's Secret
        # version, as namespace_lookup uses it), the same names find the same secret
        # objects and miss the same ones: the keyring _cached_keyring kept for them is
        # the answer, and the missing names are reported again, in the same order.
        version = self.cluster.version("Secret")
        key = (namespace, *pull_secrets)
        cached = self._pod_keyrings.get(key)
        if cached is not None and cached[0] == version:
            if on_missing is not None:
                for name in cached[1]:
                    on_missing(name)
            return cached[2]
        secrets = []
        missing = []
        for name in pull_secrets:
            secret = self.cluster.get("Secret", (namespace, name))
            if secret is None:
                missing.append(name)
                if on_missing is not None:
                    on_missing(name)
                continue
            secrets.append(secret)
        keyring = self._cached_keyring(
            ("pod", *key), secrets, lambda: keyring_from_secrets(secrets)
        )
        self._pod_keyrings[key] = (version, tuple(missing), keyring)
        return keyring

    def pod_keyring_lookup(self, pod):
        """``lookup(image)``: the pod's pull secrets first, then its node's config.json
        (a missing secret is logged as ``FailedToRetrieveImagePullSecret``)."""

        def missing(name: str) -> None:
            self.record(
                "pull_secret_missing",
                namespace=pod.namespace,
                pod=pod.name,
                secret=name,
                reason="FailedToRetrieveImagePullSecret",
            )

        return self.pull_lookup(pod.namespace, pod.image_pull_secrets, pod.node, on_missing=missing)

    def decide_pull(self, image: str, lookup):
        """Whether a pull of ``image`` with the credentials ``lookup`` finds gets in: the
        rule :func:`simkit.rules.pull_access.decide_pull_access` on this cluster (the
        kubelet pulls through it, and every prediction asks it)."""
        return decide_pull_access(
            image,
            lookup,
            self.registries,
            internal_registry=self.config.internal_registry,
            token_identity=self.token_identity,
            may_pull=self.can_pull,
            streams=self.stream,
            mirrored=self.integrated_registry_blobs,
            namespace_lookup=self.namespace_lookup,
        )

    def secret_fingerprint(self, secret) -> str:
        """A hash of a pull secret's contents (KEP-2535's credential hash), safe to show."""
        import hashlib

        digest = hashlib.sha256()
        for key in sorted(secret.data):
            digest.update(key.encode() + b"\0" + secret.data[key] + b"\0")
        return digest.hexdigest()

    def fetch_for_import(self, namespace: str, pull_spec: str, insecure: bool) -> RegistryImage:
        """What the image importer gets for ``pull_spec`` on behalf of ``namespace``
        (its secrets, tried in keyring order; who gets in is
        :func:`simkit.rules.pull_access.external_attempts`)."""
        host, repository, reference = registry_address(pull_spec)
        registry = self.registries.get(host)
        if registry is None:
            raise RegistryUnavailable(
                f'Get "https://{host}/v2/": dial tcp: lookup {host}: no such host'
            )
        attempts = external_attempts(
            registry, self.registries, pull_spec, repository, self.namespace_lookup(namespace)
        )
        last_error: Exception | None = None
        for attempt in attempts:
            try:
                return registry.fetch(
                    repository,
                    reference,
                    refusal=attempt.refusal,
                    credentials=attempt.pair,
                    client=f"cluster:{namespace}",
                    insecure_ok=insecure,
                )
            except Exception as exc:  # noqa: BLE001 - re-raised below if all fail
                last_error = exc
        assert last_error is not None  # external_attempts makes at least one attempt
        raise last_error

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
            namespace,
            image,
            name=name,
            pull_policy=pull_policy,
            service_account=service_account,
            node=node,
            image_pull_secrets=image_pull_secrets,
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
            triggers.append(ImageTrigger(stream_tag, trigger_ns or namespace, automatic=automatic))
        if not image and not triggers:
            raise ValueError("deploy: give an image, a trigger, or both")
        if self.cluster.get("Project", ("", namespace)) is None:
            raise ValueError(f'namespaces "{namespace}" not found')
        workload = Workload(
            kind,
            namespace,
            name,
            image or " ",
            replicas=replicas,
            pull_policy=pull_policy,
            service_account=service_account,
            triggers=triggers,
        )
        return self.workload_controller.create(workload)

    def pods(self, namespace: str | None = None) -> list:
        """The pods that exist now (admitted, not deleted)."""
        return self.cluster.list("Pod", namespace)

    def import_now(
        self, namespace: str, name: str, tags: list[str], cause: str = "manual"
    ) -> list[ImportStatus]:
        """Run one ImageStreamImport of the spec tags ``tags`` now and commit its result."""
        now = self.engine.now
        # self.transaction() with the log's record_fields bound to ``now`` (a partial,
        # not a Python lambda per event): the clock cannot move before the commit
        with self.cluster.transaction(self.record, partial(self.log.record_fields, now)) as tx:
            stream = tx.get("ImageStream", (namespace, name))
            if stream is None:
                return []
            requests = [ImportRequest.for_tag(stream, tag) for tag in tags]
            return import_stream(
                tx,
                namespace,
                name,
                requests,
                self.fetch_for_import,
                now,
                self.rfc3339(),
                cause,
                self.config.internal_registry,
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

    def explain_pull(self, subject: str, target: str, *, node: str | None = None):
        """Why ``subject`` may pull ``target``, or why not: the answer the kubelet acts on.

        Parameters
        ----------
        subject : str
            A user, ``system:serviceaccount:NS:NAME``, or ``pod:NS/NAME``.
        target : str
            An image stream (``ns/stream``, ``ns/stream:tag``, ``imagestream:ns/stream``):
            the chains of group, binding, role and rule that let ``subject`` pull it
            (:class:`simkit.rules.rbac.Explanation`).  A registry host (``quay.io``,
            ``registry:quay.io``) or an image (``quay.io/acme/app:1``, or the integrated
            registry's ``...svc:5000/ns/stream:tag``): a
            :class:`~simkit.rules.pull_access.PullPrediction` of what the kubelet does
            for the subject's pods (a service account's pull secrets as a new pod gets
            them, or a pod's own) on each node, or only on ``node``.
        node : str, optional
            Predict for this node only (its config.json holds the global pull secret
            once rolled out to it).

        Examples
        --------
        >>> import simkit as sk
        >>> sim = sk.Simulation()
        >>> _ = sim.registry("quay.io", users={"bot": "pw"})
        >>> sim.explain_pull("system:serviceaccount:default:default", "quay.io").allowed
        False
        """
        from simkit.rules.pull_access import classify_target

        kind, value = classify_target(target, self.registries)
        if kind == "stream":
            from simkit.access import explain_pull

            return explain_pull(self.cluster, subject, value)
        return self._predict_pull(subject, kind, value, node)

    def _predict_pull(self, subject: str, kind: str, value: str, node: str | None):
        from simkit.access import SA_PREFIX
        from simkit.rules.pull_access import PullPrediction, host_images

        if node is not None and node not in self.node_names:
            raise ValueError(f'nodes "{node}" not found')
        nodes = [node] if node is not None else list(self.node_names)
        if subject.startswith(SA_PREFIX):
            namespace, _, name = subject[len(SA_PREFIX) :].partition(":")
            account = self.cluster.get("ServiceAccount", (namespace, name))
            if account is None:
                return PullPrediction(
                    subject,
                    value,
                    {},
                    note=(
                        f'serviceaccount "{name}" not found in {namespace!r}: its pods are '
                        "refused at admission"
                    ),
                )
            secrets = list(account.image_pull_secrets)
        elif subject.startswith("pod:"):
            namespace, _, name = subject[4:].partition("/")
            pod = self.cluster.get("Pod", (namespace, name))
            if pod is None or pod.node is None:
                return PullPrediction(subject, value, {}, note="no such pod on a node")
            secrets = list(pod.image_pull_secrets)
            nodes = [pod.node] if node in (None, pod.node) else []
        else:
            return PullPrediction(
                subject,
                value,
                {},
                note=(
                    "only pods pull images, and pods run as service accounts "
                    "(system:serviceaccount:NS:NAME); name a pod as pod:NS/NAME"
                ),
            )
        images = [value] if kind == "image" else host_images(self.registries.get(value), value)
        by_node = {}
        for name in nodes:
            lookup = self.pull_lookup(namespace, secrets, name)
            by_node[name] = tuple(self.decide_pull(image, lookup) for image in images)
        return PullPrediction(subject, value, by_node)

    def oc(self, command: str, *, output: bool = True) -> str:
        """Run one ``oc`` command line (the text after ``oc``) now, as the cluster admin.

        ``output=False`` is for a caller that throws the printed text away (the image
        pruner's nightly job): the command changes the cluster and logs exactly as it
        would, and a command whose printout is costly may return ``""`` without making it.
        """
        from simkit.oc import run_oc

        return run_oc(self, command, output=output)


def _utc(value: str | pd.Timestamp) -> pd.Timestamp:
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is None:
        return stamp.tz_localize("UTC")
    return stamp.tz_convert("UTC")
