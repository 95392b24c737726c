"""simkit.rules.import_selection against openshift-controller-manager's test tables.

Restated from openshift-controller-manager (commit 26d20feae8892f648f5b06ed3f5492fe6ffb4532):
``pkg/image/controller/imagestream_controller_test.go`` ``TestHandleImageStream`` (which
tags go into the ImageStreamImport request; rows that need ``spec.dockerImageRepository``
have no counterpart, simkit has no such field) and
``pkg/image/controller/scheduled_image_controller_test.go`` ``TestSchedulingChecks``
(``needsScheduling`` and ``resetScheduledTags``), plus hypothesis properties: the import
request only holds importable tags, and a reset bumps exactly the scheduled tags.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simkit.rules.import_selection import (
    needs_import,
    reset_scheduled_tags,
    scheduled_tags,
    tags_to_import,
)
from simkit.state.images import (
    DOCKER_REPOSITORY_CHECK_ANNOTATION,
    ImageStream,
    NamedTagEventList,
    ObjectReference,
    TagEvent,
    TagEventCondition,
    TagReference,
)

SHA = "abc@sha256:3c87c572822935df60f0f5d3665bd376841a7fcfeb806b5f212de6a00e9a7b25"


def stream(
    *refs: TagReference, checked: bool = False, status: dict[str, NamedTagEventList] | None = None
) -> ImageStream:
    s = ImageStream("other", "test")
    if checked:
        s.annotations[DOCKER_REPOSITORY_CHECK_ANNOTATION] = "2026-01-01T00:00:00Z"
    for ref in refs:
        s.spec_tags[ref.name] = ref
    s.status_tags.update(status or {})
    return s


def docker(name: str, source: str, generation: int | None = None, **kw) -> TagReference:
    return TagReference(name, ObjectReference("DockerImage", source), generation=generation, **kw)


def history(tag: str, *generations: int, failed_at: int | None = None) -> NamedTagEventList:
    conditions = (
        [TagEventCondition("ImportSuccess", "False", 0.0, generation=failed_at)]
        if failed_at is not None
        else []
    )
    return NamedTagEventList(tag, [TagEvent(0.0, "", "", g) for g in generations], conditions)


# --- TestHandleImageStream -----------------------------------------------------------------
HANDLE_CASES = {
    "checked, no tags": (stream(checked=True), []),
    "references are ignored": (stream(docker("latest", "test/other:latest", reference=True)), []),
    "a reference of another kind is ignored": (
        stream(
            TagReference(
                "latest", ObjectReference("AnotherImage", "test/other:latest"), reference=True
            )
        ),
        [],
    ),
    "spec tag will be imported": (stream(docker("latest", "test/other:latest")), ["latest"]),
    "spec tag with generation with no pending status will be imported": (
        stream(docker("latest", "test/other:latest", 2)),
        ["latest"],
    ),
    "spec tag with generation with older status generation will be imported": (
        stream(
            docker("v1", "test/other:v1", 1),
            docker("latest", "test/other:latest", 2),
            status={"v1": history("v1", 1), "latest": history("latest", 1)},
        ),
        ["latest"],
    ),
    "status condition error and equal generation will not be imported": (
        stream(
            docker("latest", "test/other:latest", 2),
            checked=True,
            status={"latest": history("latest", failed_at=2)},
        ),
        [],
    ),
    "status condition error and older generation will be imported": (
        stream(
            docker("latest", "test/other:latest", 2),
            checked=True,
            status={"latest": history("latest", failed_at=1)},
        ),
        ["latest"],
    ),
    "checked, older status generation will be imported": (
        stream(
            docker("latest", "test/other:latest", 2),
            checked=True,
            status={"latest": history("latest", 1)},
        ),
        ["latest"],
    ),
    "test external repo": (stream(docker("1.1", "some/repo:mytag")), ["1.1"]),
    "current status generation will be ignored": (
        stream(
            docker("latest", "test/other:latest", 2),
            checked=True,
            status={"latest": history("latest", 2)},
        ),
        [],
    ),
}


@pytest.mark.parametrize("case", sorted(HANDLE_CASES))
def test_handle_image_stream(case):
    s, expected = HANDLE_CASES[case]
    assert tags_to_import(s) == expected
    assert needs_import(s) == ((True, True) if expected else (False, False))


# --- TestSchedulingChecks ------------------------------------------------------------------
SCHED_CASES = {
    "none scheduled": (
        [docker("default", "mysql:latest", 1)],
        {"default": history("default", 1)},
        [],
    ),
    "sha ref that failed will import": (
        [docker("default1", SHA, 1, scheduled=True)],
        {"default1": history("default1", failed_at=1)},
        ["default1"],
    ),
    "sha ref not imported": (
        [docker("default1", SHA, 1, scheduled=True), docker("default2", SHA, 1, scheduled=True)],
        {"default1": history("default1", 1)},
        ["default2"],
    ),
    "sha ref imported": (
        [docker("default", SHA, 1, scheduled=True)],
        {"default": history("default", 1)},
        [],
    ),
    "standard docker image ref with tag": (
        [docker("default", "mysql:latest", 1, scheduled=True)],
        {"default": history("default", 1)},
        ["default"],
    ),
}


@pytest.mark.parametrize("case", sorted(SCHED_CASES))
def test_scheduling_checks(case):
    refs, status, bumped = SCHED_CASES[case]
    s = stream(*refs, checked=True, status=status)
    assert scheduled_tags(s) == bumped  # needsScheduling is "this is not empty"
    reset_scheduled_tags(s)
    assert {t: r.generation for t, r in s.spec_tags.items()} == {
        r.name: (s.generation + 1 if r.name in bumped else 1) for r in refs
    }


def test_an_unparseable_scheduled_source_is_skipped():
    s = stream(docker("bad", "Not A Reference!", 1, scheduled=True), checked=True)
    assert scheduled_tags(s) == []


# --- properties ----------------------------------------------------------------------------
tag_refs = st.builds(
    docker,
    name=st.sampled_from(["a", "b", "c", "d"]),
    source=st.sampled_from(["quay.io/x/y:1", SHA, "mysql"]),
    generation=st.none() | st.integers(1, 3),
    reference=st.booleans(),
    scheduled=st.booleans(),
)


@given(
    st.lists(tag_refs, max_size=4, unique_by=lambda r: r.name),
    st.booleans(),
    st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), st.integers(1, 3)),
)
def test_import_request_and_reset_invariants(refs, checked, observed):
    s = stream(*refs, checked=checked, status={t: history(t, g) for t, g in observed.items()})
    chosen = tags_to_import(s)
    assert all(s.spec_tags[t].importable() for t in chosen)
    assert chosen == [t for t in s.spec_tags if t in chosen]  # spec order
    scheduled = scheduled_tags(s)
    assert all(s.spec_tags[t].scheduled and not s.spec_tags[t].reference for t in scheduled)
    before = {t: r.generation for t, r in s.spec_tags.items()}
    reset_scheduled_tags(s)
    after = {t: r.generation for t, r in s.spec_tags.items()}
    assert {t for t in after if after[t] != before[t]} <= set(scheduled)
    assert all(after[t] == s.generation + 1 for t in scheduled)
