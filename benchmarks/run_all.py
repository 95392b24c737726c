"""Run every benchmark, one after another, and print their figures.

``python benchmarks/run_all.py`` runs each script at the sizes its issue names, except
where that takes far longer than the rest (the cluster-year runs one week by default and
extrapolates; the cluster-month sweep runs 3 days x 2 seeds; ``--full`` runs 52 weeks, the
month's 30 days x 10 seeds, and the analysis helpers on the year as well as the month).
Each script compares against its named peer in the same run and prints its own ratios and
PASS/FAIL lines; this runner collects those lines into one table at the end.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

SUITE = [
    ("engine vs SimPy and heapq", ["engine.py"]),
    ("scheduled imports, 2,000 vs 10,000 streams, 7 days", ["imports.py"]),
    ("scheduled imports, 2,000 vs 10,000 streams, 30 days", ["imports.py", "--days", "30"]),
    ("scheduled-import throttle study", ["scheduled_throttle.py", "--orders", "random"]),
    ("cluster-year (5,000 streams, 200 nodes, 5,000 pods)", ["cluster_year.py"]),
    ("cluster-month (the same cluster, 30 days)", ["cluster_month.py"]),
    ("100 nodes, 2,000 pods, a week", ["pods_week.py"]),
    ("who-can-pull on a 2,000-project dump", ["who_can_pull_dump.py"]),
    ("event log memory, chunked vs list-per-field", ["eventlog_memory.py"]),
    (
        "analysis helpers on the cluster-month",
        ["analysis.py", "--streams", "5000", "--nodes", "200", "--pods", "5000", "--days", "30"],
    ),
    ("sweep of the default scenario, processes vs Dask", ["sweep_default.py"]),
    ("report writing vs simulation: default, 300 and 5,000 streams", ["report.py"]),
    (
        "sweep of the cluster-month, 15m vs 5m imports x seeds, processes vs Dask",
        ["sweep_month.py", "--quick"],
    ),
]


def run(name: str, command: list[str]) -> list[tuple[str, float, list[str]]]:
    """Run one benchmark script, print its output, and return its verdict lines."""
    print(f"\n=== {name} ===", flush=True)
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, str(HERE / command[0]), *command[1:]],
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    print(result.stdout, end="")
    if result.returncode:
        print(result.stderr[-2000:], end="")
    lines = [
        line.strip()
        for line in result.stdout.splitlines()
        if "PASS" in line
        or "FAIL" in line
        or "ratio" in line.lower()
        or re.search(r"peak.*\d", line.lower())
        or "floor" in line.lower()
    ]
    if result.returncode:
        lines.append(f"exit status {result.returncode}")
    return [(name, seconds, lines)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--full",
        action="store_true",
        help="the cluster-year runs 52 weeks, the month sweep 30 days x 10 seeds, and the "
        "analysis helpers run on the year too",
    )
    parser.add_argument("--only", help="run only benchmarks whose name contains this text")
    parser.add_argument(
        "--skip",
        action="append",
        default=[],
        help="leave out benchmarks whose name contains this text (repeatable): say "
        "--full --skip 'sweep of the cluster-month' to leave its 26 minutes out",
    )
    args = parser.parse_args()
    verdicts: list[tuple[str, float, list[str]]] = []
    for name, command in SUITE:
        if args.only and args.only not in name:
            continue
        if any(text in name for text in args.skip):
            print(f"\n=== {name} === (skipped)", flush=True)
            continue
        if args.full and command[0] == "cluster_year.py":
            command = [*command, "--weeks", "52"]
        if args.full and command[0] == "sweep_month.py":
            command = [command[0]]
        verdicts.extend(run(name, command))
        if args.full and command[0] == "analysis.py":
            year = [*command[:-1], "364", "--repeat", "1"]
            verdicts.extend(run("analysis helpers on the cluster-year", year))
    print("\n=== summary ===")
    for name, seconds, lines in verdicts:
        print(f"{name}  ({seconds:.0f} s)")
        for line in lines or ["(figures above)"]:
            print(f"    {line}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
