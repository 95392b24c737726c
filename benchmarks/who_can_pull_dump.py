"""Who-can-pull on a large cluster dump: load time, pull-matrix time, one ``can_pull``.

The dump (written to a temporary file as ``oc get -o yaml`` would give it) has
``--projects`` namespaces with one image stream each, ``--accounts`` service accounts
spread over them, and ``--bindings`` RoleBindings granting ``system:image-puller`` across
projects (to a project's service-account group, or to one service account).  Target:
``pull_matrix`` takes no longer than loading the dump it analyses.

Run: ``python benchmarks/who_can_pull_dump.py [--projects 2000 --accounts 20000
--bindings 10000]``.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import tracemalloc
from pathlib import Path

import yaml


def make_dump(projects: int, accounts: int, bindings: int, seed: int = 0) -> dict:
    """A ``kind: List`` of namespaces, streams, service accounts and RoleBindings."""
    rng = random.Random(seed)
    items: list[dict] = []
    names = [f"project-{i:05d}" for i in range(projects)]
    for name in names:
        items.append({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name}})
        items.append(
            {
                "apiVersion": "image.openshift.io/v1",
                "kind": "ImageStream",
                "metadata": {"name": "app", "namespace": name},
                "spec": {"lookupPolicy": {"local": False}, "tags": []},
            }
        )
    for i in range(accounts):
        items.append(
            {
                "apiVersion": "v1",
                "kind": "ServiceAccount",
                "metadata": {"name": f"sa-{i:06d}", "namespace": names[i % projects]},
            }
        )
    for i in range(bindings):
        target = names[rng.randrange(projects)]
        source = names[rng.randrange(projects)]
        if rng.random() < 0.5:
            subject = {
                "kind": "Group",
                "apiGroup": "rbac.authorization.k8s.io",
                "name": f"system:serviceaccounts:{source}",
            }
        else:
            subject = {
                "kind": "ServiceAccount",
                "namespace": source,
                "name": f"sa-{rng.randrange(accounts):06d}",
            }
        items.append(
            {
                "apiVersion": "rbac.authorization.k8s.io/v1",
                "kind": "RoleBinding",
                "metadata": {"name": f"pull-{i:06d}", "namespace": target},
                "roleRef": {
                    "apiGroup": "rbac.authorization.k8s.io",
                    "kind": "ClusterRole",
                    "name": "system:image-puller",
                },
                "subjects": [subject],
            }
        )
    return {"apiVersion": "v1", "kind": "List", "items": items}


def timed(label: str, func):
    tracemalloc.start()
    start = time.perf_counter()
    value = func()
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"{label:<28} {seconds:9.2f} s   peak {peak / 2**20:8.1f} MiB")
    return value, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--accounts", type=int, default=20000)
    parser.add_argument("--bindings", type=int, default=10000)
    args = parser.parse_args()

    from simkit.analysis import pull_matrix
    from simkit.manifests import load_manifests

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "dump.yaml"
        dump = make_dump(args.projects, args.accounts, args.bindings)
        path.write_text(yaml.safe_dump(dump, sort_keys=False))
        print(
            f"dump: {args.projects} projects, {args.accounts} service accounts, "
            f"{args.bindings} RoleBindings, {path.stat().st_size / 2**20:.1f} MiB"
        )
        sim, load_s = timed("load_manifests", lambda: load_manifests(path))
    matrix, matrix_s = timed("pull_matrix", lambda: pull_matrix(sim))
    subject = "system:serviceaccount:project-00001:sa-000001"
    _, one_s = timed("one can_pull", lambda: sim.can_pull(subject, "project-00002/app"))
    print(
        f"matrix: {matrix.shape[0]} subjects x {matrix.shape[1]} streams, "
        f"{int(matrix.values.sum())} allowed"
    )
    ratio = matrix_s / load_s
    print(f"pull_matrix / load = {ratio:.2f}  (target <= 1.0): {'PASS' if ratio <= 1 else 'FAIL'}")


if __name__ == "__main__":
    main()
