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

from types import SimpleNamespace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from simkit.analysis._frames import DOCKER_HUB_ALIASES, kind_rows, stream_tag_key
from simkit.analysis._memo import reused
from simkit.analysis.timelines import stream_tag_changes, upstream_changes
from simkit.events import POD_CREATED, POD_DELETED, POD_STATUS, PULL, REGISTRY_PUSH
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
        name = rest.rpartition("#")[0]
        workload = sim.cluster.get(kind, (pod.namespace, name))
        if workload is not None and workload.triggers:
            trigger = workload.triggers[0]
            stream, _, tag = trigger.stream_tag.partition(":")
            return "istag", stream_tag_key(trigger.namespace or pod.namespace, stream, tag)
    try:
        ref = parse_image(pod.image)
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


def _reference_changes(sim: Simulation) -> pd.DataFrame:
    """``key``, ``row``, ``seconds``, ``digest`` of every stream tag and upstream tag."""
    tags = stream_tag_changes(sim).rename(columns={"image": "digest"})
    up = upstream_changes(sim)
    return pd.concat(
        [tags[["key", "row", "seconds", "digest"]], up[["key", "row", "seconds", "digest"]]],
        ignore_index=True,
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
    runs = running_intervals(sim).groupby(["namespace", "pod"])["start_s"].max()
    last = pd.Series(
        [runs.get((ns, name)) for ns, name in zip(frame["namespace"], frame["pod"], strict=True)],
        index=frame.index,
        dtype=float,
    )
    frame["started_s"] = last.fillna(frame["started_s"])
    changes = _reference_changes(sim)
    changes = changes[changes["key"].isin(set(frame["reference"]))]
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


@reused
def running_intervals(sim: Simulation) -> pd.DataFrame:
    """When each pod ran which digest, from ``pull``, ``pod_status`` and ``pod_deleted``
    events.

    A successful ``pull`` (``pulled`` or ``cached``) starts the container on a digest;
    the next one, a non-Running ``pod_status`` or ``pod_deleted`` ends it.

    Returns
    -------
    pandas.DataFrame
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
    rows = kind_rows(
        sim,
        [PULL, POD_STATUS, POD_DELETED],
        ["namespace", "pod", "node", "policy", "image", "digest", "decision", "status"],
    )
    start = rows["kind"].eq(PULL) & rows["decision"].isin(["pulled", "cached"])
    stop = (rows["kind"].eq(POD_STATUS) & rows["status"].ne(RUNNING)) | rows["kind"].eq(POD_DELETED)
    rows = rows[start | stop].copy()
    rows["starts"] = start[start | stop]
    rows = rows.sort_values(["namespace", "pod", "row"], kind="stable")
    key = [rows["namespace"], rows["pod"]]
    rows["end_s"] = rows.groupby(key, sort=False)["seconds"].shift(-1).fillna(float(sim.now))
    runs = rows[rows["starts"]]
    out = pd.DataFrame(
        {
            "namespace": runs["namespace"].astype(object),
            "pod": runs["pod"].astype(object),
            "node": runs["node"].astype(object),
            "policy": runs["policy"].astype(object),
            "image": runs["image"].astype(object),
            "digest": runs["digest"].astype(object),
            "start_s": runs["seconds"].to_numpy(dtype=float),
            "end_s": runs["end_s"].to_numpy(dtype=float),
        }
    )
    return out.sort_values("start_s", kind="stable", ignore_index=True)


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
    runs = running_intervals(sim)
    created = kind_rows(sim, [POD_CREATED], ["namespace", "pod", "image", "owner"])
    created = created.drop_duplicates(["namespace", "pod"], keep="last")
    references = {}
    for namespace, pod, image, owner in created[["namespace", "pod", "image", "owner"]].itertuples(
        index=False
    ):
        fake = SimpleNamespace(
            namespace=namespace, image=image, owner=owner if isinstance(owner, str) else ""
        )
        references[(namespace, pod)] = pod_reference(sim, fake)
    pairs = [
        references.get((ns, pod), ("invalid", ""))
        for ns, pod in zip(runs["namespace"], runs["pod"], strict=True)
    ]
    runs = runs.assign(reference_kind=[p[0] for p in pairs], reference=[p[1] for p in pairs])
    changes = _reference_changes(sim)
    changes = changes[changes["key"].isin(set(runs["reference"]))].sort_values(
        "seconds", kind="stable"
    )
    runs = runs.reset_index(names="run")
    # the reference's state at each run's start, then every change during the run
    left = runs[["run", "start_s", "reference"]].sort_values("start_s")
    right = changes.rename(columns={"seconds": "start_s", "key": "reference"})[
        ["start_s", "reference", "digest"]
    ]
    first = pd.merge_asof(
        left.astype({"reference": str}),
        right.astype({"reference": str}),
        on="start_s",
        by="reference",
        direction="backward",
    )
    first = first.rename(columns={"start_s": "seconds"})[["run", "seconds", "digest"]]
    during = (
        runs[["run", "reference", "start_s", "end_s"]]
        .astype({"reference": object})
        .merge(changes, left_on="reference", right_on="key")
    )  # (no runs: a float column)
    during = during[
        (during["seconds"] > during["start_s"]) & (during["seconds"] < during["end_s"])
    ][["run", "seconds", "digest"]]
    points = pd.concat([first, during], ignore_index=True).sort_values(
        ["run", "seconds"], kind="stable"
    )
    points = points.join(
        runs.set_index("run")[["end_s", "digest"]].rename(columns={"digest": "running"}), on="run"
    )
    points["next"] = points.groupby("run")["seconds"].shift(-1).fillna(points["end_s"])
    stale = points["digest"].notna() & (points["digest"] != points["running"])
    points["stale_s"] = np.where(stale, points["next"] - points["seconds"], 0.0)
    stale_s = points.groupby("run")["stale_s"].sum().reindex(runs["run"]).fillna(0.0)
    stale_run_s = np.where(runs["reference_kind"].isin(["pinned", "invalid"]), 0.0, stale_s)
    start = sim.start
    return pd.DataFrame(
        {
            "namespace": runs["namespace"],
            "pod": runs["pod"],
            "node": runs["node"],
            "policy": runs["policy"],
            "reference_kind": runs["reference_kind"],
            "reference": runs["reference"],
            "digest": runs["digest"],
            "start": start + pd.to_timedelta(runs["start_s"].to_numpy(), unit="s"),
            "run_time": pd.to_timedelta((runs["end_s"] - runs["start_s"]).to_numpy(), unit="s"),
            "stale_time": pd.to_timedelta(np.asarray(stale_run_s, dtype=float), unit="s"),
        }
    )


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
