"""The :class:`Simulation`: a cluster, its registries and controllers, on one clock."""

from __future__ import annotations

import numpy as np
import pandas as pd

from simkit.apiserver.imports import ImportRequest, ImportStatus, import_stream
from simkit.config import Config
from simkit.durations import parse_duration
from simkit.engine import Engine
from simkit.eventlog import EventLog
from simkit.refs import InvalidReference, parse_pull_spec, split_istag
from simkit.rules.tags import latest_tagged_image, resolve_reference_for_tag_event
from simkit.state.cluster import Cluster, Transaction
from simkit.state.images import ImageStream
from simkit.state.projects import DEFAULT_PROJECTS, Project
from simkit.state.registries import MiB, Registry, RegistryImage, RegistryUnavailable

DOCKER_HUB_ALIASES = {"index.docker.io": "docker.io", "registry-1.docker.io": "docker.io"}


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
        from simkit.controllers.imports import ImageImportController
        from simkit.controllers.scheduled_imports import ScheduledImportController

        self.seed = int(seed)
        self.start = _utc(start)
        self.config = config or Config()
        self.engine = Engine()
        self.rng = np.random.default_rng(self.seed)
        self.log = EventLog()
        self.cluster = Cluster()
        self.registries: dict[str, Registry] = {}
        self.current_project = "default"
        self.node_names = [f"worker-{i}" for i in range(int(nodes))]
        with self.transaction() as tx:
            for name in DEFAULT_PROJECTS:
                tx.put("Project", ("", name), Project(name, created=0.0))
        self.import_controller = ImageImportController(self)
        self.scheduled_import_controller = ScheduledImportController(self)

    def __repr__(self) -> str:
        return (
            f"<Simulation seed={self.seed} at {self.clock.isoformat()}: "
            f"{len(self.cluster.store('Project'))} projects, "
            f"{len(self.cluster.store('ImageStream'))} image streams, "
            f"{len(self.registries)} registries, {len(self.log)} events>"
        )

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
        t = self.timestamp(self.engine.now if seconds is None else seconds)
        return t.strftime("%Y-%m-%dT%H:%M:%SZ")

    def advance(self, duration: float | str) -> None:
        """Run the simulation forward by ``duration`` (seconds, or ``"90s"``, ``"7d"`` ...)."""
        seconds = parse_duration(duration)
        self.engine.run(until=self.engine.now + seconds)

    def run_until(self, when: float | str | pd.Timestamp) -> None:
        """Run until an absolute time: seconds since start, or a timestamp."""
        if isinstance(when, int | float):
            target = float(when)
        else:
            target = (_utc(when) - self.start).total_seconds()
        self.engine.run(until=target)

    # -- events -----------------------------------------------------------------------
    def record(self, kind: str, **fields: object) -> None:
        """Append an event of ``kind`` at the current time to the log."""
        self.log.record(self.engine.now, kind, **fields)

    @property
    def events(self) -> pd.DataFrame:
        """Every event so far, one row each, with ``time`` (UTC) and ``kind`` columns."""
        return self.log.to_frame(self.start)

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

    def credentials_for(self, namespace: str, host: str) -> list[tuple[str, str]]:
        """Credentials an import in ``namespace`` presents to ``host`` (none by default)."""
        return []

    def fetch_for_import(self, namespace: str, pull_spec: str, insecure: bool) -> RegistryImage:
        """What the image importer gets for ``pull_spec`` on behalf of ``namespace``."""
        ref = parse_pull_spec(pull_spec).docker_client_defaults()
        host = DOCKER_HUB_ALIASES.get(ref.registry, ref.registry)
        registry = self.registries.get(host)
        if registry is None:
            raise RegistryUnavailable(
                f'Get "https://{host}/v2/": dial tcp: lookup {host}: no such host'
            )
        repository = "/".join(part for part in (ref.namespace, ref.name) if part)
        reference = ref.id or ref.tag
        credentials = self.credentials_for(namespace, host) or [None]
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

    def oc(self, command: str) -> str:
        """Run one ``oc`` command line (the text after ``oc``) now, as the cluster admin."""
        from simkit.oc import run_oc

        return run_oc(self, command)


def _utc(value: str | pd.Timestamp) -> pd.Timestamp:
    stamp = pd.Timestamp(value)
    if stamp.tzinfo is None:
        return stamp.tz_localize("UTC")
    return stamp.tz_convert("UTC")
