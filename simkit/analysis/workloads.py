"""Stale workloads: pods running an older image than their tag points at now.

A pod's *reference* is what decides which image it should run:

* a pod of a Deployment or DeploymentConfig with an image trigger follows that image
  stream tag (its pull spec is a digest the trigger wrote);
* a pod whose image names a stream tag on the integrated registry
  (``image-registry…:5000/ns/stream:tag``) follows that stream tag;
* a pod whose image names an external tag (``quay.io/acme/ruby:3.1``) follows that
  upstream tag;
* any other pod asked for a digest: it is ``pinned`` and never stale.

Reads the pods, workloads and image streams as they are now and the event log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from simkit.analysis._frames import DOCKER_HUB_ALIASES, kind_rows, stream_tag_key
from simkit.analysis._memo import reused
from simkit.analysis.staleness import _changes
from simkit.analysis.timelines import _stream_tag_changes, upstream_changes
from simkit.events import (
    POD_CREATED,
    POD_DELETED,
    POD_STATUS,
    PULL,
    REGISTRY_DELETE_TAG,
    REGISTRY_PUSH,
    REGISTRY_TAG,
)
from simkit.refs import InvalidReference, parse_image
from simkit.state.workloads import RUNNING

if TYPE_CHECKING:
    from simkit.simulation import Simulation

__all__ = [
    "exposure_windows",
    "pod_reference",
    "running_intervals",
    "stale_pod_time",
    "workload_staleness",
]

_UPSTREAM = [REGISTRY_PUSH, REGISTRY_TAG, REGISTRY_DELETE_TAG]  # the upstream tags' changes

STALENESS_COLUMNS = [
    "namespace",
    "pod",
    "node",
    "owner",
    "policy",
    "image",
    "reference_kind",
    "reference",
    "digest",
    "current",
    "started",
    "stale",
    "stale_at_start",
    "behind_since",
    "stale_for",
    "versions_behind",
]


def pod_reference(sim: Simulation, pod) -> tuple[str, str]:
    """``(kind, key)`` of what ``pod`` should run: ``("istag", "ns/stream:tag")``,
    ``("upstream", "host/repository:tag")``, ``("pinned", "")`` or ``("invalid", "")``.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation()
    >>> _ = sim.registry("quay.io").push("acme/ruby", "3.1")
    >>> pod = sim.run_pod("default", "quay.io/acme/ruby:3.1")
    >>> pod_reference(sim, pod)
    ('upstream', 'quay.io/acme/ruby:3.1')
    >>> pod_reference(sim, sim.run_pod("default", "ubuntu"))
    ('upstream', 'docker.io/library/ubuntu:latest')
    """
    if pod.owner:
        kind, _, rest = pod.owner.partition("/")
        triggered = _trigger_reference(sim, kind, pod.namespace, rest.rpartition("#")[0])
        if triggered is not None:
            return triggered
    return _image_reference(sim, pod.image)


def _trigger_reference(
    sim: Simulation, kind: str, namespace: str, name: str
) -> tuple[str, str] | None:
    """The stream tag the workload ``kind`` ``namespace/name`` follows by its first image
    trigger, or None (no such workload now, or no trigger)."""
    workload = sim.cluster.get(kind, (namespace, name))
    if workload is None or not workload.triggers:
        return None
    trigger = workload.triggers[0]
    stream, _, tag = trigger.stream_tag.partition(":")
    return "istag", stream_tag_key(trigger.namespace or namespace, stream, tag)


def _image_reference(sim: Simulation, image: str) -> tuple[str, str]:
    """:func:`pod_reference` of a pod without a triggered workload: from its image alone."""
    try:
        ref = parse_image(image)
    except InvalidReference:
        return "invalid", ""
    if ref.digest:
        return "pinned", ""
    tag = ref.tag or "latest"
    if ref.domain == sim.config.internal_registry:
        namespace, _, stream = ref.path.partition("/")
        return "istag", stream_tag_key(namespace, stream, tag)
    host = DOCKER_HUB_ALIASES.get(ref.domain, ref.domain)
    return "upstream", f"{host}/{ref.path}:{tag}"


def _reference_changes(sim: Simulation, keys: set[str]) -> pd.DataFrame:
    """``key``, ``row``, ``seconds``, ``digest`` of every change of the stream tags and
    upstream tags ``keys``: the stream tags' first, then the upstream tags', each in log
    order (the stream tags' changes without their pull specs, which are never read)."""
    tags, up = _changes(sim)
    columns = ["key", "row", "seconds", "digest"]
    return pd.concat(
        [frame.loc[frame["key"].isin(keys), columns] for frame in (tags, up)], ignore_index=True
    )


def workload_staleness(sim: Simulation) -> pd.DataFrame:
    """Per running pod: does it run an older image than its reference points at now?

    Parameters
    ----------
    sim : Simulation

    Returns
    -------
    pandas.DataFrame
        One row per running pod: ``namespace``, ``pod``, ``node``, ``owner``,
        ``policy`` (pull policy), ``image``, ``reference_kind`` (``istag``,
        ``upstream``, ``pinned``) and ``reference`` (see :func:`pod_reference`),
        ``digest`` (what it runs), ``current`` (what the reference points at now),
        ``started`` (when its container last started), ``stale`` (``digest !=
        current``), ``stale_at_start`` (the reference already pointed elsewhere when the
        container started: a cached or lagging image), ``behind_since`` (when the
        reference moved away from ``digest``), ``stale_for`` (``now - behind_since``)
        and ``versions_behind`` (how many images the reference moved to since).
        Summarise per node or policy with :func:`~simkit.analysis.group_risk`.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation(seed=1, nodes=1)
    >>> quay = sim.registry("quay.io")
    >>> _ = quay.push("acme/ruby", "3.1")
    >>> _ = sim.run_pod("default", "quay.io/acme/ruby:3.1", pull_policy="IfNotPresent")
    >>> sim.advance("1h")
    >>> _ = quay.push("acme/ruby", "3.1")
    >>> _ = sim.run_pod("default", "quay.io/acme/ruby:3.1", pull_policy="IfNotPresent")
    >>> _ = sim.run_pod("default", "quay.io/acme/ruby:3.1", pull_policy="Always")
    >>> sim.advance("1h")
    >>> stale = workload_staleness(sim)
    >>> stale[["policy", "stale", "stale_at_start", "versions_behind"]]
             policy  stale  stale_at_start  versions_behind
    0  IfNotPresent   True           False                1
    1  IfNotPresent   True            True                1
    2        Always  False           False                0
    """
    pods = [p for p in sim.pods() if p.status == RUNNING and p.image_digest]
    refs = [pod_reference(sim, p) for p in pods]
    frame = pd.DataFrame(
        {
            "namespace": [p.namespace for p in pods],
            "pod": [p.name for p in pods],
            "node": [p.node for p in pods],
            "owner": [p.owner or "" for p in pods],
            "policy": [p.pull_policy for p in pods],
            "image": [p.image for p in pods],
            "reference_kind": [r[0] for r in refs],
            "reference": [r[1] for r in refs],
            "digest": [p.image_digest for p in pods],
            "started_s": [float(p.started if p.started is not None else p.created) for p in pods],
        }
    )
    frame = frame.astype({c: object for c in frame.columns if c != "started_s"})
    # the current container's start: the last successful pull decision (a restart of an
    # Always pod may have pulled a newer image than the first start ran)
    _, pod, start_s, _, _, namespaces, names = _run_pods(sim)
    last_start = pd.Series(start_s).groupby(pod).max()
    code = _pod_codes(frame["namespace"], frame["pod"], namespaces, names)
    last = pd.Series(last_start.reindex(code).to_numpy(), index=frame.index, dtype=float)
    last = last.where(code >= 0)
    frame["started_s"] = last.fillna(frame["started_s"])
    changes = _reference_changes(sim, set(frame["reference"]))
    current = changes.groupby("key").tail(1).set_index("key")["digest"]
    frame["current"] = frame["reference"].map(current)
    frame.loc[frame["reference_kind"] == "pinned", "current"] = frame["digest"]
    frame["current"] = frame["current"].astype(object).where(frame["current"].notna(), None)
    stale = frame["current"].notna() & (frame["current"] != frame["digest"])

    # the reference's state when the pod started
    ordered = changes.sort_values("seconds", kind="stable")
    left = frame[["started_s", "reference"]].reset_index().sort_values("started_s")
    right = ordered.rename(columns={"seconds": "started_s", "key": "reference"})[
        ["started_s", "reference", "digest"]
    ]
    at_start = (
        pd.merge_asof(
            left.astype({"reference": str}),
            right.astype({"reference": str}),
            on="started_s",
            by="reference",
            direction="backward",
        )
        .set_index("index")
        .sort_index()["digest"]
    )
    stale_at_start = (
        at_start.notna() & (at_start != frame["digest"]) & (frame["reference_kind"] != "pinned")
    )

    # when the reference moved away from the digest (after the last time it pointed at it;
    # if it never did, the pod was behind from its start), and how often since
    moves = changes.merge(
        frame[["reference", "digest", "started_s"]].reset_index(),
        left_on="key",
        right_on="reference",
        suffixes=("", "_pod"),
    )
    hit = moves[moves["digest"] == moves["digest_pod"]].groupby("index")["row"].max()
    moves["anchor"] = moves["index"].map(hit)
    after = moves[
        moves["digest"].notna()
        & np.where(
            moves["anchor"].isna(),
            moves["seconds"] > moves["started_s"],
            moves["row"] > moves["anchor"],
        )
    ]
    # Index.map takes a Series as its mapper (pandas docs); pandas-stubs allow only a
    # Mapping or a callable
    moved = pd.Series(
        frame.index.map(after.groupby("index")["seconds"].min()),  # type: ignore[arg-type]
        index=frame.index,
        dtype=float,
    )
    behind_s = moved.where(frame.index.isin(hit.index), frame["started_s"]).where(stale)
    versions = pd.Series(
        frame.index.map(after.groupby("index").size()),  # type: ignore[arg-type]
        index=frame.index,
    )
    start = sim.start
    behind = start + pd.to_timedelta(np.asarray(behind_s, dtype=float), unit="s")
    out = frame.drop(columns="started_s").assign(
        started=start + pd.to_timedelta(frame["started_s"].to_numpy(), unit="s"),
        stale=stale.to_numpy(),
        stale_at_start=stale_at_start.to_numpy(),
        behind_since=behind,
        stale_for=sim.clock - behind,
        versions_behind=np.where(stale, versions.fillna(0), 0).astype(int),
    )
    return out[STALENESS_COLUMNS].reset_index(drop=True)


def running_intervals(sim: Simulation) -> pd.DataFrame:
    """When each pod ran which digest, from ``pull``, ``pod_status`` and ``pod_deleted``
    events.

    A successful ``pull`` (``pulled`` or ``cached``) starts the container on a digest;
    the next one, a non-Running ``pod_status`` or ``pod_deleted`` ends it.

    Returns
    -------
    pandas.DataFrame
        One row per run, by start (runs that start together by namespace and pod):
        ``namespace``, ``pod``, ``node``, ``policy``, ``image``, ``digest``, ``start_s``,
        ``end_s`` (seconds; the last ones run until now).

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation(seed=1)
    >>> _ = sim.registry("quay.io").push("acme/ruby", "3.1")
    >>> pod = sim.run_pod("default", "quay.io/acme/ruby:3.1")
    >>> sim.advance("1h")
    >>> running_intervals(sim)[["pod", "policy", "end_s"]]
              pod        policy   end_s
    0  ruby-d376a  IfNotPresent  3600.0
    """
    return _runs(sim)[0]  # (inside frozen(sim), computed once: see _runs)


_RUN_TEXT = ["namespace", "pod", "node", "policy", "image", "digest"]
_NAMES = [("namespace", object), ("pod", object)]


@reused
def _runs(sim: Simulation) -> tuple[pd.DataFrame, np.ndarray, np.ndarray, np.ndarray]:
    """:func:`running_intervals`, with each run's pod as a code: ``(runs, pod, namespaces,
    names)``, ``pod`` one code per run (see :func:`_run_pods`).

    A pull's image and digest, a string each (not one of a few per chunk of the log),
    are read one at a time after the rest, and keep one string per distinct value.
    """
    at, pod, start_s, end_s, texts, namespaces, names = _run_pods(sim)
    columns = dict(texts)  # (not the one frozen(sim) may keep)
    for column in ("image", "digest"):  # the same pull records, in the same order
        columns[column] = _shared(kind_rows(sim, [PULL], [column])[column].to_numpy(object)[at])
    frame = pd.DataFrame(
        {column: pd.Series(columns[column], dtype=object) for column in _RUN_TEXT}
        | {"start_s": start_s, "end_s": end_s},
        copy=False,  # (the arrays are this frame's alone)
    )
    return frame, pod, namespaces, names


@reused
def _run_pods(
    sim: Simulation,
) -> tuple[
    np.ndarray, np.ndarray, np.ndarray, np.ndarray, dict[str, np.ndarray], np.ndarray, np.ndarray
]:
    """The runs of :func:`running_intervals` without their images and digests: ``(at,
    pod, start_s, end_s, columns, namespaces, names)``, per run in the frame's order the
    position of its ``pull`` event among the pulls (``kind_rows``), its pod's code
    (``namespace * len(names) + name``, positions in ``namespaces`` and ``names``; -1 if
    either is missing; see :func:`_pod_codes`), its start and end, and ``columns`` the
    frame's ``namespace``, ``pod``, ``node`` and ``policy`` (object arrays).

    Each kind is read with only the fields it needs (a status or a deletion only ends a
    run: its pod and time), and each text column keeps one string per distinct value
    (over a long log they are read back from the spilled log, a new one per record).
    The runs are ordered and grouped by integer codes, not by the text columns; the
    codes' ranks are those of the names in sorted order, so the order is the one
    sorting by ``(namespace, pod, row)`` and then, stably, by ``start_s`` gave.
    """
    pulls = kind_rows(sim, [PULL], ["namespace", "pod", "node", "policy", "decision"])
    starts = np.flatnonzero(pulls["decision"].isin(["pulled", "cached"]).to_numpy())
    texts = {c: pulls[c].to_numpy(dtype=object)[starts] for c in ("node", "policy")}
    parts = [_events(pulls, starts)]
    del pulls
    status = kind_rows(sim, [POD_STATUS], ["namespace", "pod", "status"])
    parts.append(_events(status, np.flatnonzero(status["status"].ne(RUNNING).to_numpy())))
    del status
    parts.append(_events(kind_rows(sim, [POD_DELETED], ["namespace", "pod"])))
    row, seconds, namespace_of, pod_of = (np.concatenate(part) for part in zip(*parts, strict=True))
    del parts
    namespace, namespaces = pd.factorize(namespace_of)
    name, names = pd.factorize(pod_of)
    # a pod's events in log order, pods in the order of their names (missing ones last,
    # each on its own: a groupby leaves them out)
    namespace_rank, name_rank = _ranks(namespace, namespaces), _ranks(name, names)
    pod = np.where((namespace >= 0) & (name >= 0), namespace * len(names) + name, -1)
    order = np.lexsort((row, name_rank, namespace_rank))
    same = pod[order][1:] == pod[order][:-1]
    same &= pod[order][1:] >= 0
    end = np.full(len(row), float(sim.now))
    end[order[:-1][same]] = seconds[order][1:][same]  # the pod's next start or stop
    del order, same
    # the runs: the starts (the first len(starts) events), by start time, then pod name
    n = len(starts)
    by_start = np.lexsort((row[:n], name_rank[:n], namespace_rank[:n], seconds[:n]))
    del row, namespace_rank, name_rank
    runs = (starts[by_start], pod[:n][by_start], seconds[:n][by_start], end[:n][by_start])
    namespace_of, namespace = namespace_of[:n][by_start], namespace[:n][by_start]
    pod_of, name = pod_of[:n][by_start], name[:n][by_start]
    del pod, seconds, end  # (and with them the other events' strings)
    columns = {
        "namespace": _shared(namespace_of, namespace, namespaces),
        "pod": _shared(pod_of, name, names),
    }
    del namespace_of, pod_of, namespace, name
    for column, values in texts.items():
        columns[column] = _shared(values[by_start])
    return (*runs, columns, namespaces, names)


def _events(frame: pd.DataFrame, at: np.ndarray | None = None) -> list[np.ndarray]:
    """``row``, ``seconds``, ``namespace`` and ``pod`` of the events ``at`` (positions;
    all by default) of ``frame``, as arrays."""
    return [
        frame[column].to_numpy(dtype=dtype)[slice(None) if at is None else at]
        for column, dtype in [("row", np.int64), ("seconds", float), *_NAMES]
    ]


def _shared(
    values: np.ndarray, codes: np.ndarray | None = None, uniques: np.ndarray | None = None
) -> np.ndarray:
    """``values`` with equal strings as one object, ``uniques[codes]`` (by default
    ``values`` factorized; missing values, code -1, as they were): a long log's strings
    are read back one copy per record."""
    if codes is None or uniques is None:
        codes, uniques = pd.factorize(values)
    out = values.copy()
    found = codes >= 0
    out[found] = uniques[codes[found]]
    return out


def _ranks(codes: np.ndarray, uniques: np.ndarray) -> np.ndarray:
    """Per code, the rank of its value among ``uniques`` sorted; missing (-1) last."""
    rank = np.empty(len(uniques) + 1, dtype=np.int64)
    rank[np.argsort(uniques, kind="stable")] = np.arange(len(uniques))
    rank[-1] = len(uniques)
    return rank[codes]


def _pod_codes(
    namespace: pd.Series, pod: pd.Series, namespaces: np.ndarray, names: np.ndarray
) -> np.ndarray:
    """The code :func:`_runs` gives each ``(namespace, pod)``: -1 if it has no event
    there (so, with no run either)."""
    at_namespace = pd.Index(namespaces).get_indexer(namespace.to_numpy(dtype=object))
    at_name = pd.Index(names).get_indexer(pod.to_numpy(dtype=object))
    found = (at_namespace >= 0) & (at_name >= 0)
    return np.where(found, at_namespace * len(names) + at_name, -1)


def stale_pod_time(sim: Simulation) -> pd.DataFrame:
    """For every run of every pod (deleted ones too): how much of it ran a stale image.

    A run is a container running one digest (:func:`running_intervals`); it is stale
    while its reference (:func:`pod_reference`, from the ``pod_created`` event and the
    pod's workload) points at another image.

    Returns
    -------
    pandas.DataFrame
        One row per run: ``namespace``, ``pod``, ``node``, ``policy``,
        ``reference_kind``, ``reference``, ``digest``, ``start``, ``run_time`` and
        ``stale_time`` (Timedeltas).  ``group_risk(frame, by="policy")`` gives the stale
        share of pod time per pull policy.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation(seed=1, nodes=1)
    >>> quay = sim.registry("quay.io")
    >>> _ = quay.push("acme/ruby", "3.1")
    >>> _ = sim.run_pod("default", "quay.io/acme/ruby:3.1", pull_policy="IfNotPresent")
    >>> sim.advance("1h")
    >>> _ = quay.push("acme/ruby", "3.1")
    >>> sim.advance("3h")
    >>> time = stale_pod_time(sim)
    >>> print(time["stale_time"].iloc[0], "of", time["run_time"].iloc[0].round("s"))
    0 days 03:00:00 of 0 days 03:59:55
    """
    runs, pod, namespaces, names = _runs(sim)
    runs = runs.drop(columns="image")  # (a string per pod: let it go)
    kinds, references = _run_references(sim, pod, namespaces, names)
    stale_s = _stale_seconds(sim, runs, references)
    stale_s[np.isin(kinds, ["pinned", "invalid"])] = 0.0
    # assigned as lists, as they were before: pandas gives them the same dtype (str, or
    # float64 if there are none)
    given = runs[[]].assign(reference_kind=kinds.tolist(), reference=references.tolist())
    del kinds, references
    start = sim.start
    return pd.DataFrame(
        {
            "namespace": runs["namespace"],
            "pod": runs["pod"],
            "node": runs["node"],
            "policy": runs["policy"],
            "reference_kind": given["reference_kind"],
            "reference": given["reference"],
            "digest": runs["digest"],
            "start": start + pd.to_timedelta(runs["start_s"].to_numpy(), unit="s"),
            "run_time": pd.to_timedelta((runs["end_s"] - runs["start_s"]).to_numpy(), unit="s"),
            "stale_time": pd.to_timedelta(stale_s, unit="s"),
        },
        copy=False,  # (runs is this call's own)
    )


def _run_references(
    sim: Simulation, pod: np.ndarray, namespaces: np.ndarray, names: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per run (its pod's code, :func:`_runs`), the :func:`pod_reference` of its pod's
    last ``pod_created`` event: ``(kinds, keys)``, ``("invalid", "")`` without one.

    A workload's trigger is looked up once per workload and an image parsed once per
    image (a long log creates a pod per rollout, mostly of the same few workloads), only
    for the pods that ran, and the images only of pods without a triggered workload.
    The events' fields are read one part at a time: over a long log they are mostly
    strings read back one per record.
    """
    created = kind_rows(sim, [POD_CREATED], ["namespace", "pod"])
    code = _pod_codes(created["namespace"], created["pod"], namespaces, names)
    del created
    # the last pod_created of each pod that has an event (the others have no run)
    last = pd.Series(np.arange(len(code))[code >= 0], index=code[code >= 0])
    last = last[~last.index.duplicated(keep="last")]
    at = last.reindex(pod).to_numpy()  # per run, its pod's last pod_created (NaN: none)
    has = ~np.isnan(at)
    used, which = np.unique(at[has].astype(np.intp), return_inverse=True)
    del code, last, at
    created = kind_rows(sim, [POD_CREATED], ["namespace", "owner"])
    namespace_of = created["namespace"].to_numpy(dtype=object)[used]
    owner_of = created["owner"].to_numpy(dtype=object)[used]
    del created
    kind_of = np.full(len(used), None, dtype=object)  # per pod that ran: its reference
    key_of = np.full(len(used), None, dtype=object)
    triggers: dict[tuple[str, str, str], tuple[str, str] | None] = {}
    for number, (namespace, owner) in enumerate(zip(namespace_of, owner_of, strict=True)):
        if isinstance(owner, str) and owner:
            kind, _, rest = owner.partition("/")
            key = (kind, namespace, rest.rpartition("#")[0])
            if key not in triggers:
                triggers[key] = _trigger_reference(sim, *key)
            found = triggers[key]
            if found is not None:
                kind_of[number], key_of[number] = found
    del namespace_of, owner_of
    untriggered = [number for number, kind in enumerate(kind_of.tolist()) if kind is None]
    if untriggered:
        images: dict[str, tuple[str, str]] = {}
        image_of = kind_rows(sim, [POD_CREATED], ["image"])["image"].to_numpy(dtype=object)
        for number, image in zip(untriggered, image_of[used[untriggered]], strict=True):
            found = images.get(image)
            if found is None:
                found = images[image] = _image_reference(sim, image)
            kind_of[number], key_of[number] = found
    kinds = np.full(len(pod), "invalid", dtype=object)
    keys = np.full(len(pod), "", dtype=object)
    kinds[has], keys[has] = kind_of[which], key_of[which]
    return kinds, keys


def _stale_seconds(sim: Simulation, runs: pd.DataFrame, references: np.ndarray) -> np.ndarray:
    """Per run, the seconds its reference pointed at another image than it ran.

    The points of a run are its start (the reference's state then: its last change at
    or before the start) and each change of its reference strictly inside the run; a
    point is stale until the next one (or the run's end) if the reference then pointed
    at an image, not the run's.  The changes inside each run are found by binary search
    over the changes sorted by (reference, time), so that a run meets only its own (a
    join of every run with every change of its reference grew with the square of the
    log's length).  The points come in the order the join gave them (start, then the
    changes by time and, at one time, stream tags before upstream tags, each in log
    order), and are summed per run by the same groupby: the same sums (a run with no
    change inside has one point: its sum is that one value, as the groupby's).
    """
    codes, keys = pd.factorize(references)
    change_key, change_s, change_digest = _changes_of(sim, keys)
    start_s, end_s = runs["start_s"].to_numpy(dtype=float), runs["end_s"].to_numpy(dtype=float)
    running = runs["digest"].to_numpy(dtype=object)
    # changes up to the start, and before the end: those in between are inside the run
    grid = np.unique(change_s[:-1])
    width = len(grid) + 1
    sorted_key = change_key.astype(np.int64) * width + np.searchsorted(grid, change_s[:-1])
    known = np.searchsorted(change_key, codes, side="left")  # the reference's first change
    base = codes.astype(np.int64) * width
    del codes, change_key
    upto = np.searchsorted(sorted_key, base + np.searchsorted(grid, start_s, "right"))
    inside = np.searchsorted(sorted_key, base + np.searchsorted(grid, end_s, "left")) - upto
    np.maximum(inside, 0, out=inside)
    del sorted_key, grid, base
    # the start's point, to the first change inside or the end (-1 reads the sentinel)
    digest = change_digest[upto - 1]
    digest[upto <= known] = None
    del known
    stale = pd.notna(digest) & (digest != running)
    del digest
    out = np.where(stale, np.where(inside > 0, change_s[upto], end_s) - start_s, 0.0)
    del stale
    many = np.flatnonzero(inside)
    if not len(many):
        return out
    # the runs with changes inside: each point, in order, summed per run
    count = inside[many] + 1
    run = np.repeat(many, count)
    nth = np.arange(len(run)) - np.repeat(np.cumsum(count) - count, count)
    change = upto[run] + nth - 1  # (nth 0: the start's point, already known)
    point_s = np.where(nth > 0, change_s[change], start_s[run])
    last = np.append(run[1:] != run[:-1], True)
    next_s = np.where(last, end_s[run], np.append(point_s[1:], 0.0))
    del last
    digest = change_digest[change]
    stale = pd.notna(digest) & (digest != running[run])
    points = np.where(nth == 0, out[run], np.where(stale, next_s - point_s, 0.0))
    del change, point_s, next_s, digest, stale, nth
    summed = pd.Series(points).groupby(run).sum()
    out[summed.index.to_numpy()] = summed.to_numpy()
    return out


def _changes_of(sim: Simulation, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The changes of the references ``keys`` sorted by (reference, time, stream tags
    before upstream tags, log order): ``(reference code, seconds, digest)``, each with
    one more value at the end (NaN, None), which a position of -1 reads: no change yet.

    Over a long log the changes of every tag hold a string per change: the upstream
    tags' are read only if a reference starts with the host of a registry that logged
    some (a cluster whose pods follow image stream tags never reads them).
    """
    parts: list[tuple[pd.DataFrame, str]] = []
    if any(keys):  # ("": pinned and invalid references, which never change)
        parts.append((_stream_tag_changes(sim, reference=False), "image"))
        hosts = sim.events_of(*_UPSTREAM, columns=["registry"])
        if "registry" in hosts:
            prefixes = tuple(f"{host}/" for host in hosts["registry"].dropna().unique())
            if any(key.startswith(prefixes) for key in keys):
                parts.append((upstream_changes(sim), "digest"))
        del hosts
    index = pd.Index(keys)
    code, seconds, digest = [], [], []
    for frame, column in parts:
        key = index.get_indexer(frame["key"].to_numpy(dtype=object))
        at = np.flatnonzero(key >= 0)
        code.append(key[at])
        seconds.append(frame["seconds"].to_numpy(dtype=float)[at])
        digest.append(frame[column].to_numpy(dtype=object)[at])
    del parts
    key = np.concatenate(code) if code else np.zeros(0, dtype=np.intp)
    time = np.concatenate(seconds) if code else np.zeros(0)
    order = np.lexsort((time, key))  # stable: at one time, in the order above
    digests = np.full(len(key) + 1, None, dtype=object)
    if code:
        digests[:-1] = np.concatenate(digest)[order]
    return key[order], np.append(time[order], np.nan), digests


def exposure_windows(sim: Simulation, label: str = "fixes") -> pd.DataFrame:
    """How long pods ran a vulnerable image after the fix was published.

    An image pushed with the label ``label`` (say ``fixes: CVE-2026-1234``) publishes
    that fix for its repository at its push time.  Every image of the same repository
    pushed *before* is vulnerable to it (fixes accumulate: later images keep them).  A
    pod running such an image after the fix was published is exposed.

    Parameters
    ----------
    sim : Simulation
    label : str
        The image label naming the fix.

    Returns
    -------
    pandas.DataFrame
        One row per (run of a pod on a digest, fix) that overlaps: ``namespace``, ``pod``,
        ``node``, ``policy``, ``digest``, ``repository`` (``host/path``), ``fix``,
        ``published`` (Timestamp), ``exposed_from``, ``exposed_until`` and
        ``exposure`` (Timedelta).  Empty if no image carries the label.  Sorted by
        ``exposed_from``, then ``pod``; rows that tie there follow their runs' order in
        :func:`running_intervals`, and a run's fixes the order of their names.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation(seed=1, nodes=1)
    >>> quay = sim.registry("quay.io")
    >>> _ = quay.push("acme/ruby", "3.1")
    >>> _ = sim.run_pod("default", "quay.io/acme/ruby:3.1", pull_policy="IfNotPresent")
    >>> sim.advance("1h")
    >>> _ = quay.push("acme/ruby", "3.1", labels={"fixes": "CVE-2026-1"})
    >>> sim.advance("2h")
    >>> windows = exposure_windows(sim)
    >>> windows[["fix", "exposure"]]
              fix        exposure
    0  CVE-2026-1 0 days 02:00:00
    """
    # Each run can only overlap the fixes of its repository published after its image
    # was built and before it ended: those are found in the fixes sorted by (repository,
    # publication) by binary search, instead of pairing every run with every fix of its
    # repository (a daily rebuild publishes a fix a day: quadratic in the days) and
    # filtering.  Repositories and fixes are integer codes while matching (codes in text
    # order, so their order is the old groupby's), and text columns are taken once, for
    # the rows kept, in the order the old merge-then-sort gave.  The runs are made first,
    # so that the pushes read below are not held while they are.
    runs = running_intervals(sim)
    pushes = kind_rows(sim, [REGISTRY_PUSH], ["registry", "repository", "digest"])
    pushes = pushes.drop_duplicates("digest", keep="first")
    digests = pushes["digest"].to_numpy(dtype=object)
    built_s = pushes["seconds"].to_numpy(dtype=float)
    repo_of, repositories = _repository_codes(pushes["registry"], pushes["repository"])
    fix_of, fix_names = _fix_codes(sim, pushes["registry"], digests, label)
    pushed = pd.Index(digests).get_indexer(runs["digest"].to_numpy(dtype=object))
    del pushes, digests
    fix_repo, fix_code, published_s = _first_publications(repo_of, fix_of, built_s)
    kept = np.flatnonzero(pushed >= 0)  # runs of pushed images (the old inner join)
    run_repo = repo_of[pushed[kept]]
    start_s = runs["start_s"].to_numpy(dtype=float)[kept]
    end_s = runs["end_s"].to_numpy(dtype=float)[kept]
    run, fix = _overlapping(run_repo, built_s[pushed[kept]], start_s, end_s, fix_repo, published_s)
    exposed_from_s = np.maximum(start_s[run], published_s[fix])
    start = sim.start

    def stamp(values: np.ndarray) -> pd.DatetimeIndex:
        return start + pd.to_timedelta(values, unit="s")

    # the old order: sorted by exposed_from then pod, stably, ties in the merge's order
    # (runs in running_intervals' order, a run's fixes in text order: ``fix`` indexes the
    # fixes in (repository, fix) order)
    exposed_from = stamp(exposed_from_s)
    pods, _ = pd.factorize(runs["pod"].to_numpy(dtype=object)[kept], sort=True)
    pod_rank = np.where(pods < 0, len(pods), pods)  # a missing pod sorts last
    order = np.lexsort((fix, run, pod_rank[run], exposed_from.asi8))
    run, fix = run[order], fix[order]
    taken = kept[run]
    end = end_s[run]
    from_s = exposed_from_s[order]
    return pd.DataFrame(
        {
            "namespace": _take(runs["namespace"], taken),
            "pod": _take(runs["pod"], taken),
            "node": _take(runs["node"], taken),
            "policy": _take(runs["policy"], taken),
            "digest": _take(runs["digest"], taken),
            "repository": _take(repositories, run_repo[run]),
            "fix": _take(fix_names, fix_code[fix]),
            "published": stamp(published_s[fix]),
            "exposed_from": exposed_from.take(order),
            "exposed_until": stamp(end),
            "exposure": pd.to_timedelta(end - from_s, unit="s"),
        },
        copy=False,  # the columns are new: not copied again into blocks
    )


def _take(column: pd.Series, at: np.ndarray) -> pd.Series:
    """``column``'s values at positions ``at``, of its dtype, on a fresh 0..n-1 index."""
    return column.iloc[at].reset_index(drop=True)


def _repository_codes(hosts: pd.Series, paths: pd.Series) -> tuple[np.ndarray, pd.Series]:
    """Per push, the code of its repository ``host/path`` (codes in text order; -1 for
    none), and the repositories' names (``host + "/" + path``, made once per pair)."""
    host_code, host_names = pd.factorize(hosts, use_na_sentinel=False)
    path_code, path_names = pd.factorize(paths, use_na_sentinel=False)
    width = max(len(path_names), 1)
    pairs, pair_of = np.unique(host_code.astype(np.int64) * width + path_code, return_inverse=True)
    texts = (
        pd.Series(host_names.take(pairs // width)) + "/" + pd.Series(path_names.take(pairs % width))
    )
    codes, names = pd.factorize(texts, sort=True)
    return codes[pair_of].astype(np.int64), pd.Series(names)


def _fix_codes(
    sim: Simulation, hosts: pd.Series, digests: np.ndarray, label: str
) -> tuple[np.ndarray, pd.Series]:
    """Per push, the code of its image's ``label`` value (codes in text order; -1 for
    none or empty), and the values, typed as a column of every push's value would be."""
    # one image looked up per push (the log does not carry labels), one registry per
    # host; ``value or None`` as the plain loop read them
    values = np.full(len(digests), None, dtype=object)
    host_code, host_names = pd.factorize(hosts)
    for code, host in enumerate(host_names):
        registry = sim.registries.get(host)
        if registry is None:
            continue
        at = np.flatnonzero(host_code == code)
        get = registry.images.get
        values[at] = np.fromiter(
            (
                (image.labels.get(label) or None) if (image := get(digest)) is not None else None
                for digest in digests[at]
            ),
            dtype=object,
            count=len(at),
        )
    codes, names = pd.factorize(values, sort=True)
    # the column's type is inferred from the distinct values (and None if any push has
    # none): str for texts, object for no value at all, float64 for no push
    sample = ([None] if (codes < 0).any() else []) + list(names)
    dtype = pd.DataFrame(index=pd.RangeIndex(len(sample))).assign(fix=sample)["fix"].dtype
    return codes.astype(np.int64), pd.Series(names, dtype=object).astype(dtype)


def _first_publications(
    repo_of: np.ndarray, fix_of: np.ndarray, seconds: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each (repository, fix)'s first push: repository codes, fix codes and seconds, in
    (repository, fix) order (a groupby of both and the minimum of the seconds)."""
    labelled = np.flatnonzero((fix_of >= 0) & (repo_of >= 0))
    key = repo_of[labelled] * (int(fix_of.max(initial=0)) + 1) + fix_of[labelled]
    local = np.lexsort((seconds[labelled], key))
    key = key[local]
    first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else local[:0]
    rows = labelled[local[first]]
    return repo_of[rows], fix_of[rows], seconds[rows]


def _overlapping(
    run_repo: np.ndarray,
    built_s: np.ndarray,
    start_s: np.ndarray,
    end_s: np.ndarray,
    fix_repo: np.ndarray,
    published_s: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """The (run, fix) pairs, as positions, of the runs and the fixes of the same
    repository published after the run's image was built and before the run ended (a run
    of no time overlaps none); runs in order, a run's fixes by publication.

    A fix's key is its repository code times a width plus the rank of its publication
    among all of them, so that the fixes in a run's window are one range of the sorted
    keys, between its built and its end time as keys.
    """
    times = np.unique(published_s)
    width = len(times) + 1
    keys = fix_repo * width + np.searchsorted(times, published_s)
    by_key = np.argsort(keys, kind="stable")
    keys = keys[by_key]
    low = run_repo * width + np.searchsorted(times, built_s, side="right")
    high = run_repo * width + np.searchsorted(times, end_s, side="left")
    first = np.searchsorted(keys, low, side="left")
    last = np.searchsorted(keys, high, side="left")
    counts = np.where((start_s < end_s) & (run_repo >= 0), np.maximum(last - first, 0), 0)
    run = np.repeat(np.arange(len(counts)), counts)
    # the i-th pair of a run is the fix at its first + i in the sorted keys
    offset = np.repeat(first - (np.cumsum(counts) - counts), counts)
    return run, by_key[np.arange(len(run)) + offset]
