"""CPU per steady simulated day of ``benchmarks/cluster_year.py``'s cluster, pure Python
against the optional compiled build (``SIMKIT_COMPILE=1 pip install .``, see setup.py).

Each side runs in its own process: the compiled one imports the simkit this interpreter
imports; the pure one imports a temporary copy of that same package without its ``.so``
files, i.e. the very ``.py`` sources the modules were compiled from.  Each builds the
cluster, simulates ``--warm`` days (the node image stores and the pruner reach their steady
state), then times ``--days`` more days in CPU seconds (``time.process_time``); the best of
``--repeat`` runs per side is printed, with the ratio, and the event log digests of both
sides, which must be equal.

Run: ``python benchmarks/compiled.py [--streams 1000 --nodes 40 --pods 1000 --warm 1
--days 1 --repeat 3]`` with the compiled simkit importable (from a checkout, run it from
elsewhere or with ``PYTHONPATH`` set to the directory that holds the compiled package:
pytest's and Python's own ``sys.path`` put the current directory first).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Run in a child: build the cluster, warm it up, time the steady days, digest the log.
CHILD = """
import hashlib, json, sys, time
sys.path.insert(0, {benchmarks!r})
import simkit.engine
from cluster_year import build, DAY
a = json.loads({args!r})
sim = build(a["streams"], a["nodes"], a["pods"], 1.0, seed=a["seed"])
sim.advance(a["warm"] * DAY)
began = time.process_time()
sim.advance(a["days"] * DAY)
cpu = time.process_time() - began
digest = hashlib.sha256()
for record in sim.log:
    digest.update(repr(sorted(record.items())).encode())
print(json.dumps({{"cpu": cpu / a["days"], "records": len(sim.log),
                  "digest": digest.hexdigest()[:16], "engine": simkit.engine.__file__}}))
"""


def compiled_package() -> Path | None:
    """The directory of the simkit this interpreter imports, if its hot modules are
    compiled (``simkit.engine`` is an extension module), else None."""
    import simkit
    import simkit.engine

    if not simkit.engine.__file__ or simkit.engine.__file__.endswith(".py"):
        return None
    return Path(simkit.__file__).resolve().parent


def pure_copy(package: Path, into: Path) -> Path:
    """``package`` copied under ``into`` without its compiled modules (``.so``, ``.pyd``)
    or bytecode; returns the directory to put on ``PYTHONPATH``."""
    shutil.copytree(
        package, into / "simkit", ignore=shutil.ignore_patterns("*.so", "*.pyd", "__pycache__")
    )
    return into


def run_side(args: dict[str, float], pythonpath: str | None) -> dict[str, object]:
    """One child run: ``pythonpath`` first on its ``sys.path`` (None: inherited)."""
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = pythonpath
    code = CHILD.format(benchmarks=str(HERE), args=json.dumps(args))
    # cwd: a directory with no simkit in it, so that the child imports the one asked for
    with tempfile.TemporaryDirectory() as cwd:
        out = subprocess.run(
            [sys.executable, "-c", code], env=env, cwd=cwd, check=True, capture_output=True
        )
    return json.loads(out.stdout.decode().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--streams", type=int, default=1000)
    parser.add_argument("--nodes", type=int, default=40)
    parser.add_argument("--pods", type=int, default=1000)
    parser.add_argument("--warm", type=float, default=1.0, help="days before timing")
    parser.add_argument("--days", type=float, default=1.0, help="days timed")
    parser.add_argument("--repeat", type=int, default=3, help="runs per side (best kept)")
    parser.add_argument("--seed", type=int, default=0)
    a = parser.parse_args()
    package = compiled_package()
    if package is None:
        sys.exit(
            "simkit is not compiled here (simkit.engine is a .py module): build it with "
            "SIMKIT_COMPILE=1 pip install . and run this script from outside the checkout"
        )
    args = {k: getattr(a, k) for k in ("streams", "nodes", "pods", "warm", "days", "seed")}
    with tempfile.TemporaryDirectory() as tmp:
        pure_path = str(pure_copy(package, Path(tmp)))
        sides = {"pure": pure_path, "compiled": str(package.parent)}
        best: dict[str, dict[str, object]] = {}
        for _ in range(a.repeat):
            for side, path in sides.items():
                run = run_side(args, path)
                if side not in best or float(run["cpu"]) < float(best[side]["cpu"]):  # type: ignore[arg-type]
                    best[side] = run
    for side, run in best.items():
        print(
            f"{side:9} {run['cpu']:.2f} s CPU per day  records {run['records']}  "
            f"sha256 {run['digest']}  ({run['engine']})"
        )
    pure, compiled = best["pure"], best["compiled"]
    print(f"speed-up  {float(pure['cpu']) / float(compiled['cpu']):.2f}x")  # type: ignore[arg-type]
    if (pure["records"], pure["digest"]) != (compiled["records"], compiled["digest"]):
        sys.exit("the compiled build's event log differs from the pure one's")


if __name__ == "__main__":
    main()
