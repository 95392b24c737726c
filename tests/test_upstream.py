"""Upstream release models: determinism, cadence, moving tags, rebuilds, validation."""

from __future__ import annotations

import numpy as np
import pytest

import simkit as sk
from simkit.upstream import Rebuilds, SemverReleases, Version, start_release_model

DAY = 86400.0


def _pushes(sim):
    return [
        (e["time"], e["repository"], e["tag"], e["digest"]) for e in sim.log.iter("registry_push")
    ]


def _run_semver(seed, **params):
    sim = sk.Simulation(seed=seed)
    model = SemverReleases(sim, sim.registry("quay.io"), "acme/app", **params)
    sim.advance("365d")
    return sim, model


def test_same_seed_same_pushes_and_other_seed_differs():
    params = dict(rebuild_every="7d", arch_suffixes=("x86_64", "aarch64"), dated_tags=True)
    a, _ = _run_semver(5, **params)
    b, _ = _run_semver(5, **params)
    c, _ = _run_semver(6, **params)
    assert _pushes(a) == _pushes(b)
    assert len(_pushes(a)) > 100
    assert [(t, tag) for t, _, tag, _ in _pushes(a)] != [(t, tag) for t, _, tag, _ in _pushes(c)]


def test_slotted_cadence_over_a_year():
    sim, model = _run_semver(1, patch_every="7d", minor_every="90d", major_every=None)
    levels = [e["level"] for e in sim.log.iter("upstream_release")]
    assert levels.count("minor") == 4  # one per 90-day period: days ~45, 135, 225, 315
    assert levels.count("patch") == 52  # one per week, never two in a week
    patches = np.array(
        [e["time"] for e in sim.log.iter("upstream_release") if e["level"] == "patch"]
    )
    gaps = np.diff(patches) / DAY
    assert gaps.min() >= 7 * 0.7 - 1e-9 and gaps.max() <= 7 * 1.3 + 1e-9  # jitter 0.3
    assert abs(gaps.mean() - 7) < 0.1


def test_exponential_cadence_mean_interval():
    sim = sk.Simulation(seed=2)
    quay = sim.registry("quay.io")
    for i in range(20):
        quay.push(f"acme/app{i}", "1")
        Rebuilds(sim, quay, f"acme/app{i}", "1", every="2d", jitter="exponential")
    sim.advance("365d")
    times: dict[str, list[float]] = {}
    for e in sim.log.iter("registry_push"):
        if e["rebuild"]:
            times.setdefault(e["repository"], []).append(e["time"])
    gaps = np.concatenate([np.diff([0.0, *t]) for t in times.values()]) / DAY
    assert len(gaps) == pytest.approx(20 * 182.5, rel=0.1)
    assert gaps.mean() == pytest.approx(2.0, rel=0.1)
    assert gaps.std() == pytest.approx(2.0, rel=0.15)  # exponential: std == mean


def _expected_targets(model: SemverReleases) -> dict[str, Version]:
    """Where each moving tag should point, from the release history alone."""
    versions = model.versions
    newest = versions[-1]
    want = {"latest": newest, "stable": versions[-2] if len(versions) > 1 else newest}
    for v in versions:  # later (newer) releases overwrite earlier ones
        want[f"{v.major}"] = v
        want[f"{v.major}.{v.minor}"] = v
        for suffix in (*model.arch_suffixes, *model.base_suffixes):
            want[f"{v.major}.{v.minor}-{suffix}"] = v
    return want


def test_moving_tags_always_point_at_the_newest_release_of_their_series():
    sim = sk.Simulation(seed=11)
    quay = sim.registry("quay.io")
    model = SemverReleases(
        sim,
        quay,
        "acme/app",
        patch_every="5d",
        minor_every="40d",
        major_every="60d",
        arch_suffixes=("x86_64", "ppc64le"),
        base_suffixes=("centos7",),
        dated_tags=True,
        rebuild_every="3d",
        jitter="exponential",
    )
    checks = 0

    def check():
        nonlocal checks
        tags = quay.tags("acme/app")
        for tag, version in _expected_targets(model).items():
            suffix = tag.rpartition("-")[2] if "-" in tag else ""
            assert tags[tag] == tags[model.tag_of(version, suffix)], (tag, str(version))
        checks += 1

    sim.engine.every(6 * 3600, check)
    sim.advance("365d")
    assert checks == 4 * 365
    assert len({v.major for v in model.versions}) >= 2 and model.rebuilds > 100


def test_release_labels_variants_and_dated_tags():
    sim = sk.Simulation(seed=0)
    quay = sim.registry("quay.io")
    model = SemverReleases(
        sim,
        quay,
        "acme/app",
        start="v2.0.0",
        patch_every="10d",
        minor_every=None,
        major_every=None,
        jitter=0,
        arch_suffixes=("x86_64", "aarch64"),
        base_suffixes=("centos7",),
        dated_tags=True,
        moving_tags=("latest", "{prefix}{major}"),
    )
    sim.advance("6d")  # first patch mid-period: day 5
    assert [str(v) for v in model.versions] == ["v2.0.0", "v2.0.1"]
    tags = quay.tags("acme/app")
    assert tags["v2.0.1-x86_64"] == tags["v2.0.1"]  # the default architecture: same image
    assert tags["v2.0.1-aarch64"] != tags["v2.0.1"]
    assert tags["v2.0.1-20260106"] == tags["v2.0.1"]
    assert tags["v2.0.0-20260101"] == tags["v2.0.0"]
    assert tags["v2"] == tags["latest"] == tags["v2.0.1"]
    assert tags["2.0-centos7"] == tags["v2.0.1-centos7"]
    assert quay.resolve("acme/app", "v2.0.1").labels == {
        "version": "2.0.1",
        "architecture": "x86_64",
        "base-image": "ubi9",
    }
    assert quay.resolve("acme/app", "v2.0.1-aarch64").labels["architecture"] == "aarch64"
    assert quay.resolve("acme/app", "v2.0.1-centos7").labels["base-image"] == "centos7"


def test_keep_going_false_releases_only_on_request():
    sim = sk.Simulation(seed=0)
    quay = sim.registry("quay.io")
    model = SemverReleases(sim, quay, "acme/app", keep_going=False)
    sim.advance("365d")
    assert [str(v) for v in model.versions] == ["1.0.0"]
    model.release("minor")
    assert quay.tags("acme/app")["latest"] == quay.tags("acme/app")["1.1.0"]
    assert quay.tags("acme/app")["stable"] == quay.tags("acme/app")["1.0.0"]
    model.resume()
    sim.advance("30d")
    model.stop()
    count = len(model.versions)
    sim.advance("365d")
    assert count > 2 and len(model.versions) == count


def test_rebuilds_give_new_digests_for_the_same_tags():
    sim = sk.Simulation(seed=4)
    quay = sim.registry("quay.io")
    quay.push("acme/app", "1.2.3", labels={"version": "1.2.3"})
    quay.tag("acme/app", "1.2.3", "latest")
    quay.push("acme/app", "2.0", labels={"version": "2.0"})
    plain = Rebuilds(sim, quay, "acme/app", ["2.0"], every="1d")
    follow = Rebuilds(sim, quay, "acme/app", "1.2.3", every="1d", follow=True)
    seen = {"2.0": set(), "1.2.3": set()}

    def record():
        for tag in seen:
            seen[tag].add(quay.tags("acme/app")[tag])

    sim.engine.every(3600, record, start=0)
    sim.advance("10d")
    assert plain.count == follow.count == 10
    assert len(seen["2.0"]) == len(seen["1.2.3"]) == 11  # the original and ten rebuilds
    tags = quay.tags("acme/app")
    assert tags["latest"] == tags["1.2.3"]  # follow carried the alias along
    image = quay.resolve("acme/app", "1.2.3")
    assert image.labels["version"] == "1.2.3" and image.labels["fixes"].startswith("CVE-2026-")
    rebuilt = [e for e in sim.log.iter("registry_push") if e["rebuild"]]
    assert len(rebuilt) == 20 and all(e["previous_digest"] != e["digest"] for e in rebuilt)
    times = sorted({e["time"] for e in rebuilt if e["tag"] == "2.0"})
    assert all(d * DAY <= t < (d + 1) * DAY for d, t in enumerate(times))  # once a day
    plain.stop()
    sim.advance("5d")
    assert plain.count == 10 and follow.count == 15


def test_semver_rebuild_moves_moving_tags_and_keeps_old_dated_tags():
    sim = sk.Simulation(seed=0)
    quay = sim.registry("quay.io")
    model = SemverReleases(sim, quay, "acme/app", keep_going=False, dated_tags=True)
    model.release("patch")
    before = quay.tags("acme/app")
    sim.advance("1d")
    model.rebuild()
    after = quay.tags("acme/app")
    for tag in ("1.0.1", "latest", "1", "1.0", "1.0.0", "stable"):
        assert after[tag] != before[tag], tag
    assert after["latest"] == after["1.0.1"] and after["stable"] == after["1.0.0"]
    assert after["1.0.1-20260101"] == before["1.0.1"]  # a date-stamped tag is a snapshot
    assert after["1.0.1-20260102"] == after["1.0.1"]


@pytest.mark.parametrize(
    ("kind", "params", "message"),
    [
        ("semvar", {}, r"kind: unknown release model 'semvar'; expected one of semver, rebuilds"),
        ("semver", {"patch_evry": "1d"}, r"patch_evry: unknown parameter"),
        ("semver", {"patch_every": "soon"}, r"patch_every: invalid duration 'soon'"),
        ("semver", {"minor_every": 0}, r"minor_every: must be longer than 0 seconds"),
        ("semver", {"jitter": 1.5}, r"jitter: expected a number from 0 to 1"),
        ("semver", {"start": "1.0"}, r"start: expected a version such as '1.0.0'"),
        ("semver", {"moving_tags": "latest"}, r"moving_tags: expected a list of tags"),
        ("semver", {"moving_tags": ["{major}.{build}"]}, r"moving_tags: template .* \['build'\]"),
        ("semver", {"moving_tags": ["bad tag"]}, r"moving_tags: 'bad tag' does not make a valid"),
        ("semver", {"arch_suffixes": ["x86_64", "x86_64"]}, r"arch_suffixes: duplicate"),
        ("semver", {"dated_tags": "yes"}, r"dated_tags: expected True or False"),
        ("rebuilds", {}, r"tags: required by release model 'rebuilds'"),
        ("rebuilds", {"tags": ["nope"]}, r"tags: quay.io/acme/app:nope does not exist"),
        ("rebuilds", {"tags": ["1.0"], "every": "-1d"}, r"every: invalid duration '-1d'"),
    ],
)
def test_start_release_model_validates_parameters(kind, params, message):
    sim = sk.Simulation(seed=0)
    sim.registry("quay.io").push("acme/app", "1.0")
    with pytest.raises(ValueError, match=message):
        start_release_model(sim, "quay.io", "acme/app", kind, params)


def test_start_release_model_from_plain_dicts():
    sim = sk.Simulation(seed=0)
    scenario = {
        "registry": "quay.io",
        "repository": "acme/ruby",
        "kind": "semver",
        "params": {
            "start": "2.7.0",
            "patch_every": "14d",
            "minor_every": None,
            "major_every": None,
            "base_suffixes": ["centos7"],
            "moving_tags": ["latest", "{major}.{minor}"],
        },
    }
    model = start_release_model(sim, **scenario)
    rebuilds = start_release_model(
        sim, "quay.io", "acme/ruby", "rebuilds", tags=["2.7-centos7"], every="1d"
    )
    sim.advance("30d")
    assert isinstance(model, SemverReleases) and isinstance(rebuilds, Rebuilds)
    assert [str(v) for v in model.versions] == ["2.7.0", "2.7.1", "2.7.2"]
    assert model.base_suffixes == ("centos7",) and rebuilds.count == 30
