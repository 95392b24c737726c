"""Pull outcomes over time, and drift: nodes disagreeing on what an image name is."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from simkit.analysis._frames import kind_rows
from simkit.events import NODE_LOST, PULL
from simkit.refs import InvalidReference, parse_image

if TYPE_CHECKING:
    from simkit.simulation import Simulation

__all__ = ["DECISIONS", "drift", "drift_over_time", "pull_outcomes"]

DECISIONS = ("cached", "pulled", "failed", "refused", "backoff", "never", "invalid")
"""The ``decision`` values of ``pull`` events, the kubelet's answers in order."""


def pull_outcomes(sim: Simulation, freq: str = "1h") -> pd.DataFrame:
    """How many pulls per pull policy and decision, per time bin.

    Parameters
    ----------
    sim : Simulation
    freq : str
        Bin width (a pandas frequency: ``"15min"``, ``"1h"``, ``"1D"``).

    Returns
    -------
    pandas.DataFrame
        Long form, one row per (bin, policy, decision) that happened: ``time`` (bin
        start), ``policy``, ``decision`` (``cached``, ``pulled``, ``failed``,
        ``refused``, ``backoff``, ``never``, ``invalid``), ``pulls`` and ``bytes``.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation(seed=1, nodes=1)
    >>> _ = sim.registry("quay.io").push("acme/ruby", "3.1")
    >>> for policy in ("IfNotPresent", "IfNotPresent", "Always"):
    ...     _ = sim.run_pod("default", "quay.io/acme/ruby:3.1", pull_policy=policy)
    ...     sim.advance("1m")
    >>> pull_outcomes(sim)[["policy", "decision", "pulls"]]
             policy decision  pulls
    0        Always   pulled      1
    1  IfNotPresent   cached      1
    2  IfNotPresent   pulled      1
    """
    pulls = kind_rows(sim, [PULL], ["policy", "decision", "bytes"])
    width = pd.Timedelta(freq).total_seconds()
    bins = np.floor(pulls["seconds"].to_numpy(dtype=float) / width) * width
    frame = pd.DataFrame(
        {
            "time": sim.start + pd.to_timedelta(bins, unit="s"),
            "policy": pulls["policy"].astype(str).to_numpy(),
            "decision": pulls["decision"].astype(str).to_numpy(),
            "bytes": pd.to_numeric(pulls["bytes"], errors="coerce").fillna(0).to_numpy(),
        }
    )
    out = frame.groupby(["time", "policy", "decision"], as_index=False).agg(
        pulls=("bytes", "size"), bytes=("bytes", "sum")
    )
    out["bytes"] = out["bytes"].astype("int64")
    return out


def _tagged_name(image: str) -> str | None:
    """The name a node stores a tag pull under, or None for digests and bad names."""
    try:
        ref = parse_image(image)
    except InvalidReference:
        return None
    if ref.digest:
        return None
    return f"{ref.name}:{ref.tag or 'latest'}"


def drift(sim: Simulation) -> pd.DataFrame:
    """Per tagged image name and node: the digest the node resolves it to now.

    A name *drifts* when nodes holding it resolve it to different digests: a pod with
    ``IfNotPresent`` runs whichever the node pulled last.

    Returns
    -------
    pandas.DataFrame
        One row per (image name, node holding it): ``image``, ``node``, ``digest``,
        ``version`` (1 for the oldest of the name's digests on any node, by first pull),
        ``digests`` (how many distinct digests the name has across nodes), ``drifted``
        (more than one) and ``pulled`` (when the node stored it).

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation(seed=1, nodes=2)
    >>> quay = sim.registry("quay.io")
    >>> _ = quay.push("acme/ruby", "3.1")
    >>> _ = sim.run_pod("default", "quay.io/acme/ruby:3.1", node="worker-0")
    >>> sim.advance("1h")
    >>> _ = quay.push("acme/ruby", "3.1")
    >>> _ = sim.run_pod("default", "quay.io/acme/ruby:3.1", node="worker-1")
    >>> sim.advance("1m")
    >>> drift(sim)[["node", "version", "digests", "drifted"]]
           node  version  digests  drifted
    0  worker-0        1        2     True
    1  worker-1        2        2     True
    """
    rows = []
    for node in sim.node_names:
        store = sim.cluster.get("Node", ("", node))  # the node's image store, in state
        assert store is not None  # a worker's Node is stored when it is added, never deleted
        for name, digest in store.names.items():
            if "@" in name:
                continue
            stored = store.images.get(digest)
            pulled = stored.pulled if stored is not None else np.nan
            rows.append((name, node, digest, float(pulled)))
    frame = pd.DataFrame(rows, columns=["image", "node", "digest", "pulled_s"])
    frame = frame.sort_values(["image", "pulled_s", "node"], kind="stable", ignore_index=True)
    first = frame.groupby(["image", "digest"])["pulled_s"].min().rename("first_s")
    frame = frame.join(first, on=["image", "digest"])
    frame["version"] = frame.groupby("image")["first_s"].rank(method="dense").astype(int)
    frame["digests"] = frame.groupby("image")["digest"].transform("nunique").astype(int)
    frame["drifted"] = frame["digests"] > 1
    frame["pulled"] = sim.start + pd.to_timedelta(frame["pulled_s"].to_numpy(), unit="s")
    frame = frame.sort_values(["image", "node"], kind="stable", ignore_index=True)
    return frame[["image", "node", "digest", "version", "digests", "drifted", "pulled"]]


def drift_over_time(sim: Simulation, freq: str = "1h") -> pd.DataFrame:
    """How many distinct digests each tagged image name resolved to across nodes, over time.

    Rebuilt from ``pull`` events (``pulled`` and ``cached`` store or confirm a name on a
    node) and ``node_lost`` (the node's names are gone); sampled at the end of each bin.

    Returns
    -------
    pandas.DataFrame
        ``time`` (end of bin), ``image``, ``nodes`` (holding the name) and ``digests``
        (distinct digests among them).

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation(seed=1, nodes=2)
    >>> quay = sim.registry("quay.io")
    >>> _ = quay.push("acme/ruby", "3.1")
    >>> _ = sim.run_pod("default", "quay.io/acme/ruby:3.1", node="worker-0")
    >>> sim.advance("1h")
    >>> _ = quay.push("acme/ruby", "3.1")
    >>> _ = sim.run_pod("default", "quay.io/acme/ruby:3.1", node="worker-1")
    >>> sim.advance("1h")
    >>> drift_over_time(sim)[["nodes", "digests"]]
       nodes  digests
    0      1        1
    1      2        2
    """
    rows = kind_rows(sim, [PULL, NODE_LOST], ["node", "image", "decision", "digest"])
    stored = rows[(rows["kind"] == PULL) & rows["decision"].isin(["pulled", "cached"])]
    names = stored["image"].map(_tagged_name)
    stored = stored.assign(name=names)[names.notna()]
    lost = rows[rows["kind"] == NODE_LOST]
    width = pd.Timedelta(freq).total_seconds()
    now = float(sim.now)
    ends = np.arange(width, now + width, width)
    if len(ends):  # none before any time has passed
        ends[-1] = min(ends[-1], now)
    out = []
    for end in ends:
        seen = stored[stored["seconds"] <= end]
        if seen.empty:
            continue
        last_lost = lost[lost["seconds"] <= end].groupby("node")["seconds"].max()
        alive = seen["seconds"] > seen["node"].map(last_lost).fillna(-np.inf)
        state = seen[alive].groupby(["name", "node"]).tail(1)
        summary = state.groupby("name").agg(
            nodes=("node", "nunique"), digests=("digest", "nunique")
        )
        for name, (nodes, digests) in summary.iterrows():
            out.append(
                (sim.start + pd.Timedelta(seconds=float(end)), name, int(nodes), int(digests))
            )
    return pd.DataFrame(out, columns=["time", "image", "nodes", "digests"])
