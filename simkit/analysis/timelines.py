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


def _tag_key(rows: pd.DataFrame, owner: str, repository: str) -> pd.Series:
    """``OWNER/REPOSITORY:TAG`` per row, from those columns and ``tag``."""
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
    rows = kind_rows(
        sim,
        [TAG_UPDATED, TAG_REMOVED, TAG_DELETED, STREAM_DELETED],
        ["namespace", "stream", "tag", "image", "reference"],
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
    key = _tag_key(rows, "namespace", "stream")
    out = pd.DataFrame(
        {
            "row": rows["row"].to_numpy(),
            "seconds": rows["seconds"].to_numpy(dtype=float),
            "key": key.to_numpy(dtype=object),
            "image": image.to_numpy(dtype=object),
            "reference": rows["reference"].astype(object).where(~removed, None).to_numpy(),
            "removed": removed,
        }
    )
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
            "key": key.to_numpy(dtype=object),
            "digest": digest.to_numpy(dtype=object),
            "change": change.astype(object),
        }
    )
