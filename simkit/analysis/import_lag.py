"""Import lag: how long after an upstream tag moved did the image stream tag follow it.

Reads the event log (``registry_push``, ``registry_tag``, ``registry_delete_tag``,
``tag_updated``) and the image streams' spec (which upstream tag each stream tag
imports), nothing else.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from simkit.analysis._memo import reused
from simkit.events import REGISTRY_DELETE_TAG, REGISTRY_PUSH, REGISTRY_TAG, TAG_UPDATED
from simkit.refs import InvalidReference, parse_pull_spec
from simkit.state.registries import DOCKER_HUB_ALIASES

if TYPE_CHECKING:
    from simkit.simulation import Simulation


COLUMNS = [
    "namespace",
    "stream",
    "tag",
    "source",
    "registry",
    "repository",
    "source_tag",
    "scheduled",
    "change",
    "digest",
    "pushed",
    "imported",
    "lag",
    "superseded",
    "next_change",
]

_SOURCE_KEY = ["registry", "repository", "source_tag"]
_CHANGES = np.array(["tag", "push"], dtype=object)
_STREAM_KEY = ["namespace", "stream", "tag"]


def stream_sources(sim: Simulation) -> pd.DataFrame:
    """One row per image stream tag that imports an upstream tag, from the streams' spec.

    Columns ``namespace``, ``stream``, ``tag``, ``source`` (the ``from`` name as
    written), ``registry`` / ``repository`` / ``source_tag`` (the Docker client
    defaults applied, as the importer resolves it) and ``scheduled``.  Tags that are
    references, not DockerImage, or pinned to a digest are left out.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation()
    >>> _ = sim.oc("tag --scheduled docker.io/mysql:8 db:8 -n default")
    >>> stream_sources(sim)[["tag", "registry", "repository", "source_tag", "scheduled"]]
      tag   registry     repository source_tag  scheduled
    0   8  docker.io  library/mysql          8       True
    """
    rows = []
    for stream in sim.cluster.list("ImageStream"):
        for tag, ref in stream.spec_tags.items():
            if not ref.importable():
                continue
            try:
                parsed = parse_pull_spec(ref.source.name).docker_client_defaults()
            except InvalidReference:
                continue
            if parsed.id:
                continue
            host = DOCKER_HUB_ALIASES.get(parsed.registry, parsed.registry)
            repository = "/".join(p for p in (parsed.namespace, parsed.name) if p)
            rows.append(
                (
                    stream.namespace,
                    stream.name,
                    tag,
                    ref.source.name,
                    host,
                    repository,
                    parsed.tag,
                    bool(ref.scheduled),
                )
            )
    columns = [*_STREAM_KEY, "source", *_SOURCE_KEY, "scheduled"]
    frame = pd.DataFrame(rows, columns=columns)
    return frame.astype({c: object for c in columns[:-1]} | {"scheduled": bool})


def _kinds(sim: Simulation, kinds: list[str], columns: list[str]) -> pd.DataFrame:
    """Rows of ``kinds`` with ``columns`` (missing ones as NA), the log row as ``row``;
    read from those kinds' records and columns alone (``sim.events_of``)."""
    events = sim.events_of(*kinds, columns=columns)
    mask = events["kind"].isin(kinds).to_numpy()
    present = [c for c in columns if c in events.columns]
    out = events.loc[mask, ["seconds", "kind", *present]]
    for column in columns:
        if column not in out.columns:
            out[column] = pd.Series(pd.NA, index=out.index, dtype=object)
    out = out.reset_index(names="row")
    out["kind"] = out["kind"].astype(str)
    return out


def _codes(*columns: pd.Series | np.ndarray) -> np.ndarray:
    """One small integer per distinct combination of the columns' values (NA included)."""
    combined = np.zeros(len(columns[0]), dtype=np.int64)
    for column in columns:
        codes, uniques = pd.factorize(column, use_na_sentinel=False)
        combined = pd.factorize(combined * len(uniques) + codes)[0].astype(np.int64)
    return combined


@reused
def import_lag(sim: Simulation) -> pd.DataFrame:
    """For each upstream move of a tag a stream tag imports, when the stream tag followed.

    A *move* is a push (new image, or rebuild) or a ``registry.tag`` retag of the
    upstream tag.  For each move and each stream tag whose spec imports that upstream
    tag (matched on registry host, repository and tag after Docker client defaults), the
    result says when the stream tag's status first pointed at the new digest, before the
    upstream tag moved again.  Moves from before the stream tag's first status event (the
    initial import) are left out.

    Parameters
    ----------
    sim : Simulation
        Its event log and its image streams' spec (stream tags are matched to their
        current ``from``).

    Returns
    -------
    pandas.DataFrame
        One row per (move, stream tag), by ``pushed``:

        * ``namespace``, ``stream``, ``tag``: the stream tag; ``source``: its ``from``;
          ``registry``, ``repository``, ``source_tag``: the upstream tag;
          ``scheduled``: whether the stream tag is a scheduled import;
        * ``change``: ``"push"`` or ``"tag"``; ``digest``: what the upstream tag
          pointed at from then on;
        * ``pushed``: when (Timestamp); ``imported``: when the stream tag first pointed at
          ``digest`` (NaT if never); ``lag``: ``imported - pushed`` (NaT if never);
        * ``superseded``: the upstream tag moved on (``next_change``) before the stream
          tag ever pointed at ``digest``; a row with neither an import nor
          ``superseded`` is still pending.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation(seed=1)
    >>> quay = sim.registry("quay.io")
    >>> _ = quay.push("acme/app", "1.0")
    >>> _ = sim.oc("tag --scheduled quay.io/acme/app:1.0 app:1.0 -n default")
    >>> sim.advance("10m")
    >>> _ = quay.push("acme/app", "1.0")  # a rebuild: imported at the next visit
    >>> sim.advance("1h")
    >>> _ = quay.push("acme/app", "1.0")  # and two more in quick succession:
    >>> sim.advance("1m")
    >>> _ = quay.push("acme/app", "1.0")  # the first of them is never imported
    >>> sim.advance("1h")
    >>> lag = import_lag(sim)
    >>> lag[["tag", "change", "lag", "superseded"]]
       tag change                    lag  superseded
    0  1.0   push 0 days 00:08:45.500000       False
    1  1.0   push                    NaT        True
    2  1.0   push 0 days 00:07:45.500000       False
    """
    sources = stream_sources(sim)
    sources = sources.sort_values(_STREAM_KEY, ignore_index=True)
    sources["rank"] = np.arange(len(sources))
    moves = _kinds(
        sim,
        [REGISTRY_PUSH, REGISTRY_TAG, REGISTRY_DELETE_TAG],
        ["registry", "repository", "tag", "digest"],
    )
    moves = moves.rename(columns={"tag": "source_tag", "seconds": "pushed_s"})

    # The (move, stream tag) rows carry integer keys and the move's own columns only; the
    # stream tag's columns (seven strings) are taken from ``sources`` once, at the end:
    # frames of them, copied by each merge, were most of this helper's memory.
    # the next move of the same upstream tag (a deletion counts, then is dropped)
    source = _codes(*(pd.concat([moves[c], sources[c]], ignore_index=True) for c in _SOURCE_KEY))
    moves = moves.drop(columns=_SOURCE_KEY).assign(source_code=source[: len(moves)])
    sources["source_code"] = source[len(moves) :]
    order = np.lexsort((moves["row"].to_numpy(), moves["source_code"].to_numpy()))
    moves = moves.iloc[order]
    code, row, sec = (moves[c].to_numpy() for c in ("source_code", "row", "pushed_s"))
    same = np.zeros(len(code), dtype=bool)  # (np.append would give one entry for no moves)
    same[:-1] = code[1:] == code[:-1]
    moves["next_row"] = np.where(same, np.append(row[1:], 0), np.nan)
    moves["next_s"] = np.where(same, np.append(sec[1:], 0.0), np.nan)
    moves = moves[moves["kind"] != REGISTRY_DELETE_TAG]
    # the two names shared by every row (np.where would make a string per row)
    push = (moves["kind"] == REGISTRY_PUSH).to_numpy()
    moves["change"] = pd.array(_CHANGES[push.astype(np.intp)], dtype="str")
    moves = moves.drop(columns="kind")
    rows = sources[["source_code", "rank"]].merge(moves, on="source_code", how="inner")
    del moves, code, row, sec, same, push

    # integer keys: one per stream tag, one per (stream tag, digest)
    updates = _kinds(sim, [TAG_UPDATED], [*_STREAM_KEY, "image"])
    updates = updates[updates["image"].notna()]
    n = len(sources)
    tags = _codes(*(pd.concat([sources[c], updates[c]], ignore_index=True) for c in _STREAM_KEY))
    tag_code = tags[:n][rows["rank"].to_numpy()]
    images = pd.concat([rows["digest"], updates["image"]], ignore_index=True)
    pairs = _codes(np.concatenate([tag_code, tags[n:]]), images)
    del images
    rows = rows.assign(tag_code=tag_code, pair_code=pairs[: len(rows)])
    updates = pd.DataFrame(
        {
            "row": updates["row"].to_numpy(),
            "seconds": updates["seconds"].to_numpy(),
            "tag_code": tags[n:],
            "pair_code": pairs[len(rows) :],
        }
    )
    del tags, tag_code, pairs

    # moves before the stream tag's first status event: its initial import, left out
    first = updates.groupby("tag_code")["row"].min()
    first_row = rows["tag_code"].map(first).to_numpy(dtype=float)
    rows = rows[np.isnan(first_row) | (rows["row"].to_numpy() >= first_row)]

    rows = rows.sort_values("row", kind="stable")
    hits = updates[["row", "pair_code", "seconds"]].rename(
        columns={"row": "hit_row", "seconds": "imported_s"}
    )
    rows = pd.merge_asof(
        rows, hits, left_on="row", right_on="hit_row", by="pair_code", direction="forward"
    )
    # the stream tag already pointed at the digest when upstream moved to it (a rollback)
    current = updates[["row", "tag_code", "pair_code"]].rename(
        columns={"row": "cur_row", "pair_code": "cur_pair"}
    )
    rows = pd.merge_asof(
        rows, current, left_on="row", right_on="cur_row", by="tag_code", direction="backward"
    )
    already = rows["cur_pair"].to_numpy() == rows["pair_code"].to_numpy()
    rows.loc[already, "imported_s"] = rows.loc[already, "pushed_s"]
    rows.loc[already, "hit_row"] = rows.loc[already, "row"]
    late = rows["next_row"].notna() & (rows["hit_row"] > rows["next_row"])
    rows.loc[late, "imported_s"] = np.nan

    start = sim.start.as_unit("ns")

    def stamp(seconds: pd.Series) -> pd.DatetimeIndex:
        return start + pd.to_timedelta(seconds.to_numpy(dtype=float), unit="s").as_unit("ns")

    pushed, imported, next_change = (stamp(rows[c]) for c in ("pushed_s", "imported_s", "next_s"))
    own = pd.DataFrame(
        {
            "change": rows["change"].array,
            "digest": rows["digest"].array,
            "pushed": pushed,
            "imported": imported,
            "lag": imported - pushed,
            "superseded": rows["next_row"].notna().to_numpy() & np.isnan(rows["imported_s"]),
            "next_change": next_change,
        }
    )
    rank = rows["rank"].to_numpy()
    order = np.lexsort((rank, rows["row"].to_numpy()))
    del rows, pushed, imported, next_change
    stream_tag = sources.drop(columns=["rank", "source_code"]).iloc[rank[order]]
    out = pd.concat(
        [stream_tag.reset_index(drop=True), own.iloc[order].reset_index(drop=True)], axis=1
    )
    return out[COLUMNS]
