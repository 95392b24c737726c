"""simkit.rules.stream_strategy against openshift-apiserver's strategy test tables.

Restated from openshift-apiserver ``pkg/image/apiserver/registry/imagestream/strategy_test.go``
(commit 56aa2d96edd725e44ddd7ff13f23e53e6c509828): ``TestTagRefChanged`` (all rows),
``TestTagsChanged`` (every row that needs no registry hostname or quota plumbing), and the
generation rules of ``PrepareForCreate`` / ``prepareForUpdate`` (strategy.go) with
hypothesis properties: a user can only reset a tag generation to 0, never set it, and an
update never lowers the stream's generation.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simkit.rules.stream_strategy import (
    prepare_for_create,
    prepare_for_update,
    tag_ref_changed,
    tags_changed,
    update_changed_tracking_tags,
)
from simkit.state.images import (
    ImageStream,
    NamedTagEventList,
    ObjectReference,
    TagEvent,
    TagReference,
)

E3 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
D29 = "sha256:293aa25bf219f3e47472281b7e68c09bb6f315c2adf7f86a7302b85bdaa63db3"
REPO = "registry:5000/ns/stream"


# --- TestTagRefChanged ---------------------------------------------------------------------
def ref(name: str | None = None, namespace: str = "", kind: str = "") -> TagReference:
    return TagReference("t", None if name is None else ObjectReference(kind, name, namespace))


@pytest.mark.parametrize(("case", "old", "new", "changed"), [
    ("no ref, no from", ref(), ref(), False),
    ("same ref", ref("foo", kind="DockerImage"), ref("foo", kind="DockerImage"), False),
    ("different ref", ref("foo", kind="DockerImage"), ref("bar", kind="DockerImage"), True),
    ("no kind, no name", ref(), ref(""), False),
    ("old from nil", ref(), ref("other:latest", "another"), True),
    ("different namespace - old implicit", ref("other:latest"),
     ref("other:latest", "another"), True),
    ("different namespace - old explicit", ref("other:latest", "something"),
     ref("other:latest", "another"), True),
    ("different namespace - next implicit", ref("other:latest", "something"),
     ref("other:latest"), True),
    ("different name - old namespace implicit", ref("other:latest"),
     ref("other:other", "streamnamespace"), True),
    ("different name - old namespace explicit", ref("other:latest", "streamnamespace"),
     ref("other:other", "streamnamespace"), True),
    ("different name - new namespace implicit", ref("other:latest", "streamnamespace"),
     ref("other:other"), True),
    ("same name - old namespace implicit", ref("other:latest"),
     ref("other:latest", "streamnamespace"), False),
    ("same name - old namespace explicit", ref("other:latest", "streamnamespace"),
     ref("other:latest", "streamnamespace"), False),
    ("same name - both namespaces implicit", ref("other:latest"), ref("other:latest"), False),
])  # fmt: skip
def test_tag_ref_changed(case, old, new, changed):
    assert tag_ref_changed(old, new, "streamnamespace") is changed


def test_tag_ref_changed_counts_reference_import_mode_and_a_reset_to_zero_only():
    base = TagReference("t", ObjectReference("DockerImage", "foo"), generation=2)
    assert (
        tag_ref_changed(base, TagReference("t", base.source, generation=2, reference=True), "ns")
        is True
    )
    assert (
        tag_ref_changed(
            base, TagReference("t", base.source, generation=2, import_mode="PreserveOriginal"), "ns"
        )
        is True
    )
    assert tag_ref_changed(base, TagReference("t", base.source, generation=0), "ns") is True
    assert tag_ref_changed(base, TagReference("t", base.source, generation=5), "ns") is False
    assert (
        tag_ref_changed(
            base, TagReference("t", base.source, generation=2, scheduled=True, insecure=True), "ns"
        )
        is False
    )


# --- TestTagsChanged -----------------------------------------------------------------------
def docker(name: str, reference: bool = False) -> TagReference:
    return TagReference("", ObjectReference("DockerImage", name), reference=reference)


def istag(name: str) -> TagReference:
    return TagReference("", ObjectReference("ImageStreamTag", name))


def isimage(name: str) -> TagReference:
    return TagReference("", ObjectReference("ImageStreamImage", name))


def ev(reference: str, image: str = "") -> tuple[str, str]:
    return (reference, image)


CHANGED_CASES = {
    "no tags, no history": dict(tags={}, history={}, expected={}),
    "single tag update, preserves history": dict(
        previous={},
        tags={"t1": docker(f"{REPO}:t1", True)},
        history={"t2": [ev(f"{REPO}@{E3}", E3)]},
        expected={"t1": [ev(f"{REPO}:t1")], "t2": [ev(f"{REPO}@{E3}", E3)]},
    ),
    "empty tag ignored on create": dict(tags={"t1": TagReference("")}, history={}, expected={}),
    "tag to missing ignored on create": dict(tags={"t1": docker("t2")}, history={}, expected={}),
    "new tags, no history": dict(
        tags={"t1": docker(f"{REPO}:t1", True), "t2": docker(f"{REPO}@{E3}", True)},
        history={},
        expected={"t1": [ev(f"{REPO}:t1")], "t2": [ev(f"{REPO}@{E3}")]},
    ),
    "no-op": dict(
        previous={"t1": docker("v1image1"), "t2": docker(f"@{E3}")},
        tags={"t1": docker("v1image1"), "t2": docker(f"@{E3}")},
        history={"t1": [ev(f"{REPO}:v1image1", "v1image1")], "t2": [ev(f"{REPO}@{E3}", E3)]},
        expected={"t1": [ev(f"{REPO}:v1image1", "v1image1")], "t2": [ev(f"{REPO}@{E3}", E3)]},
    ),
    "new tag copies existing history": dict(
        previous={"t1": docker("t1"), "t3": docker(f"@{E3}")},
        tags={
            "t1": docker(f"{REPO}:v1image1", True),
            "t2": docker(f"{REPO}:v1image1", True),
            "t3": docker(f"@{E3}", True),
        },
        history={"t1": [ev(f"{REPO}:v1image1", "v1image1")], "t3": [ev(f"{REPO}@{E3}", E3)]},
        expected={
            "t1": [ev(f"{REPO}:v1image1")],
            "t2": [ev(f"{REPO}:v1image1")],
            "t3": [ev(f"@{E3}"), ev(f"{REPO}@{E3}", E3)],
        },
    ),
    "object reference to image stream tag in same stream": dict(
        tags={"t1": istag("stream:other")},
        history={"other": [ev(f"{REPO}@{E3}", E3)]},
        expected={"t1": [ev(f"{REPO}@{E3}", E3)], "other": [ev(f"{REPO}@{E3}", E3)]},
    ),
    "tag changes and referenced tag should react": dict(
        previous={"t1": istag("stream:other"), "t2": istag("stream:t1")},
        tags={"t1": isimage(f"stream@{E3}"), "t2": istag("stream:t1")},
        history={
            "other": [ev(f"{REPO}@{D29}", D29), ev(f"{REPO}@{E3}", E3)],
            "t1": [ev(f"{REPO}@{D29}", D29)],
            "t2": [ev(f"{REPO}@{D29}", D29)],
        },
        expected={
            "other": [ev(f"{REPO}@{D29}", D29), ev(f"{REPO}@{E3}", E3)],
            "t1": [ev(f"{REPO}@{E3}", E3), ev(f"{REPO}@{D29}", D29)],
            "t2": [ev(f"{REPO}@{E3}", E3), ev(f"{REPO}@{D29}", D29)],
        },
    ),
    "object reference to image stream image in same stream": dict(
        tags={"t1": isimage(f"stream@{E3}")},
        history={"other": [ev(f"{REPO}@{E3}", E3)]},
        expected={"t1": [ev(f"{REPO}@{E3}", E3)], "other": [ev(f"{REPO}@{E3}", E3)]},
    ),
    "object reference to image stream image in same stream (bad digest)": dict(
        tags={"t1": isimage("stream@12345")},
        history={"other": [ev(f"{REPO}:12345", "12345")]},
        expected={"t1": [ev(f"{REPO}:12345", "12345")], "other": [ev(f"{REPO}:12345", "12345")]},
    ),
    "object reference to image stream tag in different stream": dict(
        tags={"t1": istag("other:other")},
        history={},
        other={"other": [ev(f"{REPO}@{E3}", E3)]},
        expected={"t1": [ev(f"{REPO}@{E3}", E3)]},
    ),
}


def _stream(
    tags: dict[str, TagReference] | None, history: dict[str, list[tuple[str, str]]]
) -> ImageStream:
    s = ImageStream("ns", "stream", internal_registry="registry:5000")
    for name, r in (tags or {}).items():
        s.spec_tags[name] = TagReference(name, r.source, reference=r.reference)
    for tag, items in history.items():
        s.status_tags[tag] = NamedTagEventList(tag, [TagEvent(0.0, d, i) for d, i in items])
    return s


@pytest.mark.parametrize("case", sorted(CHANGED_CASES))
def test_tags_changed(case):
    c = CHANGED_CASES[case]
    stream = _stream(c["tags"], c["history"])
    previous = _stream(c["previous"], c["history"]) if "previous" in c else None
    other = _stream({}, c["other"]) if "other" in c else None
    errors = tags_changed(
        stream, previous, lambda ns, name: other, now=1.0, internal_registry="registry:5000"
    )
    assert errors == []
    for tag, expected in c["expected"].items():
        assert [
            (e.docker_image_reference, e.image) for e in stream.status_tags[tag].items
        ] == expected, tag


def test_tags_changed_names_a_missing_source_stream_and_an_unknown_image():
    stream = _stream({"t1": istag("gone:latest"), "t2": isimage("stream@sha256:ff")}, {})
    errors = tags_changed(
        stream, None, lambda ns, name: None, now=0.0, internal_registry="registry:5000"
    )
    assert errors == [
        ("spec.tags[t1].from.name", 'Not found: "gone:latest"'),
        (
            "spec.tags[t2].from.name",
            'Invalid value: "stream@sha256:ff": error generating tag '
            'event: imagestreamimage.image.openshift.io "sha256:ff" not found',
        ),
    ]


def test_update_changed_tracking_tags_only_follows_changed_status():
    old = _stream({"latest": istag("2.0")}, {"2.0": [ev("r@a", "a")]})
    new = old.copy()
    assert update_changed_tracking_tags(new, old) == 0
    new.status_tags["2.0"].items = [TagEvent(1.0, "r@b", "b"), *new.status_tags["2.0"].items]
    assert update_changed_tracking_tags(new, old) == 1
    assert new.status_tags["latest"].items[0].image == "b"


# --- PrepareForCreate / prepareForUpdate ----------------------------------------------------
def test_prepare_for_create_sets_generation_one_and_clears_status():
    s = _stream({"1": docker("r:1")}, {"1": [ev("r@a", "a")]})
    s.generation, s.spec_tags["1"].generation = 7, 5
    prepare_for_create(s)
    assert (s.generation, s.spec_tags["1"].generation, s.status_tags) == (1, 1, {})


generations = st.none() | st.integers(0, 6)


@given(
    old_gen=st.integers(1, 5),
    old_tag=st.integers(1, 5),
    new_tag=generations,
    new_source=st.sampled_from(["r:1", "r:2"]),
    add=st.booleans(),
)
def test_prepare_for_update_generation_rules(old_gen, old_tag, new_tag, new_source, add):
    """A user-set tag generation other than 0 is replaced by the old one; a spec change
    bumps the stream generation by one; a new, changed or reset tag gets the stream's."""
    old = ImageStream("ns", "s", generation=old_gen)
    old.spec_tags["1"] = TagReference(
        "1", ObjectReference("DockerImage", "r:1"), generation=old_tag
    )
    new = old.copy()
    new.spec_tags["1"] = TagReference(
        "1", ObjectReference("DockerImage", new_source), generation=new_tag
    )
    if add:
        new.spec_tags["2"] = TagReference("2", ObjectReference("DockerImage", "r:9"))
    prepare_for_update(new, old)
    changed = new_source != "r:1" or new_tag == 0 or add
    assert new.generation == old_gen + (1 if changed else 0)
    if new_source != "r:1" or new_tag == 0:
        assert new.spec_tags["1"].generation == new.generation
    else:
        assert new.spec_tags["1"].generation == old_tag
    if add:
        assert new.spec_tags["2"].generation == new.generation
