"""What image stream tags and upstream tags pointed at over time, from the event log.

Both timelines are change lists: one row per moment the pointer moved, with the log
position (``row``) to order changes that share a time.  ``image``/``digest`` is None
when the tag stopped pointing at anything (deleted).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from simkit.analysis._frames import kind_rows
from simkit.analysis._memo import reused
from simkit.events import (
    REGISTRY_DELETE_TAG,
    REGISTRY_PUSH,
    REGISTRY_TAG,
    STREAM_DELETED,
    TAG_DELETED,
    TAG_REMOVED,
    TAG_UPDATED,
)

if TYPE_CHECKING:
    from simkit.simulation import Simulation

__all__ = ["stream_tag_changes", "upstream_changes"]


def _tag_key(rows: pd.DataFrame, owner: str, repository: str) -> np.ndarray:
    """``OWNER/REPOSITORY:TAG`` per row, from those columns and ``tag``, as an object array.

    Each distinct key is one string that its rows share: a log's tags move many times,
    and a string per row (about 80 bytes) was most of the memory of the changes.  The
    distinct keys are built by the plain expression on one row of each, so the values
    are the same; columns that are not all strings take the plain expression.
    """
    columns = [owner, repository, "tag"]
    if not all(pd.api.types.is_string_dtype(rows[c]) for c in columns) or not len(rows):
        return _plain_tag_key(rows, owner, repository).to_numpy(dtype=object)
    combined = np.zeros(len(rows), dtype=np.int64)
    for column in columns:
        codes, uniques = pd.factorize(rows[column], use_na_sentinel=False)
        combined = pd.factorize(combined * len(uniques) + codes)[0].astype(np.int64)
    # codes number the keys in order of first appearance: their first rows, in order
    first = np.unique(combined, return_index=True)[1]
    keys = _plain_tag_key(rows.iloc[first], owner, repository).to_numpy(dtype=object)
    return keys[combined]


def _plain_tag_key(rows: pd.DataFrame, owner: str, repository: str) -> pd.Series:
    """``OWNER/REPOSITORY:TAG`` per row, one string each."""
    return (
        rows[owner].astype(str) + "/" + rows[repository].astype(str) + ":" + rows["tag"].astype(str)
    )


@reused
def stream_tag_changes(sim: Simulation) -> pd.DataFrame:
    """Every change of every image stream tag: ``tag_updated``, ``tag_removed``,
    ``tag_deleted`` and ``stream_deleted`` events.

    Returns
    -------
    pandas.DataFrame
        ``row``, ``seconds``, ``key`` (``"ns/stream:tag"``), ``image`` (the digest, or
        None: removed, or a ``--reference`` tag that holds no image), ``reference``
        (the pull spec it resolved to) and ``removed`` (bool), in log order.  A
        ``stream_deleted`` event becomes one removal per tag the stream had.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation()
    >>> _ = sim.registry("quay.io").push("acme/ruby", "2.7")
    >>> _ = sim.oc("tag quay.io/acme/ruby:2.7 ruby:2.7")
    >>> sim.advance("1m")
    >>> _ = sim.oc("delete istag/ruby:2.7")
    >>> stream_tag_changes(sim)[["seconds", "key", "removed"]]
       seconds               key  removed
    0      1.0  default/ruby:2.7    False
    1     60.0  default/ruby:2.7     True
    """
    return _stream_tag_changes(sim, reference=True)


def _stream_tag_changes(sim: Simulation, reference: bool) -> pd.DataFrame:
    """:func:`stream_tag_changes`, without its ``reference`` column unless ``reference``
    (staleness compares images only: the pull specs, a new string per change read back
    from a spilled chunk, are then never read)."""
    rows = kind_rows(
        sim,
        [TAG_UPDATED, TAG_REMOVED, TAG_DELETED, STREAM_DELETED],
        ["namespace", "stream", "tag", "image", *(["reference"] if reference else [])],
    )
    deleted = rows["kind"] == STREAM_DELETED
    if deleted.any():
        # a deleted stream ends every tag it had: expand to the tags seen before
        seen = rows.loc[~deleted, ["namespace", "stream", "tag"]].drop_duplicates()
        ends = rows.loc[deleted].drop(columns="tag").merge(seen, on=["namespace", "stream"])
        rows = pd.concat([rows.loc[~deleted], ends], ignore_index=True)
        rows = rows.sort_values("row", kind="stable", ignore_index=True)
    removed = rows["kind"].to_numpy() != TAG_UPDATED
    image = rows["image"].astype(object).where(~removed & rows["image"].notna(), None)
    columns = {
        "row": rows["row"].to_numpy(),
        "seconds": rows["seconds"].to_numpy(dtype=float),
        "key": _tag_key(rows, "namespace", "stream"),
        "image": image.to_numpy(dtype=object),
    }
    if reference:
        columns["reference"] = rows["reference"].astype(object).where(~removed, None).to_numpy()
    out = pd.DataFrame(columns | {"removed": removed})
    # tag_removed and tag_deleted both report one deletion: keep the first
    duplicate = out["removed"] & out.duplicated(["seconds", "key", "removed"])
    return out[~duplicate].reset_index(drop=True)


@reused
def upstream_changes(sim: Simulation) -> pd.DataFrame:
    """Every move of every tag of every external registry: ``registry_push``,
    ``registry_tag`` and ``registry_delete_tag`` events.

    Returns
    -------
    pandas.DataFrame
        ``row``, ``seconds``, ``key`` (``"host/repository:tag"``), ``digest`` (None
        after a delete) and ``change`` (``"push"``, ``"tag"`` or ``"delete"``).

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation()
    >>> quay = sim.registry("quay.io")
    >>> _ = quay.push("acme/ruby", "2.7")
    >>> sim.advance("1h")
    >>> _ = quay.tag("acme/ruby", "2.7", "latest")
    >>> upstream_changes(sim)[["seconds", "key", "change"]]
       seconds                       key change
    0      0.0     quay.io/acme/ruby:2.7   push
    1   3600.0  quay.io/acme/ruby:latest    tag
    """
    rows = kind_rows(
        sim,
        [REGISTRY_PUSH, REGISTRY_TAG, REGISTRY_DELETE_TAG],
        ["registry", "repository", "tag", "digest"],
    )
    kind = rows["kind"].to_numpy()
    change = np.select([kind == REGISTRY_PUSH, kind == REGISTRY_TAG], ["push", "tag"], "delete")
    key = _tag_key(rows, "registry", "repository")
    digest = rows["digest"].astype(object).where(change != "delete", None)
    return pd.DataFrame(
        {
            "row": rows["row"].to_numpy(),
            "seconds": rows["seconds"].to_numpy(dtype=float),
            "key": key,
            "digest": digest.to_numpy(dtype=object),
            "change": change.astype(object),
        }
    )
