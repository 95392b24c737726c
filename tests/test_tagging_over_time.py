"""The tagging procedures of OpenShift's image guide, checked over simulated time.

Each test drives the simulation with ``oc`` commands, moves the upstream registry, lets
time pass and checks what the tag points at, following the rules restated in
``shared/reference/openshift-image-streams.md`` (oc ``tag.go``, openshift-apiserver
``strategy.go``/``imagestreamimport/rest.go``, the import controllers).
"""

from __future__ import annotations

import pytest

import simkit as sk

INTERNAL = "image-registry.openshift-image-registry.svc:5000"


@pytest.fixture
def sim(make_sim):
    return make_sim(seed=7, projects=("demo",))


@pytest.fixture
def quay(sim):
    registry = sim.registry("quay.io")
    registry.push("acme/ruby", "2.7")
    registry.push("acme/ruby", "3.0")
    return registry


def test_docker_image_tag_is_imported_after_the_controller_reacts(sim, quay):
    out = sim.oc("tag quay.io/acme/ruby:2.7 ruby:2.7")
    assert out == "Tag ruby:2.7 set to quay.io/acme/ruby:2.7.\n"
    assert sim.tag_image("demo/ruby:2.7") is None  # the import has not run yet
    sim.advance("5s")
    assert sim.tag_image("demo/ruby:2.7") == quay.tags("acme/ruby")["2.7"]
    stream = sim.stream("demo", "ruby")
    event = stream.status_tags["2.7"].items[0]
    assert event.docker_image_reference == f"quay.io/acme/ruby@{event.image}"
    # spec generation and status generation agree after the import: nothing more to import
    assert stream.spec_tags["2.7"].generation == event.generation == stream.generation


def test_permanent_tag_never_moves_when_upstream_rebuilds(sim, quay):
    sim.oc("tag quay.io/acme/ruby:2.7 ruby:2.7")
    sim.advance("1m")
    first = sim.tag_image("demo/ruby:2.7")
    quay.push("acme/ruby", "2.7")  # rebuild: same tag, new digest
    sim.advance("7d")
    assert sim.tag_image("demo/ruby:2.7") == first
    assert quay.tags("acme/ruby")["2.7"] != first


def test_permanent_istag_copy_is_pinned_to_the_source_image(sim, quay):
    sim.oc("tag --scheduled quay.io/acme/ruby:2.7 ruby:2.7")
    sim.advance("1m")
    before = sim.tag_image("demo/ruby:2.7")
    out = sim.oc("tag ruby:2.7 ruby:production")
    assert out == f"Tag ruby:production set to ruby@{before}.\n"
    ref = sim.stream("demo", "ruby").spec_tags["production"]
    assert (ref.source.kind, ref.source.name) == ("ImageStreamImage", f"ruby@{before}")
    quay.push("acme/ruby", "2.7")
    sim.advance("1h")
    assert sim.tag_image("demo/ruby:2.7") != before  # the scheduled tag moved on
    assert sim.tag_image("demo/ruby:production") == before  # the permanent copy did not


def test_alias_follows_its_source(sim, quay):
    sim.oc("tag --scheduled quay.io/acme/ruby:2.7 ruby:2.7")
    sim.advance("1m")
    out = sim.oc("tag --alias ruby:2.7 ruby:latest")
    assert out == "Tag ruby:latest set up to track ruby:2.7.\n"
    assert sim.tag_image("demo/ruby:latest") == sim.tag_image("demo/ruby:2.7")
    quay.push("acme/ruby", "2.7")
    sim.advance("1h")
    assert sim.tag_image("demo/ruby:latest") == sim.tag_image("demo/ruby:2.7")
    assert sim.tag_image("demo/ruby:2.7") == quay.tags("acme/ruby")["2.7"]


def test_alias_across_image_streams_is_refused(sim, quay):
    sim.oc("tag quay.io/acme/ruby:2.7 ruby:2.7")
    sim.advance("1m")
    before = len(sim.events)
    with pytest.raises(sk.OcError, match="cannot set alias across different Image Streams"):
        sim.oc("tag --alias ruby:2.7 other:latest")
    assert len(sim.events) == before
    assert sim.stream("demo", "other") is None


def test_scheduled_tag_picks_up_rebuild_within_one_interval(sim, quay):
    sim.oc("tag --scheduled quay.io/acme/ruby:2.7 ruby:2.7")
    sim.advance("20m")  # past the stream's first scheduled visit (at most 5 x 225 s)
    quay.push("acme/ruby", "2.7")
    rebuilt = quay.tags("acme/ruby")["2.7"]
    # a stream in the bucket behind the current one comes round after 4 bucket advances
    # of 225 s each (4 buckets per 15 min), plus one import's latency
    sim.advance(15 * 60 + 1)
    assert sim.tag_image("demo/ruby:2.7") == rebuilt
    items = sim.stream("demo", "ruby").status_tags["2.7"].items
    assert [e.image for e in items][0] == rebuilt and len(items) == 2  # newest first


def test_reference_tag_is_not_imported_and_points_at_the_source(sim, quay):
    out = sim.oc("tag --reference quay.io/acme/ruby:2.7 ruby:ref")
    assert out == "Tag ruby:ref set to quay.io/acme/ruby:2.7.\n"
    stream = sim.stream("demo", "ruby")
    event = stream.status_tags["ref"].items[0]
    assert (event.docker_image_reference, event.image) == ("quay.io/acme/ruby:2.7", "")
    sim.advance("1h")
    assert not [e for e in sim.log.iter("import")]
    assert sim.pull_spec("demo/ruby:ref") == "quay.io/acme/ruby:2.7"
    assert sim.tag_image("demo/ruby:ref") is None


def test_reference_policy_local_resolves_to_the_integrated_registry(sim, quay):
    sim.oc("tag --reference-policy=local quay.io/acme/ruby:3.0 ruby:3.0")
    sim.advance("1m")
    digest = quay.tags("acme/ruby")["3.0"]
    assert sim.pull_spec("demo/ruby:3.0") == f"{INTERNAL}/demo/ruby@{digest}"
    sim.oc("tag quay.io/acme/ruby:2.7 ruby:2.7")
    sim.advance("1m")
    assert sim.pull_spec("demo/ruby:2.7").startswith("quay.io/acme/ruby@sha256:")


@pytest.mark.parametrize("remove", ["tag -d ruby:2.7", "delete istag/ruby:2.7"])
def test_both_removal_commands_remove_spec_and_status(sim, quay, remove):
    sim.oc("tag quay.io/acme/ruby:2.7 ruby:2.7")
    sim.oc("tag quay.io/acme/ruby:3.0 ruby:3.0")
    sim.advance("1m")
    out = sim.oc(remove)
    assert out in (
        "Deleted tag demo/ruby:2.7.\n",
        'imagestreamtag.image.openshift.io "ruby:2.7" deleted from demo namespace\n',
    )
    stream = sim.stream("demo", "ruby")
    assert "2.7" not in stream.spec_tags and "2.7" not in stream.status_tags
    assert "3.0" in stream.status_tags
    with pytest.raises(sk.OcError, match="NotFound"):
        sim.oc(remove)


def test_source_kind_detection(sim, quay):
    sim.oc("tag quay.io/acme/ruby:2.7 ruby:2.7")
    sim.advance("1m")
    digest = sim.tag_image("demo/ruby:2.7")
    sim.oc(f"tag ruby@{digest} copy:by-id")  # @digest without registry: ImageStreamImage
    ref = sim.stream("demo", "copy").spec_tags["by-id"]
    assert ref.source.kind == "ImageStreamImage"
    assert sim.tag_image("demo/copy:by-id") == digest
    sim.oc("tag ruby copy:docker")  # no registry, no tag, no digest: a DockerImage (oc quirk)
    ref = sim.stream("demo", "copy").spec_tags["docker"]
    assert (ref.source.kind, ref.source.name) == ("DockerImage", "ruby")


def test_docker_image_without_tag_imports_latest(sim):
    hub = sim.registry("docker.io")
    latest = hub.push("library/busybox", "latest")
    sim.oc("tag docker.io/busybox bb:1")
    sim.advance("1m")
    assert sim.tag_image("demo/bb:1") == latest


def test_importing_flags_need_a_container_image(sim, quay):
    sim.oc("tag quay.io/acme/ruby:2.7 ruby:2.7")
    sim.advance("1m")
    with pytest.raises(sk.OcError, match="only container images can have importing flags set"):
        sim.oc("tag --scheduled ruby:2.7 ruby:copy")


def test_failed_import_keeps_history_and_sets_condition_without_retry_loop(sim, quay):
    sim.oc("tag quay.io/acme/ruby:2.7 ruby:2.7")
    sim.advance("1m")
    good = sim.tag_image("demo/ruby:2.7")
    sim.oc("tag quay.io/acme/ruby:9.9 ruby:2.7")  # no such upstream tag
    sim.advance("1h")
    history = sim.stream("demo", "ruby").status_tags["2.7"]
    assert history.items[0].image == good
    (condition,) = history.conditions
    assert (condition.type, condition.status, condition.reason) == (
        "ImportSuccess",
        "False",
        "NotFound",
    )
    assert condition.message == 'dockerimage.image.openshift.io "quay.io/acme/ruby:9.9" not found'
    imports = [e for e in sim.log.iter("import") if e["stream"] == "ruby"]
    assert len(imports) == 2  # one per spec change, no hot retry


def test_failed_command_changes_nothing(sim, quay):
    sim.oc("tag quay.io/acme/ruby:2.7 ruby:2.7")
    sim.advance("1m")
    before_events = len(sim.events)
    before = sim.stream("demo", "ruby")
    with pytest.raises(sk.OcError):
        sim.oc("tag quay.io/acme/ruby:2.7 ruby:ok ruby:bad^tag")  # second destination invalid
    assert sim.stream("demo", "ruby") is before
    assert "ok" not in sim.stream("demo", "ruby").spec_tags
    assert len(sim.events) == before_events


def test_unknown_flag_is_an_oc_error(sim):
    with pytest.raises(sk.OcError, match="unknown flag: --bogus"):
        sim.oc("tag --bogus a:b c:d")
