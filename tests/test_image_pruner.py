"""The image registry operator's pruner CronJob (cluster-image-registry-operator
``pkg/resource/prunercronjob.go``): ``oc adm prune images --keep-tag-revisions=3
--keep-younger-than=60m --prune-registry=true --confirm=true`` on schedule ``0 0 * * *``.
"""

from __future__ import annotations

import pytest

import simkit as sk
from simkit.config import Config
from simkit.rules.cron import daily_offset

DAY = 86400.0


def daily_rebuilds(schedule: str | None, start: str = "2026-01-01T00:00:00Z") -> sk.Simulation:
    """``app:latest`` imported on schedule from an upstream tag rebuilt every 6 hours
    (at 03:00, 09:00, 15:00 and 21:00)."""
    sim = sk.Simulation(seed=3, start=start, config=Config(image_pruner_schedule=schedule))
    sim.oc("new-project demo")
    quay = sim.registry("quay.io")
    quay.push("ns/app", "latest")
    sim.oc("tag --scheduled quay.io/ns/app:latest app:latest")
    sim.engine.every(6 * 3600.0, quay.push, "ns/app", "latest", start=3 * 3600.0)
    return sim


def history(sim: sk.Simulation) -> list[str]:
    return [item.image for item in sim.stream("demo", "app").status_tags["latest"].items]


def test_the_operator_default_schedule_runs_every_midnight_utc():
    sim = daily_rebuilds("0 0 * * *", start="2026-01-01T06:00:00Z")
    sim.advance("3d")
    runs = sim.events[sim.events["kind"] == "oc"]
    runs = runs[runs["command"].str.startswith("adm prune images")]
    assert [t.strftime("%Y-%m-%d %H:%M") for t in runs["time"]] == [
        "2026-01-02 00:00",
        "2026-01-03 00:00",
        "2026-01-04 00:00",
    ]
    assert sim.image_pruner.runs == 3
    assert sim.image_pruner.command == (
        "adm prune images --keep-tag-revisions=3 --keep-younger-than=1h "
        "--prune-registry=true --confirm=true"
    )


def test_history_is_cut_to_the_kept_revisions_each_night_and_grows_without_the_pruner():
    pruned, kept = daily_rebuilds("0 0 * * *"), daily_rebuilds(None)
    for sim in (pruned, kept):
        sim.advance(3 * DAY + 60)  # just after the third midnight
    # four rebuilds a day, each imported within 15 minutes: 13 revisions in three days
    assert len(history(kept)) == 13
    # at midnight the newest 3 revisions stay, none of the others is younger than 60m
    assert history(pruned) == history(kept)[:3]
    # the Image objects of the pruned revisions are gone, the kept ones stay
    images = {image.digest for image in pruned.cluster.list("Image")}
    assert images == set(history(pruned))
    assert len(kept.cluster.list("Image")) == 13


def test_pruned_streams_keep_importing_and_the_scheduled_tag_stays_current():
    sim = daily_rebuilds("0 0 * * *")
    sim.advance(4 * DAY + 3600)
    upstream = sim.registries["quay.io"].tags("ns/app")["latest"]
    assert history(sim)[0] == upstream
    assert 3 <= len(history(sim)) <= 4  # three kept at midnight, one import since


@pytest.mark.parametrize(
    ("schedule", "offset"),
    [
        ("0 0 * * *", 0.0),
        ("30 2 * * *", 9000.0),
        ("@daily", 0.0),
        ("@midnight", 0.0),
        ("59 23 * * *", 86340.0),
    ],
)
def test_daily_schedules(schedule, offset):
    assert daily_offset(schedule) == offset


@pytest.mark.parametrize(
    "schedule", ["*/5 * * * *", "0 0 * * 1", "60 0 * * *", "0 24 * * *", "", "@hourly", "0 0 *"]
)
def test_a_schedule_simkit_cannot_run_is_refused_when_the_config_is_made(schedule):
    with pytest.raises(ValueError, match="image pruner schedule") as caught:
        Config(image_pruner_schedule=schedule)
    assert repr(schedule) in str(caught.value)


def test_no_pruner_by_default():
    sim = sk.Simulation()
    sim.advance("2d")
    assert sim.image_pruner is None
    assert not (sim.events["kind"] == "oc").any()


def test_a_scenario_turns_the_pruner_on_and_a_bad_schedule_names_its_line(tmp_path):
    from simkit.scenarios import ScenarioError, load_scenario

    good = tmp_path / "pruned.yaml"
    good.write_text(
        'name: pruned\nduration: 2d\ncluster:\n  config:\n    image_pruner_schedule: "0 0 * * *"\n'
    )
    scenario = load_scenario(good)
    assert scenario.cluster.config["image_pruner_schedule"] == "0 0 * * *"
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        'name: bad\nduration: 2d\ncluster:\n  config:\n    image_pruner_schedule: "*/5 * * * *"\n'
    )
    with pytest.raises(
        ScenarioError,
        match=r"bad\.yaml:4: cluster\.config: .*image pruner "
        r"schedule '\*/5 \* \* \* \*'",
    ):
        load_scenario(bad)


def test_a_pruner_started_later_runs_at_the_next_scheduled_time_of_day():
    from simkit.controllers.image_pruner import ImagePruner

    sim = sk.Simulation(start="2026-01-01T00:00:00Z")
    sim.advance("2h30m")
    pruner = ImagePruner(sim, "0 1 * * *")
    sim.advance("1d")
    runs = sim.events[sim.events["kind"] == "oc"]
    assert [t.strftime("%Y-%m-%d %H:%M") for t in runs["time"]] == ["2026-01-02 01:00"]
    assert pruner.runs == 1
