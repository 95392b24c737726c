"""Tests for simkit.sweeps.sweep: order, executors, persistence and resume, retries, dead
workers, Dask.

The targets are module-level functions (bound to folders with functools.partial)
so that worker processes can import them.  Each execution of a counted target
leaves a file in ``calls/``, which is how the tests see what actually ran; a
flag file created with ``open(path, "x")`` marks a run's first attempt across
processes.
"""

from __future__ import annotations

import functools
import json
import os
import sys
import threading
import types
import uuid
import warnings
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simkit.sweeps.runs import run_id
from simkit.sweeps.sweep import SweepWarning, WorkersDying, sweep

GRID = {"x": [1, 2, 3], "mode": ["a", "b"]}
SEEDS = [0, 1]
N_RUNS = 12


# ---- targets (module level: worker processes import them from here) -------------------------


def square(params: dict, seed: int) -> dict:
    """A deterministic target with int, str, float and numpy metrics."""
    return {
        "y": params["x"] ** 2 + seed,
        "label": f"{params['mode']}-{seed}",
        "half": np.float64(params["x"] / 2),
    }


def counted(params: dict, seed: int, *, calls: str) -> dict:
    """``square``, leaving one file per execution in ``calls``."""
    Path(calls, f"{run_id(params, seed)}.{uuid.uuid4().hex}").touch()
    return square(params, seed)


def first_time(flag: Path) -> bool:
    """True the first time it is called for ``flag``, in any process."""
    try:
        open(flag, "x").close()  # noqa: SIM115
    except FileExistsError:
        return False
    return True


def flaky(params: dict, seed: int, *, calls: str) -> dict:
    """Raises on the first attempt of x=2, mode=a, seed=1; succeeds after."""
    result = counted(params, seed, calls=calls)
    if (params["x"], params["mode"], seed) == (2, "a", 1) and first_time(
        Path(calls, "raised.flag")
    ):
        raise RuntimeError("transient failure")
    return result


def broken(params: dict, seed: int, *, calls: str) -> dict:
    """Always raises for x=3, mode=b."""
    result = counted(params, seed, calls=calls)
    if (params["x"], params["mode"]) == (3, "b"):
        raise ValueError(f"no good: {params}")
    return result


def timedelta_metric(params: dict, seed: int, *, calls: str) -> dict:
    """Returns a metric that is not a JSON scalar for x=1."""
    result = counted(params, seed, calls=calls)
    if params["x"] == 1:
        result["lag"] = pd.Timedelta("1h")
    return result


def killer(params: dict, seed: int, *, calls: str, always: bool = False) -> dict:
    """Kills its worker on the first attempt of x=2, mode=a, seed=0 (on every one if always)."""
    if (params["x"], params["mode"], seed) == (2, "a", 0) and (
        always or first_time(Path(calls, "killed.flag"))
    ):
        os._exit(13)
    return counted(params, seed, calls=calls)


def interrupted(params: dict, seed: int, *, calls: str) -> dict:
    """Ctrl-C during the first attempt of x=2, mode=b, seed=0."""
    if (params["x"], params["mode"], seed) == (2, "b", 0) and first_time(
        Path(calls, "ctrl-c.flag")
    ):
        raise KeyboardInterrupt
    return counted(params, seed, calls=calls)


def always_dies(params: dict, seed: int) -> dict:
    os._exit(13)


def slow(params: dict, seed: int, *, calls: str) -> dict:
    """``counted`` taking 0.1 s."""
    import time

    time.sleep(0.1)
    return counted(params, seed, calls=calls)


def slow_killer(params: dict, seed: int, *, calls: str) -> dict:
    """``killer`` with a little work per run, so that the death happens mid-sweep."""
    import time

    time.sleep(0.05)
    return killer(params, seed, calls=calls)


# ---- helpers ----------------------------------------------------------------------------------


def executions(calls: Path) -> Counter:
    """run_id -> how many times the target ran it."""
    return Counter(p.name.split(".")[0] for p in calls.iterdir() if not p.name.endswith(".flag"))


def expected() -> pd.DataFrame:
    """The table of ``square`` over GRID x SEEDS, computed by hand, in grid order."""
    rows = []
    for x in GRID["x"]:
        for mode in GRID["mode"]:
            for seed in SEEDS:
                params = {"x": x, "mode": mode}
                rows.append({**params, "seed": seed, **square(params, seed)})
    table = pd.DataFrame(rows)
    table["half"] = table["half"].astype(float)
    table["run_id"] = [run_id({"x": r.x, "mode": r.mode}, r.seed) for r in table.itertuples()]
    table["error"] = None
    return table


def assert_complete_once(table: pd.DataFrame, out: Path) -> None:
    """Every run exactly once, right, in the table and in ``out``."""
    pd.testing.assert_frame_equal(table.drop(columns="elapsed"), expected())
    files = sorted(p.stem for p in out.glob("*.json"))
    assert files == sorted(table["run_id"])
    assert not list(out.glob(".*.tmp"))


@pytest.fixture
def calls(tmp_path: Path) -> Path:
    folder = tmp_path / "calls"
    folder.mkdir()
    return folder


# ---- docs, order, shape -------------------------------------------------------------------


def test_grid_times_seeds_in_grid_order() -> None:
    with ThreadPoolExecutor(4) as pool:
        table = sweep(square, GRID, SEEDS, pool, progress=False)
    assert table.shape == (N_RUNS, 2 + 1 + 3 + 3)
    assert list(table.columns) == ["x", "mode", "seed", "y", "label", "half", "run_id", "elapsed",
                                   "error"]  # fmt: skip
    pd.testing.assert_frame_equal(table.drop(columns="elapsed"), expected())
    assert table["run_id"].is_unique
    assert (table["elapsed"] >= 0).all()
    assert table.index.equals(pd.RangeIndex(N_RUNS))


def test_rows_in_grid_order_whatever_the_completion_order() -> None:
    with ThreadPoolExecutor(N_RUNS) as pool:  # later runs finish first
        table = sweep(_sleepy, {"x": list(range(N_RUNS))}, executor=pool, progress=False)
    assert table["x"].tolist() == list(range(N_RUNS))
    assert table["done"].tolist() == list(range(N_RUNS))


def _sleepy(params: dict, seed: int) -> dict:
    import time

    time.sleep(0.01 * (N_RUNS - params["x"]))
    return {"done": params["x"]}


def test_run_id_is_stable_and_order_free() -> None:
    assert run_id({"x": 1, "mode": "a"}, 0) == run_id({"mode": "a", "x": 1}, 0)
    assert run_id({"x": 1}, 0) != run_id({"x": 1.0}, 0) != run_id({"x": True}, 0)
    # sha256 of '{"params":{"x":1},"seed":0}'
    assert run_id({"x": 1}, 0) == "2ca388be649fc68b"


def test_empty_grid_and_empty_values() -> None:
    with ThreadPoolExecutor(2) as pool:
        one_per_seed = sweep(square_of_seed, {}, range(3), pool, progress=False)
        nothing = sweep(square, {"x": [], "mode": ["a"]}, executor=pool, progress=False)
    assert one_per_seed["sq"].tolist() == [0, 1, 4]
    assert len(nothing) == 0
    assert list(nothing.columns) == ["x", "mode", "seed", "run_id", "elapsed", "error"]


def square_of_seed(params: dict, seed: int) -> dict:
    return {"sq": seed * seed}


@pytest.mark.parametrize(
    ("grid", "seeds", "error", "match"),
    [
        ({"x": 1}, (0,), TypeError, r"grid\['x'\] must be a list"),
        ({"x": "abc"}, (0,), TypeError, r"grid\['x'\] must be a list"),
        ({"x": [(1, 2)]}, (0,), TypeError, "is a tuple"),
        ({"seed": [1]}, (0,), ValueError, "clashes with a result column"),
        ({"x": [1, 1]}, (0,), ValueError, "twice"),
        ({"x": [1]}, (0, 0), ValueError, "twice"),
        ({"x": [1]}, 5, TypeError, "seeds must be a list of ints"),
        ({"x": [1]}, [0.5], TypeError, "seeds must be ints"),
    ],
)
def test_bad_grids_and_seeds(grid, seeds, error, match) -> None:
    with pytest.raises(error, match=match):
        sweep(square, grid, seeds, ThreadPoolExecutor(1), progress=False)


def test_bad_executor_target_and_retries() -> None:
    with pytest.raises(TypeError, match="executor must be"):
        sweep(square, GRID, executor="dask", progress=False)
    with pytest.raises(TypeError, match="target must be a function"):
        sweep(42, GRID, progress=False)
    with pytest.raises(ValueError, match="retries"):
        sweep(square, GRID, retries=-1, progress=False)


def test_numpy_grid_values_become_python() -> None:
    with ThreadPoolExecutor(2) as pool:
        table = sweep(square, {"x": np.arange(1, 3), "mode": ["a"]}, executor=pool, progress=False)
    assert table["x"].tolist() == [1, 2]
    assert table["run_id"][0] == run_id({"x": 1, "mode": "a"}, 0)


# ---- executors give identical tables ----------------------------------------------------------


def test_default_processes_and_threads_give_identical_tables(calls: Path) -> None:
    target = functools.partial(counted, calls=str(calls))
    processes = sweep(target, GRID, SEEDS, progress=False, drop_timing=True)
    with ThreadPoolExecutor(3) as pool:
        threads = sweep(target, GRID, SEEDS, pool, progress=False, drop_timing=True)
    pd.testing.assert_frame_equal(processes, threads)
    pd.testing.assert_frame_equal(processes, expected())
    assert set(executions(calls).values()) == {2}


def test_a_lambda_runs_in_processes_by_value() -> None:
    table = sweep(lambda params, seed: {"y": params["x"] * 10 + seed}, {"x": [2]}, progress=False)
    assert table["y"].tolist() == [20]


# ---- persistence and resume -------------------------------------------------------------------


def test_resume_computes_nothing(tmp_path: Path, calls: Path) -> None:
    out = tmp_path / "out"
    target = functools.partial(counted, calls=str(calls))
    with ThreadPoolExecutor(3) as pool:
        first = sweep(target, GRID, SEEDS, pool, out, progress=False)
        assert_complete_once(first, out)
        assert sum(executions(calls).values()) == N_RUNS
        again = sweep(target, GRID, SEEDS, pool, out, progress=False)
    assert sum(executions(calls).values()) == N_RUNS  # nothing ran
    pd.testing.assert_frame_equal(again, first)  # elapsed read back too
    csv = pd.read_csv(out / "results.csv")
    assert csv["run_id"].tolist() == first["run_id"].tolist()
    assert csv["y"].tolist() == first["y"].tolist()
    record = json.loads((out / f"{first['run_id'][0]}.json").read_text())
    assert record == {"run_id": first["run_id"][0], "params": {"x": 1, "mode": "a"}, "seed": 0,
                      "metrics": {"y": 1, "label": "a-0", "half": 0.5},
                      "elapsed": first["elapsed"][0]}  # fmt: skip


def test_resume_computes_only_missing_runs(tmp_path: Path, calls: Path) -> None:
    out = tmp_path / "out"
    target = functools.partial(counted, calls=str(calls))
    with ThreadPoolExecutor(3) as pool:
        first = sweep(target, GRID, SEEDS, pool, out, progress=False)
        missing = first["run_id"][[2, 7]].tolist()
        for rid in missing:
            (out / f"{rid}.json").unlink()
        again = sweep(target, GRID, SEEDS, pool, out, progress=False)
    ran = executions(calls)
    assert sorted(rid for rid, n in ran.items() if n == 2) == sorted(missing)
    assert sum(ran.values()) == N_RUNS + 2
    assert_complete_once(again, out)


def test_a_bigger_grid_reuses_the_runs_of_a_smaller_one(tmp_path: Path, calls: Path) -> None:
    out = tmp_path / "out"
    target = functools.partial(counted, calls=str(calls))
    with ThreadPoolExecutor(3) as pool:
        sweep(target, {"x": [1, 2, 3], "mode": ["a"]}, SEEDS, pool, out, progress=False)
        table = sweep(target, GRID, SEEDS, pool, out, progress=False)
    assert sum(executions(calls).values()) == N_RUNS
    assert_complete_once(table, out)


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: text[: len(text) // 2],  # cut short
        lambda text: "",  # empty
        lambda text: "\xff\xfe not json",  # garbage
        lambda text: text.replace('"seed": 1', '"seed": 7'),  # another run's content
        lambda text: text.replace('"elapsed"', '"elapsed_s"'),  # a key missing
        lambda text: text.replace('"label": "b-1"', '"label": [1]'),  # not a scalar
    ],
    ids=["truncated", "empty", "garbage", "other-run", "missing-key", "bad-metric"],
)
def test_a_corrupt_result_file_is_recomputed(tmp_path: Path, calls: Path, damage) -> None:
    out = tmp_path / "out"
    target = functools.partial(counted, calls=str(calls))
    with ThreadPoolExecutor(3) as pool:
        first = sweep(target, GRID, SEEDS, pool, out, progress=False)
        victim = out / f"{first['run_id'][3]}.json"  # x=1, mode=b, seed=1
        victim.write_bytes(damage(victim.read_text()).encode("utf-8", "surrogateescape"))
        with pytest.warns(SweepWarning, match=f"ignoring .*{victim.name}"):
            again = sweep(target, GRID, SEEDS, pool, out, progress=False)
    ran = executions(calls)
    assert [rid for rid, n in ran.items() if n == 2] == [victim.stem]
    assert_complete_once(again, out)
    assert json.loads(victim.read_text())["metrics"]["label"] == "b-1"


def test_the_progress_bar_counts_resumed_runs(tmp_path: Path, capsys) -> None:
    with ThreadPoolExecutor(2) as pool:
        sweep(square, GRID, SEEDS, pool, tmp_path, progress=True)
        assert f"{N_RUNS}/{N_RUNS}" in capsys.readouterr().err
        for path in sorted(tmp_path.glob("*.json"))[:5]:
            path.unlink()
        sweep(square, GRID, SEEDS, pool, tmp_path, progress=True)
        err = capsys.readouterr().err
        assert f"{N_RUNS - 5}/{N_RUNS}" in err and f"{N_RUNS}/{N_RUNS}" in err
        sweep(square, GRID, SEEDS, pool, tmp_path, progress=False)
        assert capsys.readouterr().err == ""


def test_results_parquet_when_pyarrow_is_installed(tmp_path: Path, monkeypatch) -> None:
    import simkit.sweeps.store

    def fake_to_parquet(self, path, index=True):
        Path(path).write_text(self.to_json())

    monkeypatch.setattr(simkit.sweeps.store, "_has_pyarrow", lambda: True)
    monkeypatch.setattr(pd.DataFrame, "to_parquet", fake_to_parquet)
    with ThreadPoolExecutor(2) as pool:
        sweep(square, GRID, SEEDS, pool, tmp_path, progress=False)
        assert pd.read_json(tmp_path / "results.parquet")["y"].tolist() == expected()["y"].tolist()

        def failing_to_parquet(self, path, index=True):
            raise TypeError("mixed types")

        monkeypatch.setattr(pd.DataFrame, "to_parquet", failing_to_parquet)
        with pytest.warns(SweepWarning, match="results.parquet not written: mixed types"):
            sweep(square, GRID, SEEDS, pool, tmp_path, progress=False)
    assert not list(tmp_path.glob(".*.tmp")) and (tmp_path / "results.csv").exists()


def test_an_interrupted_sweep_resumes_where_it_stopped(tmp_path: Path, calls: Path) -> None:
    out = tmp_path / "out"
    target = functools.partial(interrupted, calls=str(calls))
    with ThreadPoolExecutor(1) as pool:
        with pytest.raises(KeyboardInterrupt):
            sweep(target, GRID, SEEDS, pool, out, progress=False)
        saved = {p.stem for p in out.glob("*.json")}
        assert saved >= set(expected()["run_id"][:6])  # the runs before x=2, mode=b, seed=0
        table = sweep(target, GRID, SEEDS, pool, out, progress=False)
    assert_complete_once(table, out)
    ran = executions(calls)
    assert all(ran[rid] == 1 for rid in saved)  # a saved run never runs again
    assert set(ran) == set(table["run_id"]) and max(ran.values()) <= 2


# ---- failures and retries ---------------------------------------------------------------------


def test_a_run_that_raises_once_is_retried(tmp_path: Path, calls: Path) -> None:
    target = functools.partial(flaky, calls=str(calls))
    with ThreadPoolExecutor(3) as pool:
        table = sweep(target, GRID, SEEDS, pool, tmp_path / "out", progress=False)
    assert_complete_once(table, tmp_path / "out")
    ran = executions(calls)
    assert ran[run_id({"x": 2, "mode": "a"}, 1)] == 2
    assert sum(ran.values()) == N_RUNS + 1


def test_a_run_that_always_fails_is_recorded_not_fatal(tmp_path: Path, calls: Path) -> None:
    out = tmp_path / "out"
    target = functools.partial(broken, calls=str(calls))
    with ThreadPoolExecutor(3) as pool, pytest.warns(SweepWarning, match="2 of 12 runs failed"):
        table = sweep(target, GRID, SEEDS, pool, out, progress=False, retries=1)
    failed = table[table["error"].notna()]
    assert failed[["x", "mode"]].drop_duplicates().values.tolist() == [[3, "b"]]
    assert failed["error"].str.startswith("ValueError: no good").all()
    assert failed["y"].isna().all() and failed["elapsed"].isna().all()
    ok = table[table["error"].isna()]
    pd.testing.assert_frame_equal(
        ok.drop(columns=["elapsed", "error"]),
        expected().drop(columns="error").iloc[:10].astype({"y": float}),
    )
    ran = executions(calls)
    assert [ran[rid] for rid in failed["run_id"]] == [2, 2]  # 1 + retries
    # failed runs are not saved, so a repeated call tries them again
    assert sorted(p.stem for p in out.glob("*.json")) == sorted(ok["run_id"])
    assert len(pd.read_csv(out / "results.csv")) == N_RUNS
    with ThreadPoolExecutor(3) as pool, pytest.warns(SweepWarning):
        sweep(target, GRID, SEEDS, pool, out, progress=False, retries=0)
    assert sum(executions(calls).values()) == sum(ran.values()) + 2


def test_a_bad_metric_is_named_and_not_retried(calls: Path) -> None:
    target = functools.partial(timedelta_metric, calls=str(calls))
    with ThreadPoolExecutor(3) as pool, pytest.warns(SweepWarning, match="4 of 12 runs failed"):
        table = sweep(target, GRID, SEEDS, pool, progress=False)
    errors = table.loc[table["x"] == 1, "error"]
    assert errors.str.contains("MetricError: metric 'lag' is a Timedelta").all()
    assert errors.str.contains("total_seconds").all()
    assert table.loc[table["x"] != 1, "error"].isna().all()
    assert sum(executions(calls).values()) == N_RUNS


# ---- dead worker processes --------------------------------------------------------------------


def test_a_killed_worker_process_loses_and_duplicates_nothing(tmp_path: Path, calls: Path) -> None:
    out = tmp_path / "out"
    target = functools.partial(slow_killer, calls=str(calls))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no run failed, nothing ignored
        table = sweep(target, GRID, SEEDS, out=out, progress=False)
    assert (calls / "killed.flag").exists()
    assert_complete_once(table, out)
    ran = executions(calls)
    assert set(ran) == set(table["run_id"])
    assert max(ran.values()) <= 2  # only runs in flight with the dead one ran again


def test_a_run_that_always_kills_its_worker_is_blamed_alone(tmp_path: Path, calls: Path) -> None:
    target = functools.partial(killer, calls=str(calls), always=True)
    grid = {"x": [1, 2, 3], "mode": ["a"]}
    with pytest.warns(SweepWarning, match="1 of 6 runs failed"):
        table = sweep(target, grid, SEEDS, out=tmp_path / "out", progress=False, retries=0)
    failed = table[table["error"].notna()]
    assert failed[["x", "mode", "seed"]].values.tolist() == [[2, "a", 0]]
    assert "BrokenProcessPool" in failed["error"].iloc[0]
    assert table["error"].isna().sum() == 5
    assert sum(1 for _ in (tmp_path / "out").glob("*.json")) == 5


def test_workers_that_always_die_stop_the_sweep_with_advice(tmp_path: Path) -> None:
    with pytest.raises(WorkersDying, match=r"died 3 times and no run finished.*__main__"):
        sweep(always_dies, {"x": [1, 2]}, out=tmp_path, progress=False)


# ---- scenario files ---------------------------------------------------------------------------


def test_a_scenario_file_target_calls_run_metrics(tmp_path: Path, monkeypatch) -> None:
    scenario = tmp_path / "what-if.yaml"
    scenario.write_text("duration: 1d\n")
    seen = []

    def run_metrics(path, params, seed):
        seen.append((Path(path), params, seed))
        return {"stale": len(params["cluster.scheduled_import_interval"]) + seed}

    fake = types.ModuleType("simkit.scenarios")
    fake.run_metrics = run_metrics
    monkeypatch.setitem(sys.modules, "simkit.scenarios", fake)
    grid = {"cluster.scheduled_import_interval": ["15m", "1h"], "pods.pull_policy": ["Always"]}
    with ThreadPoolExecutor(2) as pool:
        table = sweep(str(scenario), grid, [0, 1], pool, progress=False)
    assert table["stale"].tolist() == [3, 4, 2, 3]
    assert {path for path, _, _ in seen} == {scenario.resolve()}
    assert sorted((p["cluster.scheduled_import_interval"], s) for _, p, s in seen) == [
        ("15m", 0), ("15m", 1), ("1h", 0), ("1h", 1)
    ]  # fmt: skip
    with pytest.raises(FileNotFoundError, match="scenario file not found"):
        sweep(tmp_path / "missing.yaml", grid, progress=False)


# ---- Dask -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def dask_client():
    import distributed  # a test extra (dask[distributed])

    with (
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=None,
            host="127.0.0.1", silence_logs=50,
            # no dashboard, and the scheduler's HTTP routes on a free loopback port, not 8787
            scheduler_kwargs={"dashboard": False, "dashboard_address": "127.0.0.1:0"},
        ) as cluster,
        distributed.Client(cluster, timeout="30s") as client,
    ):  # fmt: skip
        client.wait_for_workers(2, timeout=30)
        yield client


def within(seconds: float, func, *args, **kwargs):
    """``func(*args, **kwargs)``, failing the test (not hanging it) after ``seconds``."""
    result: dict = {}

    def call() -> None:
        try:
            result["value"] = func(*args, **kwargs)
        except BaseException as error:  # re-raised in the test's thread
            result["error"] = error

    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"timed out after {seconds} s"
    if "error" in result:
        raise result["error"]
    return result["value"]


def test_dask_gives_the_same_table_as_local(tmp_path: Path, calls: Path, dask_client) -> None:
    target = functools.partial(counted, calls=str(calls))
    on_dask = within(60, sweep, target, GRID, SEEDS, dask_client, tmp_path / "out", progress=False)
    with ThreadPoolExecutor(3) as pool:
        local = sweep(target, GRID, SEEDS, pool, progress=False)
    pd.testing.assert_frame_equal(on_dask.drop(columns="elapsed"), local.drop(columns="elapsed"))
    assert_complete_once(on_dask, tmp_path / "out")
    again = within(60, sweep, target, GRID, SEEDS, dask_client, tmp_path / "out", progress=False)
    pd.testing.assert_frame_equal(again, on_dask)
    assert sum(executions(calls).values()) == 2 * N_RUNS  # the resumed sweep ran nothing


def test_dask_worker_killed_mid_sweep(tmp_path: Path, calls: Path, dask_client) -> None:
    out = tmp_path / "out"
    target = functools.partial(slow_killer, calls=str(calls))
    before = set(dask_client.scheduler_info()["workers"])
    table = within(90, sweep, target, GRID, SEEDS, dask_client, out, progress=False)
    assert (calls / "killed.flag").exists()
    assert set(dask_client.scheduler_info()["workers"]) != before  # the nanny started another
    assert_complete_once(table, out)
    ran = executions(calls)
    assert set(ran) == set(table["run_id"])
    dask_client.wait_for_workers(2, timeout=30)  # leave the cluster whole for other tests


def test_dask_retries_and_records_failures(calls: Path, dask_client) -> None:
    flaky_target = functools.partial(flaky, calls=str(calls))
    table = within(60, sweep, flaky_target, GRID, SEEDS, dask_client, progress=False)
    pd.testing.assert_frame_equal(table.drop(columns="elapsed"), expected())
    assert executions(calls)[run_id({"x": 2, "mode": "a"}, 1)] == 2
    broken_target = functools.partial(broken, calls=str(calls))
    with pytest.warns(SweepWarning, match="2 of 12 runs failed"):
        table = within(60, sweep, broken_target, GRID, SEEDS, dask_client, progress=False)
    assert table["error"].notna().tolist() == [False] * 10 + [True] * 2


def test_dask_worker_process_killed_from_outside(tmp_path: Path, calls: Path, dask_client) -> None:
    import signal

    out = tmp_path / "out"
    pids = dask_client.run(os.getpid)  # worker address -> pid
    victim = sorted(pids.values())[0]

    def kill_when_busy() -> None:
        for _ in range(500):
            if len(list(calls.iterdir())) >= 3:
                break
            threading.Event().wait(0.01)
        os.kill(victim, signal.SIGKILL)

    killer_thread = threading.Thread(target=kill_when_busy, daemon=True)
    killer_thread.start()
    target = functools.partial(slow, calls=str(calls))
    table = within(90, sweep, target, GRID, SEEDS, dask_client, out, progress=False)
    killer_thread.join(10)
    assert victim not in dask_client.run(os.getpid).values()
    assert_complete_once(table, out)
    assert set(executions(calls)) == set(table["run_id"])
    dask_client.wait_for_workers(2, timeout=30)
