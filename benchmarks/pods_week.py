"""A 100-node, 2,000-pod week: daily rebuilds, daily restarts, one 2-hour outage.

Pods run images from quay.io under the three pull-policy situations (Always, IfNotPresent,
and the defaulted policy of a ``latest`` tag); every upstream tag is rebuilt daily and every
container restarted daily; quay.io is down for two hours on day 3.  Everything printed is
computed from the event log: pulls per policy and decision, bytes pulled, pods in backoff
during and after the outage, and drift (nodes disagreeing on a tag's digest).

Run: ``python benchmarks/pods_week.py [--nodes 100 --pods 2000 --days 7]``.
"""

from __future__ import annotations

import argparse
import resource
import time

import pandas as pd

import simkit as sk
from simkit.analysis import drift
from simkit.upstream import start_release_model

IMAGES = 20
POLICIES = ("Always", "IfNotPresent", None)


def build(nodes: int, pods: int, seed: int = 0) -> sk.Simulation:
    """The cluster: ``IMAGES`` upstream repos rebuilt daily, ``pods`` replicas over 60
    Deployments (20 images x 3 policies), restarted daily, quay.io down on day 3."""
    sim = sk.Simulation(seed=seed, nodes=nodes, config=sk.Config(node_disk_capacity=40 * 1024**3))
    quay = sim.registry("quay.io")
    for i in range(IMAGES):
        for tag in ("1.0", "latest"):
            quay.push(f"acme/app{i}", tag)
        start_release_model(
            sim, quay, f"acme/app{i}", "rebuilds", {"tags": ["1.0", "latest"], "every": "1d"}
        )
    sim.oc("new-project shop --skip-config-write")
    sim.advance("30s")
    per = max(1, pods // (IMAGES * len(POLICIES)))
    for i in range(IMAGES):
        for policy in POLICIES:
            tag = "latest" if policy is None else "1.0"
            name = f"app{i}-{(policy or 'defaulted').lower()}"
            sim.deploy("shop", name, f"quay.io/acme/app{i}:{tag}", replicas=per, pull_policy=policy)
    sim.engine.every(3600.0, _restart_some, sim)
    sim.engine.at(3 * 86400.0, quay.outage, 2 * 3600.0)
    return sim


def _restart_some(sim: sk.Simulation) -> None:
    """Each hour, each running container restarts with probability 1/24: once a day on
    average, at random times."""
    running = [pod for pod in sim.pods() if pod.status == "Running"]
    for pod, draw in zip(running, sim.rng.random(len(running)), strict=True):
        if draw < 1 / 24:
            sim.kubelet.restart(pod)


def summarise(sim: sk.Simulation) -> None:
    """Print the week's figures from the event log."""
    events = sim.events
    pulls = events[events["kind"] == "pull"]
    table = pulls.pivot_table(
        index="policy", columns="decision", values="seconds", aggfunc="count", fill_value=0
    )
    print("pull decisions per policy:")
    print(table.to_string())
    moved = pulls.groupby("policy")["bytes"].sum() / 2**30
    print("GiB pulled per policy: " + ", ".join(f"{p} {v:,.1f}" for p, v in moved.items()))
    status = events[events["kind"] == "pod_status"]
    outage = (status["seconds"] >= 3 * 86400) & (status["seconds"] < 3 * 86400 + 7200)
    stuck = status[outage & status["status"].isin(["ErrImagePull", "ImagePullBackOff"])]
    print(f"pods in ErrImagePull/ImagePullBackOff during the outage: {stuck['pod'].nunique()}")
    now = pd.Series([p.status for p in sim.pods()]).value_counts()
    print("pod status at the end: " + ", ".join(f"{k} {v}" for k, v in now.items()))
    per_name = (
        drift(sim).groupby("image").agg(nodes=("node", "nunique"), digests=("digests", "max"))
    )
    drifted = per_name[per_name["digests"] > 1]
    print(
        f"image names on nodes: {len(per_name)}; drifted (nodes disagree on the digest): "
        f"{len(drifted)}, up to {int(per_name['digests'].max())} digests for one name"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--nodes", type=int, default=100)
    parser.add_argument("--pods", type=int, default=2000)
    parser.add_argument("--days", type=float, default=7.0)
    args = parser.parse_args()
    start = time.perf_counter()
    sim = build(args.nodes, args.pods)
    sim.advance(args.days * 86400)
    wall = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{args.nodes} nodes, {len(sim.pods())} pods, {args.days:g} days: {wall:.1f} s, "
        f"{len(sim.log):,} events, peak RSS {rss:,.0f} MiB"
    )
    summarise(sim)


if __name__ == "__main__":
    main()
