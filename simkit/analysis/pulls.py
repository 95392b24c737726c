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
    pulls = kind_rows(sim, [PULL], ["image", "decision"])
    stored = pulls["decision"].isin(["pulled", "cached"]).to_numpy()
    # a pull of a digest (or of text with "@", which parses only as a digest reference)
    # stores no name: tell those apart without parsing each of them
    images = pulls["image"].to_numpy(dtype=object)
    named = stored & np.fromiter(
        (isinstance(i, str) and "@" not in i for i in images), bool, len(images)
    )
    width = pd.Timedelta(freq).total_seconds()
    now = float(sim.now)
    ends = np.arange(width, now + width, width)
    if len(ends):  # none before any time has passed
        ends[-1] = min(ends[-1], now)
    columns = ["time", "image", "nodes", "digests"]
    texts = pd.unique(images[named])
    tagged = {image: _tagged_name(image) for image in texts}
    if not any(tagged.values()):
        return pd.DataFrame([], columns=columns)
    keep = np.flatnonzero(named)
    keep = keep[[tagged[image] is not None for image in images[keep]]]
    rows = kind_rows(sim, [PULL], ["node", "digest"]).iloc[keep]
    lost = kind_rows(sim, [NODE_LOST], ["node"])
    names = [name for image in images[keep] if (name := tagged[image]) is not None]
    return _drift_bins(sim, ends, rows, names, lost, columns)


def _drift_bins(
    sim: Simulation,
    ends: np.ndarray,
    pulls: pd.DataFrame,
    names: list[str],
    lost: pd.DataFrame,
    columns: list[str],
) -> pd.DataFrame:
    """:func:`drift_over_time`'s bins, replaying the stored names once in time order.

    Each node keeps, per name, the digest of its last successful pull; a ``node_lost``
    at second *t* forgets the node's names pulled at or before *t* (so a pull in the
    same second as the loss is gone too).  At each bin's end, the names some node
    holds are counted, in name order; a bin before the first stored pull is skipped.
    """
    order, codes = np.unique(np.asarray(names, dtype=object), return_inverse=True)
    pull_s = pulls["seconds"].to_numpy(dtype=float)
    lost_s = lost["seconds"].to_numpy(dtype=float)
    # every event in time order; in one second the pulls first, each kind in log order
    seconds = np.concatenate([pull_s, lost_s])
    is_lost = np.concatenate([np.zeros(len(pull_s), bool), np.ones(len(lost_s), bool)])
    events = np.lexsort((np.arange(len(seconds)), is_lost, seconds))
    nodes = list(pulls["node"]) + list(lost["node"])
    digests = list(pulls["digest"])
    holding: dict[object, dict[int, object]] = {}  # node -> name code -> digest
    per_name: list[dict[object, int]] = [{} for _ in order]  # digest -> nodes holding it
    node_count = np.zeros(len(order), dtype=np.int64)
    digest_count = np.zeros(len(order), dtype=np.int64)

    def drop(code: int, digest: object) -> None:
        node_count[code] -= 1
        if digest is None or digest != digest:  # nunique leaves out missing digests
            return
        held = per_name[code]
        held[digest] -= 1
        if not held[digest]:
            del held[digest]
            digest_count[code] -= 1

    times, out_codes, out_nodes, out_digests = [], [], [], []
    position, first_pull = 0, pull_s.min()
    for end in ends:
        stop = np.searchsorted(seconds[events], end, side="right")
        for event in events[position:stop]:
            node = nodes[event]
            if is_lost[event]:
                for code, digest in holding.pop(node, {}).items():
                    drop(code, digest)
                continue
            code, digest = int(codes[event]), digests[event]
            names_on_node = holding.setdefault(node, {})
            if code in names_on_node:
                drop(code, names_on_node[code])
            names_on_node[code] = digest
            node_count[code] += 1
            if digest is not None and digest == digest:
                held = per_name[code]
                if digest not in held:
                    digest_count[code] += 1
                held[digest] = held.get(digest, 0) + 1
        position = stop
        if first_pull > end:
            continue
        active = np.flatnonzero(node_count)
        times.append(np.full(len(active), end))
        out_codes.append(active)
        out_nodes.append(node_count[active])
        out_digests.append(digest_count[active])
    if not any(len(a) for a in out_codes):
        return pd.DataFrame([], columns=columns)
    active = np.concatenate(out_codes)
    stamps = sim.start + pd.to_timedelta(np.concatenate(times), unit="s")
    return pd.DataFrame(
        {
            "time": stamps,
            "image": order[active],
            "nodes": np.concatenate(out_nodes),
            "digests": np.concatenate(out_digests),
        },
        columns=columns,
    )
