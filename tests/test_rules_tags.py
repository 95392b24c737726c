"""simkit.rules.tags against upstream's own test tables.

Restated from openshift-apiserver ``pkg/image/apiserver/internal/imageutil/helpers_test.go``
(commit 56aa2d96edd725e44ddd7ff13f23e53e6c509828): ``TestLatestTaggedImage``,
``TestResolveLatestTaggedImage`` (its reference-policy rows, through
``resolve_reference_for_tag_event``), ``TestAddTagEventToImageStream``,
``TestUpdateTrackingTags`` and ``TestResolveImageID``; plus hypothesis properties of
``AddTagEventToImageStream`` (history newest first, never truncated, no-op on a repeat).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simkit.rules.tags import (
    AmbiguousImageID,
    CircularReference,
    CrossImageStreamReference,
    NotFoundReference,
    add_tag_event,
    follow_tag_reference,
    latest_tagged_image,
    observed_tag_generation,
    resolve_image_id,
    resolve_reference_for_tag_event,
    split_stream_tag_name,
    tag_needs_import,
    update_tracking_tags,
)
from simkit.state.images import (
    ImageStream,
    NamedTagEventList,
    ObjectReference,
    TagEvent,
    TagEventCondition,
    TagReference,
)

D4AB = "sha256:4ab15c48b859c2920dd5224f92aabcd39a52794c5b3cf088fb3bbb438756c246"
D3C = "sha256:3c87c572822935df60f0f5d3665bd376841a7fcfeb806b5f212de6a00e9a7b25"


def event(ref: str, image: str = "", generation: int = 0) -> TagEvent:
    return TagEvent(0.0, ref, image, generation)


def stream_with(
    tags: dict[str, list[TagEvent]],
    namespace: str = "",
    name: str = "",
    registry: str = "image-registry.openshift-image-registry.svc:5000",
) -> ImageStream:
    stream = ImageStream(namespace, name, internal_registry=registry)
    for tag, items in tags.items():
        stream.status_tags[tag] = NamedTagEventList(tag, list(items))
    return stream


LATEST = {"latest": [event("latest-ref"), event("older")]}


# --- TestLatestTaggedImage -----------------------------------------------------------------
@pytest.mark.parametrize(("tag", "tags", "expected"), [
    ("foo", {}, None),
    ("foo", LATEST, None),
    ("", LATEST, "latest-ref"),
    ("foo", {**LATEST, "foo": [event("foo-ref"), event("older")]}, "foo-ref"),
])  # fmt: skip
def test_latest_tagged_image(tag, tags, expected):
    found = latest_tagged_image(stream_with(tags), tag)
    assert (found.docker_image_reference if found else None) == expected


def test_latest_tagged_image_of_an_empty_history_is_none():
    assert latest_tagged_image(stream_with({"latest": []}), "latest") is None


# --- TestResolveLatestTaggedImage: the reference policy rows -------------------------------
@pytest.mark.parametrize(("policy", "registry", "image", "expected"), [
    # the default reference policy does nothing
    ("Source", "test.server", D4AB, "latest-ref"),
    # the local reference policy does nothing unless the image id is set
    ("Local", "test.server", "", "latest-ref"),
    # the local reference policy uses the status reference and the image id: a pull-through spec
    ("Local", "test.server", D4AB, f"test.server/a/b@{D4AB}"),
])  # fmt: skip
def test_resolve_reference_for_tag_event(policy, registry, image, expected):
    stream = ImageStream("a", "b", internal_registry=registry)
    assert resolve_reference_for_tag_event(stream, policy, event("latest-ref", image)) == expected


def test_local_policy_without_a_usable_status_repository_keeps_the_events_reference():
    """The row "the local reference policy does nothing unless reference is set": with no
    integrated registry there is no ``status.dockerImageRepository`` to parse."""
    stream = ImageStream("a", "b", internal_registry="")
    assert resolve_reference_for_tag_event(stream, "Local", event("latest-ref", D4AB)) == (
        "latest-ref"
    )


def test_local_policy_with_an_image_that_is_not_a_digest_joins_with_a_colon():
    """``DockerImageReference.NameString``: an ID that does not parse as a digest is a tag."""
    stream = ImageStream("a", "b", internal_registry="test.server")
    assert resolve_reference_for_tag_event(stream, "Local", event("r", "sha256:ab")) == (
        "test.server/a/b:sha256:ab"
    )


# --- TestAddTagEventToImageStream ----------------------------------------------------------
ADD_CASES = {
    "nil entry for tag": (None, ("ref", "image"), [("ref", "image")], True),
    "empty items for tag": ([], ("ref", "image"), [("ref", "image")], True),
    "same ref and image": ([("ref", "image")], ("ref", "image"), [("ref", "image")], False),
    "same ref, different image": (
        [("ref", "image")],
        ("ref", "newimage"),
        [("ref", "newimage")],
        True,
    ),
    "different ref, same image": (
        [("ref", "image")],
        ("newref", "image"),
        [("newref", "image")],
        True,
    ),
    "different ref, different image": (
        [("ref", "image")],
        ("newref", "newimage"),
        [("newref", "newimage"), ("ref", "image")],
        True,
    ),
}


@pytest.mark.parametrize("name", sorted(ADD_CASES))
def test_add_tag_event(name):
    before, (ref, image), expected, updated = ADD_CASES[name]
    stream = stream_with({} if before is None else {"latest": [event(r, i) for r, i in before]})
    assert add_tag_event(stream, "latest", event(ref, image)) is updated
    assert [(e.docker_image_reference, e.image) for e in stream.status_tags["latest"].items] == (
        expected
    )


def test_add_tag_event_clears_conditions_and_collapses_a_new_generation():
    stream = stream_with({"latest": [event("ref", "image", 1)]})
    stream.status_tags["latest"].conditions = [
        TagEventCondition("ImportSuccess", "False", 0.0, "NotFound", "gone", 1)
    ]
    assert add_tag_event(stream, "latest", event("ref", "image", 2)) is True
    history = stream.status_tags["latest"]
    assert [(e.image, e.generation) for e in history.items] == [("image", 2)]
    assert history.conditions == []


events = st.builds(
    event, st.sampled_from(["r1", "r2", "r3"]), st.sampled_from(["i1", "i2"]), st.integers(0, 3)
)


@given(st.lists(events, max_size=12))
def test_add_tag_event_history_invariants(sequence):
    """The newest event is the last one added; the history grows by one exactly when the
    new event differs from the newest in both reference and image, and never shrinks;
    older events are never edited; adding the newest again changes nothing."""
    stream = ImageStream("ns", "ruby")
    for item in sequence:
        before = list(stream.status_tags["t"].items) if "t" in stream.status_tags else []
        newest = (before[0].docker_image_reference, before[0].image) if before else None
        older = [(e.docker_image_reference, e.image) for e in before[1:]]
        add_tag_event(
            stream,
            "t",
            TagEvent(item.created, item.docker_image_reference, item.image, item.generation),
        )
        items = stream.status_tags["t"].items
        grows = newest is None or (
            newest[0] != item.docker_image_reference and newest[1] != item.image
        )
        assert len(items) == len(before) + grows
        assert [(e.docker_image_reference, e.image) for e in items[1 + grows :]] == older
    if not sequence:
        assert "t" not in stream.status_tags
        return
    items = stream.status_tags["t"].items
    last = sequence[-1]
    assert (items[0].docker_image_reference, items[0].image, items[0].generation) == (
        last.docker_image_reference,
        last.image,
        last.generation,
    )
    count = len(items)
    assert (
        add_tag_event(
            stream, "t", TagEvent(1.0, last.docker_image_reference, last.image, last.generation)
        )
        is False
    )
    assert len(stream.status_tags["t"].items) == count


# --- TestUpdateTrackingTags ----------------------------------------------------------------
def _tracking_stream(
    *, tracking=(), non_tracking=(), status=(), from_name="2.0", namespace="ns"
) -> ImageStream:
    stream = stream_with({t: [event("ns/ruby@id", "id")] for t in status}, namespace, "ruby")
    for tag in tracking:
        stream.spec_tags[tag] = TagReference(tag, ObjectReference("ImageStreamTag", from_name))
    for tag in non_tracking:
        stream.spec_tags[tag] = TagReference(tag)
    return stream


@pytest.mark.parametrize(("name", "kwargs", "updated"), [
    # upstream's row names the *tag* "otherstream:2.0" (from "2.0") and asserts nothing;
    # the rule it is after is a ``from`` naming another stream, which is restated here
    ("from name different", dict(tracking=["latest"], from_name="otherstream:2.0",
                                 status=["2.0"]), []),
    ("no tracking", dict(status=["2.0", "3.0"]), []),
    ("stream name in from name", dict(tracking=["latest"], from_name="ruby:2.0",
                                      status=["2.0", "3.0"]), ["latest"]),
    ("1 tracking, 1 not", dict(tracking=["latest"], non_tracking=["other"],
                               status=["2.0", "3.0"]), ["latest"]),
    ("multiple tracking, multiple not", dict(tracking=["latest1", "latest2"],
                                             non_tracking=["other1", "other2"],
                                             status=["2.0", "3.0"]), ["latest1", "latest2"]),
])  # fmt: skip
def test_update_tracking_tags(name, kwargs, updated):
    stream = _tracking_stream(**kwargs)
    assert update_tracking_tags(stream, "2.0", event("ns/ruby@newid", "newid")) == len(updated)
    for tag in updated:
        newest = stream.status_tags[tag].items[0]
        assert (newest.docker_image_reference, newest.image) == ("ns/ruby@newid", "newid")
    assert set(stream.status_tags) == set(kwargs.get("status", ())) | set(updated)


@pytest.mark.parametrize("source", [
    None,                                                  # nil from
    ObjectReference("ImageStreamImage", "asdf"),           # from kind not ImageStreamTag
    ObjectReference("ImageStreamTag", "2.0", "other"),     # from namespace different
])  # fmt: skip
def test_update_tracking_tags_ignores_non_tracking_sources(source):
    stream = _tracking_stream(status=["2.0"])
    stream.spec_tags["latest"] = TagReference("latest", source)
    assert update_tracking_tags(stream, "2.0", event("ns/ruby@newid", "newid")) == 0
    assert "latest" not in stream.status_tags


def test_update_tracking_tags_no_change_to_tracked_tag():
    stream = _tracking_stream(tracking=["latest"], status=["2.0", "3.0", "latest"])
    assert update_tracking_tags(stream, "2.0", event("ns/ruby@id", "id")) == 0
    assert len(stream.status_tags["latest"].items) == 1


# --- TestResolveImageID --------------------------------------------------------------------
D = [f"sha256:{i:064x}" for i in range(5)]


@pytest.mark.parametrize(("tags", "image_id", "expected"), [
    # single tag, match ID prefix
    ({"tag1": [event(f"repo@{D3C}", D3C)]}, D3C[7:], f"repo@{D3C}"),
    # single tag, match string prefix
    ({"tag1": [event("repo:mytag", "mytag")]}, "mytag", "repo:mytag"),
    # find match out of multiple tags in first / last position
    ({"tag1": [event(f"repo@{D[1]}", D[1]), event(f"repo@{D[2]}", D[2])],
      "tag2": [event(f"repo@{D[3]}", D[3]), event(f"repo@{D[4]}", D[4])]}, D[1], f"repo@{D[1]}"),
    ({"tag1": [event(f"repo@{D[1]}", D[1]), event(f"repo@{D[2]}", D[2])],
      "tag2": [event(f"repo@{D[3]}", D[3]), event(f"repo@{D[4]}", D[4])]}, D[4], f"repo@{D[4]}"),
])  # fmt: skip
def test_resolve_image_id(tags, image_id, expected):
    found = resolve_image_id(stream_with(tags, "ns", "ruby"), image_id, now=5.0)
    assert (found.docker_image_reference, found.created, found.generation) == (expected, 5.0, 0)


@pytest.mark.parametrize("tags", [
    {"tag1": [event(f"repo@{D3C[:-1]}", D3C[:-1])]},  # single tag, ID error
    {},                                                # no tag
])  # fmt: skip
def test_resolve_image_id_not_found(tags):
    with pytest.raises(KeyError, match="not found"):
        resolve_image_id(stream_with(tags, "ns", "ruby"), D3C[7:], now=0.0)


def test_resolve_image_id_multiple_match():
    tags = {"tag1": [event("repo@mytag", "mytag"), event("repo@mytag", "mytag2")]}
    with pytest.raises(AmbiguousImageID, match="multiple images match the prefix"):
        resolve_image_id(stream_with(tags, "ns", "ruby"), "mytag", now=0.0)


# --- FollowTagReference (oc pkg/helpers/image) and parseFromReference -----------------------
def _spec(stream: ImageStream, tag: str, kind: str, name: str, namespace: str = "") -> None:
    stream.spec_tags[tag] = TagReference(tag, ObjectReference(kind, name, namespace))


def test_follow_tag_reference_chain_cycle_missing_and_cross_stream():
    s = ImageStream("ns", "ruby")
    _spec(s, "2.7", "DockerImage", "q/r:2.7")
    _spec(s, "stable", "ImageStreamTag", "2.7")
    _spec(s, "latest", "ImageStreamTag", "ruby:stable")
    assert follow_tag_reference(s, "2.7")[::2] == ("2.7", False)
    final, ref, multiple = follow_tag_reference(s, "latest")
    assert (final, ref.source.name, multiple) == ("2.7", "q/r:2.7", True)
    _spec(s, "a", "ImageStreamTag", "b")
    _spec(s, "b", "ImageStreamTag", "a")
    with pytest.raises(CircularReference):
        follow_tag_reference(s, "a")
    _spec(s, "dangling", "ImageStreamTag", "nowhere")
    with pytest.raises(NotFoundReference):
        follow_tag_reference(s, "dangling")
    _spec(s, "other", "ImageStreamTag", "python:3")
    with pytest.raises(CrossImageStreamReference):
        follow_tag_reference(s, "other")
    _spec(s, "elsewhere", "ImageStreamTag", "2.7", "team-b")
    with pytest.raises(CrossImageStreamReference):
        follow_tag_reference(s, "elsewhere")


def test_split_stream_tag_name():
    assert split_stream_tag_name("2.7", "ruby") == ("ruby", "2.7")
    assert split_stream_tag_name("python:3.9", "ruby") == ("python", "3.9")
    with pytest.raises(ValueError, match="<tag> or <stream>:<tag>"):
        split_stream_tag_name("a:b:c", "ruby")


# --- tagNeedsImport / latestObservedTagGeneration (imagestream strategy) --------------------
def test_tag_needs_import_compares_spec_and_observed_generation():
    s = ImageStream("ns", "ruby")
    s.spec_tags["2.7"] = TagReference("2.7", ObjectReference("DockerImage", "r:2.7"), generation=2)
    assert tag_needs_import(s, "2.7") is True
    s.status_tags["2.7"] = NamedTagEventList("2.7", [event("r@x", "x", 2)])
    assert observed_tag_generation(s.status_tags["2.7"]) == 2
    assert tag_needs_import(s, "2.7") is False
    # a failed import at a newer generation counts as observed
    s.spec_tags["2.7"].generation = 3
    s.status_tags["2.7"].conditions = [
        TagEventCondition("ImportSuccess", "False", 0.0, generation=3)
    ]
    assert observed_tag_generation(s.status_tags["2.7"]) == 3
    assert tag_needs_import(s, "2.7") is False
    # no generation: only when asked to import those
    s.spec_tags["new"] = TagReference("new", ObjectReference("DockerImage", "r:new"))
    assert tag_needs_import(s, "new") is False
    assert tag_needs_import(s, "new", import_when_generation_nil=True) is True
    # a reference tag is never imported
    s.spec_tags["ref"] = TagReference(
        "ref", ObjectReference("DockerImage", "r:1"), reference=True, generation=9
    )
    assert tag_needs_import(s, "ref") is False
