"""Stale-tag risk: how long and how often an image stream tag lagged behind its source.

A tag is *stale* while it points at a different image than its source points at: the
upstream tag it imports (``registry_push``/``registry_tag`` events), or the stream tag it
follows (an alias).  A permanent tag's source is the tag it was copied from: the stream
tag (``oc tag ruby:2.7 ruby:pinned``) or upstream tag (``oc tag quay.io/a/b@sha256:…``)
that pointed at the pinned image when the tag was made.  A ``--reference`` tag is never
stale: it holds no image, pulls resolve its source.  The window of a tag runs from the
first time it pointed at an image (after its last deletion) to now.

Reads the event log and the image streams' spec; nothing else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from simkit.analysis._frames import stream_tag_key, upstream_key
from simkit.analysis._memo import reused
from simkit.analysis.strategies import stream_tags
from simkit.analysis.timelines import _stream_tag_changes, stream_tag_changes, upstream_changes

if TYPE_CHECKING:
    from simkit.simulation import Simulation

__all__ = [
    "resolve_sources",
    "stale_episodes",
    "stale_tag_risk",
    "staleness_over_time",
    "tag_history",
]

RISK_COLUMNS = [
    "tag",
    "namespace",
    "stream",
    "strategy",
    "convention",
    "source",
    "scheduled",
    "reference_policy",
    "created",
    "image",
    "max_lag",
    "mean_lag",
    "stale_fraction",
    "stale_episodes",
    "stale_now",
    "versions_behind_now",
]
EPISODE_COLUMNS = ["tag", "strategy", "convention", "source", "start", "end", "duration", "ongoing"]


@reused
def _changes(sim: Simulation) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stream-tag and upstream changes as one ``(key, row, seconds, digest)`` frame each."""
    tags = _stream_tag_changes(sim, reference=False).rename(columns={"image": "digest"})
    up = upstream_changes(sim)
    return tags[["key", "row", "seconds", "digest", "removed"]], up[
        ["key", "row", "seconds", "digest"]
    ]


def _life(tag_changes: pd.DataFrame) -> pd.DataFrame:
    """Per tag key: ``start_row`` (first change of its current life), ``created`` (the
    first time in it the tag pointed at an image), ``image`` now and ``last_row``."""
    removed_at = tag_changes.loc[tag_changes["removed"]].groupby("key")["row"].max()
    frame = tag_changes.merge(
        removed_at.rename("removed_row"), left_on="key", right_index=True, how="left"
    )
    alive = frame[frame["removed_row"].isna() | (frame["row"] > frame["removed_row"])]
    with_image = alive[alive["digest"].notna()]
    created = with_image.groupby("key")["seconds"].min().rename("created_s")
    first = alive.groupby("key")["seconds"].min().rename("first_s")
    last = alive.groupby("key").tail(1).set_index("key")
    out = pd.DataFrame({"start_row": alive.groupby("key")["row"].min()})
    out = (
        out.join(created)
        .join(first)
        .join(last[["digest", "row"]].rename(columns={"digest": "image", "row": "last_row"}))
    )
    return out


@reused
def resolve_sources(sim: Simulation) -> pd.DataFrame:
    """:func:`~simkit.analysis.strategies.stream_tags`, with the source of permanent tags
    found from the history, and when each tag was created.

    A permanent tag (``from`` an image by digest) gets as ``source_key`` the tag that
    pointed at that image when the permanent tag first pointed at it: a tag of the same
    stream (not itself permanent) for an ``ImageStreamImage``, an upstream tag of the
    same repository for a ``DockerImage`` digest.  If none did, ``source_key`` stays
    empty.

    Returns
    -------
    pandas.DataFrame
        The columns of ``stream_tags`` plus ``created_s`` (seconds; NaN if the tag never
        pointed at an image), ``image`` (now) and ``last_row``.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation(seed=1)
    >>> _ = sim.registry("quay.io").push("acme/ruby", "2.7")
    >>> _ = sim.oc("tag quay.io/acme/ruby:2.7 ruby:2.7")
    >>> sim.advance("1m")
    >>> _ = sim.oc("tag ruby:2.7 ruby:pinned")
    >>> resolve_sources(sim)[["tag", "strategy", "source_key"]]
                       tag       strategy             source_key
    0     default/ruby:2.7  imported-once  quay.io/acme/ruby:2.7
    1  default/ruby:pinned      permanent       default/ruby:2.7
    """
    tags = stream_tags(sim)
    tag_changes, up = _changes(sim)
    life = _life(tag_changes)
    tags = tags.merge(
        life[["created_s", "first_s", "image", "last_row", "start_row"]],
        left_on="tag",
        right_index=True,
        how="left",
    )
    # a --reference tag holds no image: it exists from its first status event
    reference = tags["strategy"] == "reference"
    tags.loc[reference, "created_s"] = tags.loc[reference, "first_s"]
    tags = tags.drop(columns="first_s")
    pinned = tags.index[tags["source_type"] == "image"]
    if len(pinned):
        permanent = set(tags.loc[tags["strategy"] == "permanent", "tag"])
        for index in pinned:
            tags.at[index, "source_key"] = _pinned_source(
                sim, tags.loc[index], tag_changes, up, permanent
            )
    return tags


def _pinned_source(
    sim: Simulation,
    row: pd.Series,
    tag_changes: pd.DataFrame,
    up: pd.DataFrame,
    permanent: set[str],
) -> str:
    """The tag that pointed at a permanent tag's image when it was made, or ``""``."""
    if pd.isna(row["image"]) or pd.isna(row["start_row"]):
        return ""
    stream = sim.stream(row["namespace"], row["stream"])
    ref = stream.spec_tags.get(row["name"]) if stream is not None else None
    if ref is None or ref.source is None:
        return ""
    first = tag_changes[
        (tag_changes["key"] == row["tag"])
        & (tag_changes["row"] >= row["start_row"])
        & tag_changes["digest"].notna()
    ]
    if first.empty:
        return ""
    made_row, image = first["row"].iloc[0], first["digest"].iloc[0]
    if ref.source.kind == "ImageStreamImage":
        source_ns = ref.source.namespace or row["namespace"]
        stream_name = ref.source.name.split("@")[0]
        prefix = stream_tag_key(source_ns, stream_name, "")
        pool = tag_changes[
            tag_changes["key"].str.startswith(prefix) & ~tag_changes["key"].isin(permanent)
        ]
    else:
        parsed = upstream_key(ref.source.name)
        if parsed is None:
            return ""
        pool = up[up["key"].str.startswith(f"{parsed[0]}/{parsed[1]}:")]
    before = pool[pool["row"] < made_row]
    state = before.groupby("key").tail(1)
    hits = state.loc[state["digest"] == image, "key"]
    return str(sorted(hits)[0]) if len(hits) else ""


@reused
def _segments(sim: Simulation) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Per tag, the intervals between changes of it or its source, each stale or not.

    Returns ``(tags, segments, source_moves)``: the resolved tags; segments with ``tag``,
    ``start_s``, ``end_s``, ``length``, ``stale``; and the source moves joined to the
    tags that follow them (``tag``, ``row``, ``digest``).

    Tags and digests are handled as integer codes and the moves as numpy arrays: the
    frames of merged strings this once built took most of stale-tag risk's memory.
    Segments come in the order of the tags' names, then the log, then the tag's own
    change before its source's, as they did.
    """
    tags = resolve_sources(sim)
    tag_changes, up = _changes(sim)
    now = float(sim.now)
    tracked = tags[
        (tags["source_key"] != "") & tags["created_s"].notna() & (tags["strategy"] != "reference")
    ]
    link = tracked[["tag", "source_key", "start_row", "created_s"]].sort_values("tag")
    names = link["tag"].to_numpy(dtype=object)  # tag code -> name, in sorted order

    # the tags' own changes since the start of their current life
    tag_of = pd.Index(names).get_indexer(tag_changes["key"].to_numpy(dtype=object))
    own = np.flatnonzero(tag_of >= 0)
    own = own[tag_changes["row"].to_numpy()[own] >= link["start_row"].to_numpy()[tag_of[own]]]
    # their sources' changes: stream tags' and upstream tags', once per tag following them
    keys = link["source_key"].to_numpy(dtype=object)
    parts = [(tag_changes, own, tag_of[own], 0)] + [
        (frame, *_follow(frame, keys), 1) for frame in (tag_changes, up)
    ]
    moves = {
        "tag": np.concatenate([tag for _, _, tag, _ in parts]),
        "side": np.concatenate([np.full(len(at), side, np.int8) for _, at, _, side in parts]),
    }
    for column in ("row", "seconds", "digest"):  # (digests: references, no new strings)
        moves[column] = np.concatenate([frame[column].to_numpy()[at] for frame, at, _, _ in parts])
    theirs = slice(len(own), None)
    source_moves = pd.DataFrame(
        {
            "tag": names[moves["tag"][theirs]],
            "row": moves["row"][theirs],
            "digest": moves["digest"][theirs],
        }
    )
    order = np.lexsort((moves["side"], moves["row"], moves["tag"]))
    tag, side, seconds = moves["tag"][order], moves["side"][order], moves["seconds"][order]
    # digests as codes (-1: a removal, None), forward-filled per side within each tag; the
    # changes (and the digests only the tags' own changes hold) are let go first
    digest = pd.factorize(moves["digest"])[0][order]
    del moves, parts, tag_changes, up, own, tag_of, order
    first = np.ones(len(tag), dtype=bool)  # the first move of each tag
    first[1:] = tag[1:] != tag[:-1]
    mine, source = (_fill(np.where(side == s, digest, -2), first) for s in (0, 1))
    valid = (mine >= 0) & (source >= 0)  # both sides seen, neither pointing at nothing
    created = link["created_s"].to_numpy(dtype=float)[tag]
    next_s = np.append(seconds[1:], now)
    next_s[np.append(first[1:], True)] = now
    start = np.maximum(seconds, created)
    end = np.maximum(next_s, created)
    segments = pd.DataFrame(
        {
            "tag": names[tag],
            "start_s": start,
            "end_s": end,
            "length": end - start,
            "stale": valid & (mine != source),
        }
    )
    return tags, segments, source_moves


def _follow(changes: pd.DataFrame, source_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``(rows of changes, tag code)`` for each change of a source and each tag (code:
    position in ``source_keys``) that follows it, by change."""
    codes, keys = pd.factorize(source_keys)
    key_of = pd.Index(keys).get_indexer(changes["key"].to_numpy(dtype=object))
    at = np.flatnonzero(key_of >= 0)
    per_key = np.bincount(codes, minlength=len(keys))  # tags following each source key
    followers = per_key[key_of[at]]
    by_key = np.argsort(codes, kind="stable")  # tag codes grouped by source key
    offsets = np.concatenate([[0], np.cumsum(per_key)])
    rows = np.repeat(at, followers)
    nth = np.arange(len(rows)) - np.repeat(np.cumsum(followers) - followers, followers)
    return rows, by_key[offsets[key_of[rows]] + nth]


def _fill(values: np.ndarray, first: np.ndarray) -> np.ndarray:
    """``values`` with each ``-2`` replaced by the last other value before it in its
    group (groups start where ``first``), or left ``-2`` if none."""
    position = np.where(values != -2, np.arange(len(values)), -1)
    np.maximum.accumulate(position, out=position)
    start = np.maximum.accumulate(np.where(first, np.arange(len(values)), 0))
    return np.where(position >= start, values[np.maximum(position, 0)], -2)


def _episodes(segments: pd.DataFrame) -> pd.DataFrame:
    """Runs of stale segments: ``tag``, ``start_s``, ``end_s``, ``duration_s``."""
    segments = segments[segments["length"] > 0]
    change = segments["stale"] != segments.groupby("tag")["stale"].shift()
    run = change.cumsum()
    stale = segments[segments["stale"]].assign(run=run[segments["stale"]])
    return (
        stale.groupby(["tag", "run"], sort=False)
        .agg(
            start_s=("start_s", "min"),
            end_s=("end_s", "max"),
            duration_s=("length", "sum"),
        )
        .reset_index(level="run", drop=True)
        .reset_index()
    )


@reused
def _segments_and_episodes(
    sim: Simulation,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """:func:`_segments` and their :func:`_episodes` (stale-tag risk and stale episodes
    both start from them)."""
    tags, segments, theirs = _segments(sim)
    return tags, segments, theirs, _episodes(segments)


def stale_episodes(sim: Simulation) -> pd.DataFrame:
    """Every stretch of time an image stream tag was stale.

    Returns
    -------
    pandas.DataFrame
        One row per episode: ``tag``, ``strategy``, ``convention``, ``source``,
        ``start``/``end`` (Timestamps), ``duration`` (Timedelta) and ``ongoing``
        (still stale now).

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation(seed=1)
    >>> quay = sim.registry("quay.io")
    >>> _ = quay.push("acme/ruby", "2.7")
    >>> _ = sim.oc("tag --scheduled quay.io/acme/ruby:2.7 ruby:2.7")
    >>> sim.advance("1h")
    >>> _ = quay.push("acme/ruby", "2.7")
    >>> sim.advance("1h")
    >>> episodes = stale_episodes(sim)
    >>> episodes[["tag", "strategy", "ongoing"]]
                    tag   strategy  ongoing
    0  default/ruby:2.7  scheduled    False
    >>> print(episodes["duration"].iloc[0])
    0 days 00:03:45.500000
    """
    tags, _, _, episodes = _segments_and_episodes(sim)
    info = tags.set_index("tag")[["strategy", "convention", "source_key"]]
    episodes = episodes.join(info, on="tag")
    start = sim.start
    out = pd.DataFrame(
        {
            "tag": episodes["tag"].astype(object),
            "strategy": episodes["strategy"].astype(object),
            "convention": episodes["convention"].astype(object),
            "source": episodes["source_key"].astype(object),
            "start": start + pd.to_timedelta(episodes["start_s"].to_numpy(), unit="s"),
            "end": start + pd.to_timedelta(episodes["end_s"].to_numpy(), unit="s"),
            "duration": pd.to_timedelta(episodes["duration_s"].to_numpy(), unit="s"),
            "ongoing": episodes["end_s"].to_numpy() >= float(sim.now),
        }
    )
    return out.sort_values(["start", "tag"], kind="stable", ignore_index=True)


def stale_tag_risk(sim: Simulation) -> pd.DataFrame:
    """For every image stream tag: how long and how often it pointed at an older image
    than its source.

    Parameters
    ----------
    sim : Simulation
        Reads its event log (tag and upstream changes) and its streams' spec.

    Returns
    -------
    pandas.DataFrame
        One row per image stream tag that exists now:

        * ``tag`` (``"ns/stream:tag"``), ``namespace``, ``stream``;
        * ``strategy`` (permanent, alias, scheduled, reference, local, imported-once,
          pushed: see :mod:`simkit.analysis.strategies`), ``convention``
          (:func:`~simkit.analysis.classify_tag`), ``scheduled``, ``reference_policy``;
        * ``source``: the upstream ``host/repository:tag`` or followed
          ``ns/stream:tag`` (``""`` if none is known: a pushed tag, a pin of unknown
          origin);
        * ``created``: when the tag first pointed at an image; ``image``: its digest now;
        * ``max_lag`` and ``mean_lag`` (Timedelta): the longest and the mean stale
          episode (0 if never stale; NaT without a source);
        * ``stale_fraction``: the share of the time since ``created`` it was stale
          (NaN without a source); ``stale_episodes``: how many times it fell behind;
        * ``stale_now`` and ``versions_behind_now``: how many source images were
          published after the one the tag points at.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation(seed=1)
    >>> quay = sim.registry("quay.io")
    >>> _ = quay.push("acme/ruby", "2.7")
    >>> _ = sim.oc("tag --scheduled quay.io/acme/ruby:2.7 ruby:2.7")
    >>> _ = sim.oc("tag quay.io/acme/ruby:2.7 ruby:once")
    >>> sim.advance("1h")
    >>> _ = quay.push("acme/ruby", "2.7")
    >>> sim.advance("1h")
    >>> risk = stale_tag_risk(sim)
    >>> risk[["tag", "strategy", "stale_episodes", "versions_behind_now"]]
                     tag       strategy  stale_episodes  versions_behind_now
    0   default/ruby:2.7      scheduled               1                    0
    1  default/ruby:once  imported-once               1                    1
    >>> [str(lag) for lag in risk["max_lag"]]
    ['0 days 00:03:45.500000', '0 days 01:00:00']
    >>> risk["stale_fraction"].round(3).tolist()
    [0.031, 0.5]
    """
    tags, segments, theirs, episodes = _segments_and_episodes(sim)
    now = float(sim.now)
    per_tag = episodes.groupby("tag")["duration_s"].agg(["max", "mean", "sum", "count"])
    has_source = (tags["source_key"] != "") & tags["created_s"].notna()
    frame = tags.join(per_tag, on="tag")
    for column in ("max", "mean", "sum", "count"):
        frame[column] = frame[column].where(~has_source | frame[column].notna(), 0.0)
    # reference tags are resolved at pull time: never stale (no segments are built)
    window = now - frame["created_s"]
    ratio = np.where(window > 0, frame["sum"] / window.where(window > 0, 1.0), 0.0)
    fraction = pd.Series(ratio, index=frame.index).where(has_source)
    stale_now = segments.groupby("tag").tail(1).set_index("tag")["stale"]
    stale_now = frame["tag"].map(stale_now).fillna(False).astype(bool)
    behind = _versions_behind(frame, theirs)
    start = sim.start
    out = pd.DataFrame(
        {
            "tag": frame["tag"],
            "namespace": frame["namespace"],
            "stream": frame["stream"],
            "strategy": frame["strategy"],
            "convention": frame["convention"],
            "source": frame["source_key"],
            "scheduled": frame["scheduled"],
            "reference_policy": frame["reference_policy"],
            "created": start + pd.to_timedelta(frame["created_s"].to_numpy(), unit="s"),
            "image": frame["image"].astype(object).where(frame["image"].notna(), None),
            "max_lag": pd.to_timedelta(frame["max"].to_numpy(dtype=float), unit="s"),
            "mean_lag": pd.to_timedelta(frame["mean"].to_numpy(dtype=float), unit="s"),
            "stale_fraction": fraction.to_numpy(dtype=float),
            "stale_episodes": frame["count"].fillna(0).astype(int).to_numpy(),
            "stale_now": stale_now.to_numpy(),
            "versions_behind_now": np.where(stale_now, behind, 0).astype(int),
        }
    )
    return out[RISK_COLUMNS].reset_index(drop=True)


def _versions_behind(frame: pd.DataFrame, theirs: pd.DataFrame) -> np.ndarray:
    """Source moves after the last time the source pointed at the tag's image now (or,
    if it never did, after the tag last changed)."""
    current = frame.set_index("tag")[["image", "last_row"]]
    moves = theirs.join(current, on="tag")
    hit = moves[moves["digest"] == moves["image"]].groupby("tag")["row"].max()
    anchor = current["last_row"].where(~current.index.isin(hit.index), np.nan)
    anchor = anchor.fillna(hit.reindex(current.index))
    moves = moves.assign(anchor=moves["tag"].map(anchor))
    after = moves[(moves["row"] > moves["anchor"]) & moves["digest"].notna()]
    counts = after.groupby("tag").size()
    return frame["tag"].map(counts).fillna(0).to_numpy(dtype=int)


def staleness_over_time(sim: Simulation, freq: str = "1h") -> pd.DataFrame:
    """The share of each time bin each tag was stale: tags × time, for a heatmap.

    Parameters
    ----------
    sim : Simulation
    freq : str
        The bin width, a pandas frequency (``"15min"``, ``"1h"``, ``"1D"``).

    Returns
    -------
    pandas.DataFrame
        Index ``tag`` (those with a source), columns the bins' start times, values in
        0..1; NaN before the tag existed.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation(seed=1)
    >>> quay = sim.registry("quay.io")
    >>> _ = quay.push("acme/ruby", "2.7")
    >>> _ = sim.oc("tag quay.io/acme/ruby:2.7 ruby:once")
    >>> sim.advance("1h")
    >>> _ = quay.push("acme/ruby", "2.7")
    >>> sim.advance("2h")
    >>> staleness_over_time(sim, "1h").round(2).to_numpy().tolist()
    [[0.0, 1.0, 1.0]]
    """
    tags, segments, _ = _segments(sim)
    width = pd.Timedelta(freq).total_seconds()
    now = float(sim.now)
    bins = max(int(np.ceil(now / width)), 1)
    edges = np.arange(bins + 1) * width
    tracked = tags[(tags["source_key"] != "") & tags["created_s"].notna()]
    names = list(tracked["tag"])
    index = {name: i for i, name in enumerate(names)}
    stale = np.zeros((len(names), bins))
    segments = segments[(segments["length"] > 0) & segments["stale"]]
    rows = segments["tag"].map(index).to_numpy(dtype=np.intp)  # (no rows: not object dtype)
    highs = np.minimum(edges[1:], now)
    for k in range(bins):
        overlap = np.clip(
            np.minimum(segments["end_s"].to_numpy(), highs[k])
            - np.maximum(segments["start_s"].to_numpy(), edges[k]),
            0,
            None,
        )
        np.add.at(stale[:, k], rows, overlap)
    created = tracked["created_s"].to_numpy(dtype=float)[:, None]
    alive = np.clip(highs[None, :] - np.maximum(edges[None, :-1], created), 0, None)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(alive > 0, stale / alive, np.nan)
    columns = sim.start + pd.to_timedelta(edges[:-1], unit="s")
    out = pd.DataFrame(share, index=pd.Index(names, name="tag"), columns=columns)
    out.columns.name = "time"
    return out


def tag_history(sim: Simulation, tag: str, source: str | None = None) -> pd.DataFrame:
    """What an image stream tag and its source pointed at over time, for plotting.

    Parameters
    ----------
    sim : Simulation
    tag : str
        ``"ns/stream:tag"``.
    source : str, optional
        The source's key (``host/repository:tag`` or ``ns/stream:tag``); by default the
        one :func:`~simkit.analysis.stale_tag_risk` finds for ``tag``.

    Returns
    -------
    pandas.DataFrame
        One row per change of either: ``time`` (Timestamp), ``seconds``, ``series``
        (``"tag"`` or ``"source"``), ``key``, ``digest`` and ``version`` (1 for the first
        digest seen, 2 for the next new one ...; NaN while pointing at nothing).
        ``attrs`` holds ``tag``, ``source``, ``start`` and ``end`` (Timestamps).

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation(seed=1)
    >>> quay = sim.registry("quay.io")
    >>> _ = quay.push("acme/ruby", "2.7")
    >>> _ = sim.oc("tag --scheduled quay.io/acme/ruby:2.7 ruby:2.7")
    >>> sim.advance("1h")
    >>> _ = quay.push("acme/ruby", "2.7")
    >>> sim.advance("1h")
    >>> tag_history(sim, "default/ruby:2.7")[["seconds", "series", "version"]]
       seconds  series  version
    0      0.0  source        1
    1      1.0     tag        1
    2   3600.0  source        2
    3   3825.5     tag        2
    """
    if source is None:
        tags = resolve_sources(sim)
        match = tags.loc[tags["tag"] == tag, "source_key"]
        if match.empty:
            raise KeyError(f"{tag}: no such image stream tag")
        source = match.iloc[0] or None
    changes = stream_tag_changes(sim)
    own = changes.loc[changes["key"] == tag, ["row", "seconds", "key", "image"]]
    own = own.rename(columns={"image": "digest"}).assign(series="tag")
    parts = [own]
    if source:
        if source in set(changes["key"]):
            theirs = changes.loc[changes["key"] == source, ["row", "seconds", "key", "image"]]
            theirs = theirs.rename(columns={"image": "digest"})
        else:
            up = upstream_changes(sim)
            theirs = up.loc[up["key"] == source, ["row", "seconds", "key", "digest"]]
        parts.append(theirs.assign(series="source"))
    out = pd.concat(parts, ignore_index=True).sort_values("row", kind="stable")
    out = out.drop(columns="row").reset_index(drop=True)
    order = {d: i + 1 for i, d in enumerate(pd.unique(out["digest"].dropna()))}
    out["version"] = out["digest"].map(order)
    out.insert(0, "time", sim.start + pd.to_timedelta(out["seconds"], unit="s"))
    out = out[["time", "seconds", "series", "key", "digest", "version"]]
    out.attrs.update(tag=tag, source=source or "", start=sim.start, end=sim.clock)
    return out
