"""simkit.rules.prune (``oc adm prune images`` as a pure plan) against oc's test table.

Restated from openshift/oc ``pkg/cli/admin/prune/imageprune/prune_test.go``
``TestImagePruning`` (commit 6b8e30c5b39aa742147846341a203905e04834f3): every row about
pods, tag history, stream and image age, absent images, ``--prune-registry`` and
``--all-images``.  Layers and configs are not modelled (the module says so), so the
rows' layer-link and layer-blob expectations are left out and a blob list holds only the
manifest.  Upstream's objects are created at the zero time, its "young" ones now; here
"old" is t=0 and ``now`` is two hours later with oc's default ``--keep-younger-than=60m``.
Hypothesis properties: nothing still in a history is deleted, kept history is a
subsequence of the old one, and the stats count what the plan holds.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simkit.rules.image_usage import ImageUsage
from simkit.rules.prune import PruneOptions, plan_prune
from simkit.state.images import (
    MANAGED_BY_OPENSHIFT_ANNOTATION,
    Image,
    ImageStream,
    NamedTagEventList,
    TagEvent,
)

HOST = "registry.io"
NOW = 7200.0
YOUNG = NOW - 60.0
D = [f"sha256:{i:064x}" for i in range(8)]


def image(i: int, created: float = 0.0, repo: str = f"{HOST}/foo/bar") -> Image:
    return Image(D[i], f"{repo}@{D[i]}", created)


def unmanaged(i: int, annotations: dict[str, str] | None) -> SimpleNamespace:
    return SimpleNamespace(created=0.0, annotations=annotations)


def stream(tags: dict[str, list[int | tuple[int, float]]], created: float = 0.0) -> ImageStream:
    s = ImageStream("foo", "bar", created=created)
    for tag, items in tags.items():
        events = []
        for item in items:
            i, when = item if isinstance(item, tuple) else (item, 0.0)
            events.append(TagEvent(when, f"{HOST}/foo/bar@{D[i]}", D[i]))
        s.status_tags[tag] = NamedTagEventList(tag, events)
    return s


def pods(*phases_running: str) -> ImageUsage:
    """``imagetest.Pod`` by digest; only pending and running pods count as in use
    (succeeded, failed and unknown ones are left out, as ``images_in_use`` does)."""
    usage = ImageUsage()
    for n, phase in enumerate(phases_running, 1):
        if phase in ("Pending", "Running"):
            usage.add_reference(f"pod/pod{n} namespace=foo", "", f"{HOST}/foo/bar@{D[0]}")
    return usage


def run(images, streams, usage=None, **options):
    plan = plan_prune(streams, images, usage or ImageUsage(), NOW, PruneOptions(**options))
    remaining = {
        s.key: {t: [D.index(e.image) for e in h.items] for t, h in s.status_tags.items()}
        for s in plan.streams
    }
    links = [f"{s.namespace}/{s.name}|{d}" for s in plan.streams for d in s.manifest_links]
    blobs = [b for d in plan.images for b in plan.image_blobs[d]]
    return plan, remaining, links, blobs


ONE = {D[0]: image(0)}


@pytest.mark.parametrize(("case", "phases"), [
    ("1 pod - phase pending - don't prune", ["Pending"]),
    ("3 pods - last phase pending - don't prune", ["Succeeded", "Succeeded", "Pending"]),
    ("1 pod - phase running - don't prune", ["Running"]),
    ("3 pods - last phase running - don't prune", ["Succeeded", "Succeeded", "Running"]),
])  # fmt: skip
def test_images_of_pending_and_running_pods_are_kept(case, phases):
    plan, remaining, links, blobs = run(
        ONE, [stream({"latest": [0]})], pods(*phases), keep_tag_revisions=0
    )
    assert (plan.images, remaining, links) == ([], {}, [])


@pytest.mark.parametrize("phase", ["Succeeded", "Failed", "Unknown"])
def test_pod_phase_succeeded_failed_unknown_prune(phase):
    plan, remaining, links, blobs = run(
        ONE, [stream({"latest": [0]})], pods(phase), keep_tag_revisions=0
    )
    assert plan.images == [D[0]]
    assert remaining == {("foo", "bar"): {}}  # the tag's only item went, and the tag with it
    assert links == [f"foo/bar|{D[0]}"]
    assert blobs == [D[0]]


def test_pod_phase_succeeded_prune_leave_registry_alone():
    plan, remaining, links, blobs = run(
        ONE,
        [stream({"latest": [0]})],
        pods("Succeeded"),
        keep_tag_revisions=0,
        prune_registry=False,
    )
    assert (plan.images, remaining, links, blobs) == ([D[0]], {("foo", "bar"): {}}, [], [])


def test_image_less_than_min_pruning_age_is_not_deleted_but_its_history_is():
    plan, remaining, links, blobs = run(
        {D[0]: image(0, created=YOUNG)},
        [stream({"latest": [0]})],
        pods("Succeeded"),
        keep_tag_revisions=0,
    )
    assert (plan.images, remaining, links) == ([], {("foo", "bar"): {}}, [f"foo/bar|{D[0]}"])


def test_image_stream_keep_most_recent_n_images():
    images = {D[0]: image(0, repo="otherregistry/foo/bar"), **{D[i]: image(i) for i in (2, 3, 4)}}
    plan, remaining, links, blobs = run(images, [stream({"latest": [0, 2, 3, 4]})])
    assert plan.images == [D[4]]
    assert remaining == {("foo", "bar"): {"latest": [0, 2, 3]}}
    assert (links, blobs) == ([f"foo/bar|{D[4]}"], [D[4]])


def test_image_stream_same_manifest_listed_multiple_times_in_tag_history():
    plan, remaining, links, blobs = run(
        {D[1]: image(1), D[2]: image(2)}, [stream({"latest": [1, 2, 1, 2]})]
    )
    assert remaining == {("foo", "bar"): {"latest": [1, 2, 1]}}
    assert (plan.images, links, blobs) == ([], [], [])


def test_image_stream_age_less_than_min_pruning_age_dont_prune():
    images = {D[i]: image(i) for i in (0, 2, 3, 4)}
    plan, remaining, links, blobs = run(
        images, [stream({"latest": [0, 2, 3, 4]}, created=NOW - 5 * 60)]
    )
    assert (plan.images, remaining, plan.streams) == ([], {}, [])


def test_image_stream_unreference_absent_image():
    plan, remaining, links, blobs = run({D[1]: image(1)}, [stream({"latest": [0, 1]})])
    assert remaining == {("foo", "bar"): {"latest": [1]}}
    assert (plan.images, links) == ([], [])


def test_image_stream_with_dangling_references_delete_tags():
    plan, remaining, links, blobs = run({D[1]: image(1)}, [stream({"latest": [0], "tag": [2]})])
    assert remaining == {("foo", "bar"): {}}
    assert (plan.images, blobs, links) == ([D[1]], [D[1]], [])


def test_image_stream_keep_reference_to_a_young_absent_image():
    plan, remaining, links, blobs = run(
        {D[1]: image(1), D[2]: image(2)}, [stream({"latest": [(0, YOUNG), 1]})]
    )
    assert (plan.images, blobs, remaining) == ([D[2]], [D[2]], {})


MANAGED_VALUES = ["false", "0", "1", "True", "yes", "Yes"]


@pytest.mark.parametrize(("case", "annotations", "all_images", "deleted"), [
    ("image with nil annotations", [None], True, True),
    ("prune all-images=false image with nil annotations", [None], False, False),
    ("image missing managed annotation", [{"foo": "bar"}], True, True),
    ("prune all-images=false with image missing managed annotation", [{"foo": "bar"}],
     False, False),
    ("image with managed annotation != true",
     [{MANAGED_BY_OPENSHIFT_ANNOTATION: v} for v in MANAGED_VALUES], True, True),
    ("prune all-images=false with image with managed annotation != true",
     [{MANAGED_BY_OPENSHIFT_ANNOTATION: v} for v in MANAGED_VALUES], False, False),
])  # fmt: skip
def test_all_images_and_the_managed_annotation(case, annotations, all_images, deleted):
    images = {D[i]: unmanaged(i, a) for i, a in enumerate(annotations)}
    plan, remaining, links, blobs = run(images, [], all_images=all_images)
    expected = sorted(images) if deleted else []
    assert (plan.images, blobs) == (expected, expected)


def test_all_images_false_still_prunes_managed_images():
    images = {D[0]: unmanaged(0, {MANAGED_BY_OPENSHIFT_ANNOTATION: "true"})}
    assert run(images, [], all_images=False)[0].images == [D[0]]


def test_a_namespaced_run_deletes_no_image_objects():
    plan, remaining, links, blobs = run(
        ONE, [stream({"latest": [0]})], keep_tag_revisions=0, namespace="foo"
    )
    assert (plan.images, remaining, links) == ([], {("foo", "bar"): {}}, [f"foo/bar|{D[0]}"])


def test_summary_counts():
    plan = run(ONE, [stream({"latest": [0]})], keep_tag_revisions=0)[0]
    assert str(plan.stats) == (
        "deleted 1 image object(s), deleted 1 image stream tag item(s), "
        "updated 1 image stream(s), deleted 1 manifest link(s), "
        "deleted 1 blob(s)"
    )


# --- properties ----------------------------------------------------------------------------
histories = st.dictionaries(
    st.sampled_from(["a", "b", "c"]),
    st.lists(st.tuples(st.integers(0, 5), st.sampled_from([0.0, YOUNG])), min_size=1, max_size=6),
    max_size=3,
)


@given(
    histories,
    st.sets(st.integers(0, 5)),
    st.sets(st.integers(0, 5)),
    st.integers(0, 4),
    st.booleans(),
)
def test_plan_invariants(tags, present, used, keep, registry):
    s = stream(tags)
    images = {D[i]: image(i) for i in present}
    usage = ImageUsage()
    for i in used:
        usage.add_reference("pod/p namespace=foo", "", f"{HOST}/foo/bar@{D[i]}")
    plan = plan_prune(
        [s], images, usage, NOW, PruneOptions(keep_tag_revisions=keep, prune_registry=registry)
    )
    after = plan.streams[0].status_tags if plan.streams else s.status_tags
    still = {e.image for h in after.values() for e in h.items}
    assert not still & set(plan.images)
    assert set(plan.images) == set(images) - still
    for tag, history in after.items():
        old = iter(s.status_tags[tag].items)
        assert all(any(e is o for o in old) for e in history.items)  # an ordered subsequence
        assert all(e.image in still for e in history.items)
    removed = sum(len(h.items) for h in s.status_tags.values()) - sum(
        len(h.items) for h in after.values()
    )
    assert plan.stats.deleted_tag_items == removed
    assert plan.stats.updated_streams == (1 if removed else 0)
    assert plan.stats.deleted_images == len(plan.images)
    for h in s.status_tags.values():
        for rev, e in enumerate(h.items):
            kept = any(e is k for k in after.get(h.tag, NamedTagEventList(h.tag)).items)
            if e.created == YOUNG or (
                e.image in images and (rev < keep or D.index(e.image) in used)
            ):
                assert kept
            if e.image not in images and e.created != YOUNG:
                assert not kept


@given(st.lists(st.tuples(st.sampled_from(["a", "b", "ab", ""]), st.sampled_from(["x", "xy"]))))
def test_streams_are_planned_in_namespace_then_name_order(keys):
    """The plan's streams come in the order of one stable sort by ``(namespace, name)``,
    the same key twice in the given order (stream ``i`` loses ``i + 1`` items)."""
    streams = []
    for i, (namespace, name) in enumerate(keys):
        s = ImageStream(namespace, name, created=0.0)
        s.status_tags["latest"] = NamedTagEventList(
            "latest", [TagEvent(0.0, f"{HOST}/foo/bar@{D[0]}", D[0])] * (i + 1)
        )
        streams.append(s)
    plan = plan_prune(streams, {D[0]: image(0)}, ImageUsage(), NOW, PruneOptions(0))
    expected = sorted(range(len(keys)), key=lambda i: keys[i])
    assert [p.deleted_items - 1 for p in plan.streams] == expected
