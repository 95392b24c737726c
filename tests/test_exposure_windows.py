"""``exposure_windows``: when pods ran an image older than a fix of its repository, from
the docstring's rules, on small hand-made histories and on random ones (against a plain
reading of the same rules: every run of a pushed image, every labelled push of its
repository)."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import event, given, settings
from hypothesis import strategies as st

import simkit as sk
from simkit.analysis import exposure_windows, running_intervals

INTERNAL = "image-registry.openshift-image-registry.svc:5000"
COLUMNS = [
    "namespace",
    "pod",
    "node",
    "policy",
    "digest",
    "repository",
    "fix",
    "published",
    "exposed_from",
    "exposed_until",
    "exposure",
]


def _run(sim: sk.Simulation, namespace: str, pod: str) -> pd.Series:
    runs = running_intervals(sim)
    return runs[(runs["namespace"] == namespace) & (runs["pod"] == pod)].iloc[0]


def _at(sim: sk.Simulation, seconds: float) -> pd.Timestamp:
    return sim.start + pd.to_timedelta(seconds, unit="s")


@pytest.fixture
def sim() -> sk.Simulation:
    sim = sk.Simulation(seed=3, nodes=1)
    sim.registry("quay.io").push("acme/app", "1")
    return sim


def test_fixes_before_during_and_after_a_run(sim, quay):
    during = sim.run_pod("default", "quay.io/acme/app:1", pull_policy="IfNotPresent", name="on")
    gone = sim.run_pod("default", "quay.io/acme/app:1", pull_policy="IfNotPresent", name="gone")
    sim.advance("10m")
    sim.pod_controller.delete(gone)
    sim.advance("50m")
    quay.push("acme/app", "2", labels={"fixes": "CVE-1"})  # published at 1 h
    sim.advance("30m")
    # started after the fix on the image of tag 1 (built before it): exposed from its start
    later = sim.run_pod("default", "quay.io/acme/app:1", pull_policy="IfNotPresent", name="late")
    sim.advance("1h")
    windows = exposure_windows(sim)
    assert list(windows.columns) == COLUMNS
    assert list(windows["pod"]) == [during.name, later.name]  # not the pod gone before
    assert (windows["published"] == _at(sim, 3600.0)).all()
    assert (windows["fix"] == "CVE-1").all()
    assert (windows["repository"] == "quay.io/acme/app").all()
    on, late = windows.iloc[0], windows.iloc[1]
    assert on["exposed_from"] == _at(sim, 3600.0)
    assert late["exposed_from"] == _at(sim, _run(sim, "default", "late")["start_s"])
    for row in (on, late):
        assert row["exposed_until"] == sim.clock
        assert row["exposure"] == row["exposed_until"] - row["exposed_from"]


def test_the_fixed_image_and_later_ones_are_not_exposed(sim, quay):
    quay.push("acme/app", "1", labels={"fixes": "CVE-1"})
    sim.advance("1m")
    sim.run_pod("default", "quay.io/acme/app:1", pull_policy="Always", name="fixed")
    sim.advance("1m")
    quay.push("acme/app", "1", labels={"fixes": "CVE-2"})  # carries CVE-1 on, not CVE-2
    sim.advance("1h")
    windows = exposure_windows(sim)
    assert list(windows["fix"]) == ["CVE-2"]
    assert windows["published"].iloc[0] == _at(sim, 120.0)


def test_a_fix_pushed_again_was_published_at_its_first_push(sim, quay):
    sim.run_pod("default", "quay.io/acme/app:1", pull_policy="IfNotPresent", name="p")
    sim.advance("1h")
    quay.push("acme/app", "2", labels={"fixes": "CVE-1"})
    sim.advance("1h")
    quay.push("acme/app", "3", labels={"fixes": "CVE-1"})
    sim.advance("1h")
    windows = exposure_windows(sim)
    assert len(windows) == 1  # one row per run and fix, however many images carry it
    assert windows["published"].iloc[0] == windows["exposed_from"].iloc[0] == _at(sim, 3600.0)
    assert windows["exposure"].iloc[0] == pd.Timedelta("2h")


def test_a_fix_exposes_only_its_own_repository(sim, quay):
    quay.push("acme/db", "5")
    hub = sim.registry("docker.io")
    hub.push("acme/app", "1")  # the same path on another registry
    for image, name in (
        ("quay.io/acme/app:1", "app"),
        ("quay.io/acme/db:5", "db"),
        ("docker.io/acme/app:1", "hub"),
    ):
        sim.run_pod("default", image, pull_policy="IfNotPresent", name=name)
    sim.advance("1h")
    quay.push("acme/db", "5", labels={"fixes": "CVE-DB"})
    hub.push("acme/app", "2", labels={"fixes": "CVE-HUB"})
    sim.advance("1h")
    windows = exposure_windows(sim)
    assert dict(zip(windows["pod"], windows["fix"], strict=True)) == {
        "db": "CVE-DB",
        "hub": "CVE-HUB",
    }
    assert set(windows["repository"]) == {"quay.io/acme/db", "docker.io/acme/app"}


def test_the_label_names_the_fix_and_an_empty_value_is_none(sim, quay):
    sim.run_pod("default", "quay.io/acme/app:1", pull_policy="IfNotPresent", name="p")
    sim.advance("1h")
    quay.push("acme/app", "2", labels={"fixes": "", "advisory": "RHSA-1"})
    sim.advance("1h")
    assert exposure_windows(sim).empty
    windows = exposure_windows(sim, label="advisory")
    assert list(windows["fix"]) == ["RHSA-1"]
    assert exposure_windows(sim, label="nothing").empty


def test_rows_are_sorted_by_exposure_start_then_pod_then_fix(sim, quay):
    sim.run_pod("default", "quay.io/acme/app:1", pull_policy="IfNotPresent", name="b")
    sim.advance("1m")
    # published in another order than their names, two of them at one instant
    quay.push("acme/app", "2", labels={"fixes": "CVE-B"})
    quay.push("acme/app", "3", labels={"fixes": "CVE-A"})
    sim.advance("1m")
    quay.push("acme/app", "4", labels={"fixes": "CVE-0"})
    sim.advance("1m")
    sim.run_pod("default", "quay.io/acme/app:1", pull_policy="IfNotPresent", name="a")
    sim.advance("1h")
    windows = exposure_windows(sim)
    got = list(zip(windows["pod"], windows["fix"], strict=True))
    assert got == [
        ("b", "CVE-A"),
        ("b", "CVE-B"),
        ("b", "CVE-0"),
        ("a", "CVE-0"),  # started after all three: they tie on exposed_from, by fix
        ("a", "CVE-A"),
        ("a", "CVE-B"),
    ]


def test_rows_that_tie_follow_the_runs_then_the_fix_names(sim, quay):
    sim.oc("new-project other")
    sim.advance("1m")  # its default service account
    sim.run_pod("other", "quay.io/acme/app:1", pull_policy="IfNotPresent", name="p")
    sim.advance("1m")
    sim.run_pod("default", "quay.io/acme/app:1", pull_policy="IfNotPresent", name="p")
    sim.advance("1m")
    quay.push("acme/app", "2", labels={"fixes": "CVE-B"})
    quay.push("acme/app", "3", labels={"fixes": "CVE-A"})
    sim.advance("1h")
    windows = exposure_windows(sim)
    # both runs exposed from the same instant, pods of one name: the runs in
    # running_intervals' order (other's started first), each run's fixes by name
    assert list(zip(windows["namespace"], windows["fix"], strict=True)) == [
        ("other", "CVE-A"),
        ("other", "CVE-B"),
        ("default", "CVE-A"),
        ("default", "CVE-B"),
    ]


def test_pods_on_the_integrated_registry_follow_the_source_repository(sim, quay):
    sim.oc("new-project demo")
    sim.oc("tag quay.io/acme/app:1 app:1 -n demo")
    sim.advance("1m")
    sim.run_pod("demo", f"{INTERNAL}/demo/app:1", pull_policy="IfNotPresent", name="istag")
    sim.advance("1h")
    quay.push("acme/app", "1", labels={"fixes": "CVE-1"})  # not imported: the tag stays
    sim.advance("1h")
    windows = exposure_windows(sim)
    assert list(windows["pod"]) == ["istag"]
    assert windows["repository"].iloc[0] == "quay.io/acme/app"
    assert windows["digest"].iloc[0] == _run(sim, "demo", "istag")["digest"]


def test_no_pods_no_pushes_no_rows():
    sim = sk.Simulation()
    assert list(exposure_windows(sim).columns) == COLUMNS
    assert exposure_windows(sim).empty


def _plainly(sim: sk.Simulation, label: str) -> set[tuple]:
    """The docstring's rows, read plainly: for every run of a pushed image, every fix of
    its repository first published after the image was pushed, while the run ran."""
    pushes = sim.events_of("registry_push", columns=["registry", "repository", "digest"])
    built: dict[str, tuple[str, float]] = {}
    published: dict[tuple[str, str], float] = {}
    for host, path, digest, seconds in zip(
        pushes["registry"], pushes["repository"], pushes["digest"], pushes["seconds"], strict=True
    ):
        if digest in built:
            continue
        repository = f"{host}/{path}"
        built[digest] = (repository, seconds)
        fix = sim.registries[host].images[digest].labels.get(label)
        if fix:
            published.setdefault((repository, fix), seconds)
    rows = set()
    for run in running_intervals(sim).itertuples():
        if run.digest not in built:
            continue
        repository, built_s = built[run.digest]
        for (where, fix), at in published.items():
            start = max(run.start_s, at)
            if where == repository and built_s < at and start < run.end_s:
                times = (_at(sim, at), _at(sim, start), _at(sim, run.end_s))
                rows.add((run.namespace, run.pod, run.digest, fix, *times))
    return rows


actions = st.lists(
    st.tuples(
        st.sampled_from(["push", "push", "run", "restart", "delete", "wait"]),
        st.integers(0, 3),
        st.sampled_from(["CVE-1", "CVE-2", "CVE-10", "", None]),
        st.sampled_from([0, 1, 60, 3600]),
    ),
    max_size=25,
)


@given(actions)
@settings(max_examples=30)
def test_rows_follow_the_docstring_on_random_histories(steps):
    sim = sk.Simulation(seed=1, nodes=2)
    # one path on two registries: two repositories
    repositories = [(sim.registry(host), "acme/app") for host in ("quay.io", "docker.io")]
    for registry, path in repositories:
        registry.push(path, "1")
        sim.run_pod("default", f"{registry.host}/{path}:1", pull_policy="IfNotPresent")
    sim.advance("1m")
    for action, which, fix, pause in steps:
        registry, path = repositories[which % 2]
        if action == "push":
            registry.push(path, "1", labels={"fixes": fix} if fix is not None else None)
        elif action == "run":
            policy = ["IfNotPresent", "Always"][which // 2]
            sim.run_pod("default", f"{registry.host}/{path}:1", pull_policy=policy)
        elif action in ("restart", "delete"):
            pods = [p for p in sim.pods() if p.status == "Running"]
            if pods:
                pod = pods[which % len(pods)]
                if action == "restart":
                    sim.kubelet.restart(pod)
                else:
                    sim.pod_controller.delete(pod)
        sim.advance(pause)
    sim.advance("1h")
    windows = exposure_windows(sim)
    event(f"rows: {min(len(windows), 5)}{'+' if len(windows) >= 5 else ''}")
    assert (windows["exposure"] > pd.Timedelta(0)).all()
    assert (windows["exposure"] == windows["exposed_until"] - windows["exposed_from"]).all()
    assert (windows["published"] <= windows["exposed_from"]).all()
    order = windows.sort_values(["exposed_from", "pod"], kind="stable", ignore_index=True)
    pd.testing.assert_frame_equal(windows, order)
    got = set(
        zip(
            *(windows[c] for c in COLUMNS if c not in ("node", "policy", "repository")),
            strict=True,
        )
    )
    assert len(got) == len(windows)
    assert {row[:-1] for row in got} == _plainly(sim, "fixes")
