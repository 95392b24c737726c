"""``oc adm prune images`` (oc ``pkg/cli/admin/prune/images``, ``imageprune/prune.go``).

Scenarios build tag history with scheduled imports of upstream rebuilds, then prune:
the newest ``--keep-tag-revisions`` revisions and anything younger than
``--keep-younger-than`` stay, a dry run changes nothing, ``--confirm`` rewrites the
history and deletes the Image objects no history refers to.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest

import simkit as sk

INTERNAL = "image-registry.openshift-image-registry.svc:5000"


@dataclass
class FakePod:
    """The duck type the pruner reads (``simkit.rules.image_usage``)."""

    namespace: str
    name: str
    image: str
    status: str = "Running"
    created: float = 0.0
    container: str = "app"

    def container_images(self) -> list[str]:
        return [self.image]


@pytest.fixture
def sim(make_sim):
    return make_sim(seed=11, projects=("demo",))


def rebuilds(sim, quay, count: int, every: str = "20m") -> list[str]:
    """A scheduled ``app:latest`` that sees ``count`` rebuilds; the digests, oldest first."""
    digests = [quay.push("ns/app", "latest")]
    sim.oc("tag --scheduled quay.io/ns/app:latest app:latest")
    sim.advance("1m")
    for _ in range(count):
        digests.append(quay.push("ns/app", "latest"))
        sim.advance(every)
    history = [item.image for item in sim.stream("demo", "app").status_tags["latest"].items]
    assert history == digests[::-1]
    return digests


def images(sim) -> set[str]:
    return {key[1] for key in sim.cluster.store("Image")}


def history(sim, stream="app", tag="latest", namespace="demo") -> list[str]:
    return [item.image for item in sim.stream(namespace, stream).status_tags[tag].items]


def add_pod(sim, pod: FakePod) -> None:
    with sim.transaction() as tx:
        tx.put("Pod", (pod.namespace, pod.name), pod)


def test_dry_run_lists_what_would_go_and_changes_nothing(sim, quay):
    digests = rebuilds(sim, quay, 5)
    sim.advance("3h")
    stream, stored = sim.stream("demo", "app"), images(sim)
    out = sim.oc("adm prune images")
    old = digests[:3][::-1]  # revisions 4-6 of the tag, newest first
    assert out == (
        "Dry run enabled - no modifications will be made. Add --confirm to remove images\n"
        "Deleting 3 items from image stream demo/app\n"
        + "".join(f"Deleting manifest link {d} in repository demo/app\n" for d in old)
        + "".join(f"Deleting blob {d}\nDeleting image {d}\n" for d in sorted(old))
        + "Summary: deleted 3 image object(s), deleted 3 image stream tag item(s), "
        "updated 1 image stream(s), deleted 3 manifest link(s), deleted 3 blob(s)\n"
    )
    assert sim.stream("demo", "app") is stream
    assert images(sim) == stored
    event = sim.events.query("kind == 'prune'").iloc[-1]
    assert bool(event["dry_run"]) and event["deleted_tag_items"] == 3


def test_confirm_keeps_three_newest_revisions_and_deletes_unreferenced_images(sim, quay):
    digests = rebuilds(sim, quay, 5)
    sim.advance("3h")
    generation = sim.stream("demo", "app").generation
    out = sim.oc("adm prune images --confirm")
    assert not out.startswith("Dry run")
    assert out.endswith(
        "Summary: deleted 3 image object(s), deleted 3 image stream tag "
        "item(s), updated 1 image stream(s), deleted 3 manifest link(s), "
        "deleted 3 blob(s)\n"
    )
    assert history(sim) == digests[3:][::-1]
    assert images(sim) == set(digests[3:])
    assert sim.stream("demo", "app").generation == generation  # a status update
    event = sim.events.query("kind == 'prune'").iloc[-1]
    assert not bool(event["dry_run"])
    assert (event["deleted_images"], event["updated_streams"]) == (3, 1)
    # pruning again finds nothing
    assert sim.oc("adm prune images --confirm") == "Summary: deleted 0 objects\n"


def test_a_caller_that_discards_the_report_gets_the_same_prune(make_sim):
    """``output=False`` (the image pruner's job) skips the report, nothing else."""
    runs = []
    for output in (True, False):
        sim = make_sim(seed=11, projects=("demo",))
        digests = rebuilds(sim, sim.registry("quay.io"), 5)
        sim.advance("3h")
        printed = sim.oc("adm prune images --confirm", output=output)
        runs.append((printed, history(sim), images(sim), sim.events))
    (report, *loud), (nothing, *quiet) = runs
    assert report.startswith("Deleting 3 items") and nothing == ""
    assert loud[:2] == quiet[:2] == [digests[3:][::-1], set(digests[3:])]
    assert loud[2].equals(quiet[2])


def test_revisions_younger_than_the_cutoff_are_kept(sim, quay):
    digests = rebuilds(sim, quay, 5)
    created = {
        item.image: item.created for item in sim.stream("demo", "app").status_tags["latest"].items
    }
    younger = int(sim.now - created[digests[2]]) + 30  # revisions 1-4 are younger than this
    sim.oc(f"adm prune images --confirm --keep-tag-revisions=1 --keep-younger-than={younger}s")
    assert history(sim) == digests[2:][::-1]  # kept for their age, whatever the count
    sim.oc("adm prune images --confirm --keep-tag-revisions=1 --keep-younger-than=0")
    assert history(sim) == [digests[-1]]
    assert images(sim) == {digests[-1]}


def test_streams_younger_than_the_cutoff_are_skipped(sim, quay):
    rebuilds(sim, quay, 4)
    before = history(sim)
    out = sim.oc("adm prune images --keep-tag-revisions=0 --keep-younger-than=2h --confirm")
    assert history(sim) == before  # the stream itself is only 81 minutes old
    assert out == "Summary: deleted 0 objects\n"


def test_an_image_still_in_another_stream_is_kept(sim, quay):
    digests = rebuilds(sim, quay, 4)
    sim.oc(f"tag quay.io/ns/app@{digests[0]} pinned:old")
    sim.advance("3h")
    out = sim.oc("adm prune images --confirm")
    assert history(sim) == digests[2:][::-1]
    assert f"Deleting manifest link {digests[0]} in repository demo/app\n" in out
    assert f"Deleting image {digests[0]}" not in out
    assert images(sim) == set(digests) - {digests[1]}


def test_images_used_by_pods_keep_their_revisions(sim, quay):
    digests = rebuilds(sim, quay, 5)
    sim.advance("3h")
    # by digest: that revision stays; by tag: the tag's current revision stays
    add_pod(sim, FakePod("demo", "old", f"{INTERNAL}/demo/app@{digests[0]}"))
    add_pod(sim, FakePod("demo", "web", "quay.io/demo/app:latest"))
    add_pod(
        sim, FakePod("demo", "done", f"{INTERNAL}/demo/app@{digests[1]}", status="Terminated")
    )  # finished long ago: not a user
    sim.oc("adm prune images --confirm --keep-tag-revisions=0")
    assert history(sim) == [digests[-1], digests[0]]
    assert images(sim) == {digests[-1], digests[0]}


def test_namespace_prunes_only_its_streams_and_no_images(sim, quay):
    digests = rebuilds(sim, quay, 4)
    sim.oc("new-project team")
    sim.oc(f"tag quay.io/ns/app@{digests[0]} base:1 -n team")
    sim.advance("1m")
    sim.oc(f"tag quay.io/ns/app@{digests[1]} base:1 -n team")
    sim.advance("3h")
    out = sim.oc("adm prune images --confirm --keep-tag-revisions=1 -n team")
    assert out == (
        "Deleting 1 items from image stream team/base\n"
        f"Deleting manifest link {digests[0]} in repository team/base\n"
        "Summary: deleted 1 image stream tag item(s), updated 1 image stream(s), "
        "deleted 1 manifest link(s)\n"
    )
    assert len(history(sim)) == 5
    assert images(sim) == set(digests)


def test_tags_without_remaining_items_leave_the_status(sim, quay):
    digest = quay.push("ns/app", "1.0")
    sim.oc("tag quay.io/ns/app:1.0 app:1.0")
    sim.oc("tag --reference quay.io/ns/app:1.0 app:ref")
    sim.advance("2h")
    sim.oc("adm prune images --confirm --keep-tag-revisions=0")
    stream = sim.stream("demo", "app")
    # the reference tag's item has no Image object: oc drops it whatever the count
    assert sorted(stream.status_tags) == []
    assert sorted(stream.spec_tags) == ["1.0", "ref"]
    assert digest not in images(sim)
    removed = sim.events.query("kind == 'tag_removed'")
    assert sorted(removed["tag"]) == ["1.0", "ref"]


def test_prune_registry_false_only_touches_api_objects(sim, quay):
    rebuilds(sim, quay, 4)
    sim.advance("3h")
    out = sim.oc("adm prune images --prune-registry=false")
    assert out.splitlines()[1] == (
        "Only API objects will be removed.  No modifications to the image registry will be made."
    )
    assert "manifest link" not in out and "blob" not in out
    assert out.endswith(
        "Summary: deleted 2 image object(s), deleted 2 image stream tag "
        "item(s), updated 1 image stream(s)\n"
    )


def test_defaults_come_from_the_simulation_config():
    sim = sk.Simulation(config=sk.Config(keep_tag_revisions=1))
    sim.oc("new-project demo")
    quay = sim.registry("quay.io")
    rebuilds(sim, quay, 3)
    sim.advance("3h")
    sim.oc("adm prune images --confirm")
    assert len(history(sim)) == 1


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("adm prune images extra", "error: no arguments are allowed to this command"),
        (
            "adm prune images --keep-tag-revisions=-1",
            "error: --keep-tag-revisions must be greater than or equal to 0",
        ),
        (
            "adm prune images --keep-younger-than=-5m",
            "error: --keep-younger-than must be greater than or equal to 0",
        ),
        (
            "adm prune images --keep-younger-than=90",
            'error: invalid argument "90" for "--keep-younger-than" flag: time: missing unit in '
            'duration "90"',
        ),
        (
            "adm prune images --keep-tag-revisions=two",
            'error: invalid argument "two" for "--keep-tag-revisions" flag: strconv.ParseInt: '
            'parsing "two": invalid syntax',
        ),
        (
            "adm prune images --prune-over-size-limit --keep-tag-revisions=2",
            "error: --prune-over-size-limit cannot be specified with --keep-tag-revisions nor "
            "--keep-younger-than",
        ),
    ],
)
def test_bad_flags_fail_and_change_nothing(sim, quay, line, message):
    rebuilds(sim, quay, 4)
    sim.advance("3h")
    before, stored, events = sim.stream("demo", "app"), images(sim), len(sim.events)
    with pytest.raises(sk.OcError) as err:
        sim.oc(line + " --confirm")
    assert str(err.value).startswith(message)
    assert sim.stream("demo", "app") is before and images(sim) == stored
    assert len(sim.events) == events


def test_invalid_references_stop_the_pruner(sim, quay):
    rebuilds(sim, quay, 4)
    sim.advance("3h")
    add_pod(sim, FakePod("demo", "bad", "quay.io/ns/App:1"))
    before, stored = sim.stream("demo", "app"), images(sim)
    with pytest.raises(sk.OcError) as err:
        sim.oc("adm prune images --confirm")
    assert str(err.value).startswith(
        "Failed to build graph!\n\nThe following objects have invalid references:\n\n"
        '  pod/bad namespace=demo: container app: invalid image reference "quay.io/ns/App:1": '
    )
    assert str(err.value).endswith("error: failed to build graph - no changes made")
    assert sim.stream("demo", "app") is before and images(sim) == stored
    out = sim.oc("adm prune images --confirm --ignore-invalid-refs")
    assert "Deleting 2 items from image stream demo/app" in out
