"""Coverage-guided fuzzing of simkit's parsers with atheris (libFuzzer), outside CI.

The hypothesis properties of ``tests/test_fuzz_parsers.py`` run in CI; this script runs
the same contracts under libFuzzer for as long as you like: each parser may raise only
its documented error type, always with a message.  Any other exception is a crash:
libFuzzer stops, prints the Python traceback and writes the input to ``crash-*``.

Targets: ``refs`` (parse_image, parse, parse_any_reference, parse_pull_spec,
split_istag, parse_istag_ref), ``oc`` (a command's words then fuzzed text, through
``sim.oc``), ``manifests`` (parse_documents, then every object applied in a transaction
that is never committed), ``scenarios`` (YAML or JSON text, validated),
``dockerconfig`` (parse_docker_config and a keyring lookup) and ``durations``
(parse_duration).

Run: ``pip install atheris`` then ``python benchmarks/fuzz_atheris.py --all --seconds 180``
(each target in its own process, then a table of runs per target), or one target with
``python benchmarks/fuzz_atheris.py --target oc --seconds 600 [libFuzzer flags ...]``.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

TARGETS = ("refs", "oc", "manifests", "scenarios", "dockerconfig", "durations")


def _check(exc: BaseException) -> None:
    if not str(exc).strip():
        raise AssertionError(f"{type(exc).__name__} without a message")


def make_target(name: str):
    """``test_one_input(data: bytes)`` for the target ``name``."""
    import atheris

    with atheris.instrument_imports(include=["simkit"]):
        import simkit as sk
        from simkit.credentials import DockerConfigError, parse_docker_config
        from simkit.durations import parse_duration
        from simkit.manifests import ManifestError, apply_objects
        from simkit.manifests.objects import manifests_from_documents
        from simkit.manifests.reader import parse_documents
        from simkit.oc.command import COMMANDS
        from simkit.oc.commands import tag  # noqa: F401 - registers the commands
        from simkit.refs import (
            InvalidReference,
            parse,
            parse_any_reference,
            parse_image,
            parse_istag_ref,
            parse_pull_spec,
            split_istag,
        )
        from simkit.scenarios import ScenarioError
        from simkit.scenarios.loading import validate

    if name == "refs":
        parsers = (
            parse_image,
            parse,
            parse_any_reference,
            parse_pull_spec,
            split_istag,
            lambda text: parse_istag_ref(text, "default"),
        )

        def one(data: bytes) -> None:
            text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(len(data))
            for parser in parsers:
                try:
                    parser(text)
                except InvalidReference as exc:
                    _check(exc)

        return one

    if name == "oc":
        sim = sk.Simulation(seed=1, nodes=1)
        sim.oc("new-project demo")
        quay = sim.registry("quay.io", users={"u": "p"})
        quay.push("a/b", "1")
        sim.oc("tag quay.io/a/b:1 b:1")
        sim.advance("1m")
        words = sorted(COMMANDS)

        def one(data: bytes) -> None:
            fdp = atheris.FuzzedDataProvider(data)
            command = words[fdp.ConsumeIntInRange(0, len(words) - 1)]
            rest = fdp.ConsumeUnicodeNoSurrogates(fdp.remaining_bytes())
            try:
                sim.oc(" ".join(command) + " " + rest)
            except sk.OcError as exc:
                _check(exc)

        return one

    if name == "manifests":
        sim = sk.Simulation(seed=1, nodes=1)

        def one(data: bytes) -> None:
            try:
                documents = parse_documents(data, "fuzz.yaml", max_bytes=1 << 20, max_depth=64)
                manifests = manifests_from_documents(documents)
                tx = sim.transaction()  # never committed: the simulation stays as it was
                apply_objects(tx, manifests, "load", sim=sim)
            except ManifestError as exc:
                _check(exc)

        return one

    if name == "scenarios":

        def one(data: bytes) -> None:
            try:
                documents = parse_documents(data, "fuzz.yaml", max_bytes=1 << 20, max_depth=64)
            except ManifestError:
                return
            for document in documents:
                try:
                    validate(document.data, path="fuzz.yaml", document=document)
                except ScenarioError as exc:
                    _check(exc)

        return one

    if name == "dockerconfig":

        def one(data: bytes) -> None:
            try:
                parse_docker_config(data)
                sk.Keyring.from_docker_config(data).lookup("quay.io/a/b:1")
            except DockerConfigError as exc:
                _check(exc)

        return one

    if name == "durations":

        def one(data: bytes) -> None:
            text = atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(len(data))
            try:
                parse_duration(text)
            except ValueError as exc:
                _check(exc)

        return one

    raise SystemExit(f"unknown target {name!r}; expected one of {', '.join(TARGETS)}")


def run_one(name: str, seconds: int, extra: list[str]) -> None:
    import atheris

    one = make_target(name)
    corpus = Path(tempfile.mkdtemp(prefix=f"simkit-fuzz-{name}-"))
    atheris.Setup(
        [
            sys.argv[0],
            f"-max_total_time={seconds}",
            "-print_final_stats=1",
            "-rss_limit_mb=4096",
            *extra,
            str(corpus),
        ],
        one,
    )
    atheris.Fuzz()


def run_all(seconds: int, extra: list[str]) -> int:
    rows = []
    for name in TARGETS:
        print(f"=== {name}: {seconds} s ===", flush=True)
        started = time.perf_counter()
        result = subprocess.run(
            [sys.executable, __file__, "--target", name, "--seconds", str(seconds), *extra],
            capture_output=True,
            text=True,
            check=False,
        )
        took = time.perf_counter() - started
        log = result.stdout + result.stderr
        done = re.search(r"Done (\d+) runs in (\d+) second", log)
        runs = int(done.group(1)) if done else None
        coverage = re.findall(r"cov: (\d+)", log)
        verdict = "ok" if result.returncode == 0 else f"CRASH (exit {result.returncode})"
        if result.returncode:
            print(log[-4000:])
        rows.append((name, took, runs, coverage[-1] if coverage else "?", verdict))
    print(f"\n{'target':<14}{'seconds':>9}{'runs':>12}{'cov':>8}  verdict")
    for name, took, runs, cov, verdict in rows:
        print(f"{name:<14}{took:>9.0f}{runs if runs is not None else '?':>12}{cov:>8}  {verdict}")
    return 0 if all(row[-1] == "ok" for row in rows) else 1


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--target", choices=TARGETS)
    parser.add_argument("--all", action="store_true", help="every target, one after another")
    parser.add_argument("--seconds", type=int, default=60, help="per target (default 60)")
    args, extra = parser.parse_known_args()
    if args.all:
        return run_all(args.seconds, extra)
    if not args.target:
        parser.error("give --target NAME or --all")
    run_one(args.target, args.seconds, extra)
    return 0


if __name__ == "__main__":
    sys.exit(main())
