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
        ``exposure`` (Timedelta).  Empty if no image carries the label.

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
    pushes = kind_rows(sim, [REGISTRY_PUSH], ["registry", "repository", "digest"])
    pushes = pushes.drop_duplicates("digest", keep="first")
    labels = []
    for host, digest in pushes[["registry", "digest"]].itertuples(index=False):
        registry = sim.registries.get(host)
        image = registry.images.get(digest) if registry is not None else None
        value = image.labels.get(label) if image is not None else None
        labels.append(value or None)
    # pandas-stubs gaps: a column may hold None; a SeriesGroupBy of a groupby(...,
    # as_index=False) aggregates to a DataFrame
    pushes = pushes.assign(
        fix=labels,  # type: ignore[arg-type]
        repo=pushes["registry"] + "/" + pushes["repository"],
    )
    fixes = (
        pushes[pushes["fix"].notna()]
        .groupby(["repo", "fix"], as_index=False)["seconds"]
        .min()
        .rename(columns={"seconds": "published_s"})  # type: ignore[call-overload]
    )
    columns = [
        "namespace",
        "pod",
        "node",
        "policy",
        "digest",
        "repository",
        "fix",
        "published",
        "exposed_from",
        "exposed_until",
        "exposure",
    ]
    runs = running_intervals(sim)
    built = pushes.set_index("digest")[["repo", "seconds"]].rename(columns={"seconds": "built_s"})
    runs = runs.join(built, on="digest", how="inner")
    pairs = runs.merge(fixes, on="repo")
    pairs = pairs[pairs["built_s"] < pairs["published_s"]]
    exposed_from = np.maximum(pairs["start_s"].to_numpy(), pairs["published_s"].to_numpy())
    pairs = pairs.assign(exposed_from_s=exposed_from)
    pairs = pairs[pairs["end_s"] > pairs["exposed_from_s"]]
    start = sim.start

    def stamp(values: pd.Series) -> pd.DatetimeIndex:
        return start + pd.to_timedelta(values.to_numpy(dtype=float), unit="s")

    out = pd.DataFrame(
        {
            "namespace": pairs["namespace"],
            "pod": pairs["pod"],
            "node": pairs["node"],
            "policy": pairs["policy"],
            "digest": pairs["digest"],
            "repository": pairs["repo"],
            "fix": pairs["fix"],
            "published": stamp(pairs["published_s"]),
            "exposed_from": stamp(pairs["exposed_from_s"]),
            "exposed_until": stamp(pairs["end_s"]),
            "exposure": pd.to_timedelta(
                (pairs["end_s"] - pairs["exposed_from_s"]).to_numpy(), unit="s"
            ),
        },
        columns=columns,
    )
    return out.sort_values(["exposed_from", "pod"], kind="stable", ignore_index=True)
