"""simkit.rules.triggers against upstream's trigger test tables.

Restated from library-go ``pkg/image/trigger/annotations_test.go``
(commit 93ac9206ae34e602d6acf346826e3e99c22b1787): ``TestAnnotationJSONPath`` and the
rows of ``TestAnnotationsReactor`` (through ``parse_trigger_annotation`` and
``deployment_image``; ``CalculateAnnotationTriggers`` refuses duplicate field paths), and
from openshift-controller-manager
``pkg/image/trigger/deploymentconfigs/deploymentconfigs_test.go``
(commit 26d20feae8892f648f5b06ed3f5492fe6ffb4532) ``TestDeploymentConfigReactor``
(through ``deployment_config_image``, ``UpdateDeploymentConfigImages``).  simkit's
workloads have one container, so the multi-container rows are restated on that one.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simkit.rules.triggers import (
    deployment_config_image,
    deployment_image,
    has_last_triggered_image,
    parse_trigger_annotation,
    trigger_annotation,
)
from simkit.state.workloads import ImageTrigger

BY_NAME = 'spec.template.spec.containers[?(@.name=="test")].image'


def annotation(*entries: dict) -> str:
    return json.dumps(list(entries))


def entry(path: str = BY_NAME, name: str = "stream-1:1", namespace: str = "other", **extra) -> dict:
    return {
        "from": {"kind": "ImageStreamTag", "name": name, "namespace": namespace},
        "fieldPath": path,
        **extra,
    }


def resolver(tags: dict[tuple[str, str], str]):
    """``fakeTagRetriever``: (namespace, "stream:tag") -> reference."""
    return lambda namespace, stream, tag: tags.get((namespace, f"{stream}:{tag}"))


TAGS = {("other", "stream-1:1"): "image-lookup-1"}


# --- TestAnnotationJSONPath / field paths (TestAnnotationsReactor's error rows) --------------
def test_annotation_json_path_by_name():
    [trigger] = parse_trigger_annotation(annotation(entry()), "default", ["test"])
    assert (trigger.stream_tag, trigger.namespace, trigger.container, trigger.paused) == (
        "stream-1:1",
        "other",
        "test",
        False,
    )


@pytest.mark.parametrize("path", [
    'spec.template.spec.containers[?(@.name=="test")]',       # no .image
    'spec.template.spec.containers[?(@.name=="test").image',  # unclosed selector
    "spec.template.spec.containers[@.name=test].image",       # not a name selector
])  # fmt: skip
def test_wrong_field_paths_are_refused(path):
    with pytest.raises(ValueError, match=r"triggers\[0\]\.fieldPath"):
        parse_trigger_annotation(annotation(entry(path)), "default", ["test"])


@pytest.mark.parametrize(("path", "container"), [
    ("spec.template.spec.containers[0].image", "web"),
    ("spec.template.spec.containers[1].image", "sidecar"),
    ('spec.template.spec.initContainers[?(@.name=="init")].image', "init"),
    ('spec.jobTemplate.spec.template.spec.containers[?(@.name=="job")].image', "job"),
])  # fmt: skip
def test_index_and_name_selectors(path, container):
    [trigger] = parse_trigger_annotation(annotation(entry(path)), "default", ["web", "sidecar"])
    assert trigger.container == container


def test_index_beyond_the_containers_is_refused():
    with pytest.raises(ValueError, match="no container at index 2"):
        parse_trigger_annotation(
            annotation(entry("spec.template.spec.containers[2].image")),
            "default",
            ["web", "sidecar"],
        )


@pytest.mark.xfail(
    strict=True,
    reason="simkit accepts a container name that the workload "
    "does not have; upstream's reactor fails with 'no such container' (row "
    "'no container, expect error')",
)
def test_no_container_is_an_error():
    with pytest.raises(ValueError, match="no such container"):
        parse_trigger_annotation(annotation(entry()), "default", [])


def test_duplicate_field_paths_are_not_allowed():
    """``CalculateAnnotationTriggers``: "duplicate triggers are not allowed"."""
    with pytest.raises(ValueError, match="duplicate fieldPath"):
        parse_trigger_annotation(annotation(entry(), entry(name="stream-2:1")), "default", ["test"])


@pytest.mark.parametrize(("value", "problem"), [
    ("[{", "not valid JSON"),
    ('{"from": {}}', "must be a JSON array"),
    ('[{"fieldPath": "x"}]', "must be an object with a 'from'"),
    (annotation({"from": {"kind": "DockerImage", "name": "a"}, "fieldPath": BY_NAME}),
     "only ImageStreamTag"),
])  # fmt: skip
def test_bad_annotations_name_the_problem(value, problem):
    with pytest.raises(ValueError, match=problem):
        parse_trigger_annotation(value, "default", ["test"])


def test_namespace_defaults_to_the_objects():
    [trigger] = parse_trigger_annotation(annotation(entry(namespace="")), "default", ["test"])
    assert trigger.namespace == "default"


@pytest.mark.xfail(
    strict=True,
    reason='"paused" is a bool in ObjectFieldTrigger: Go\'s '
    'json.Unmarshal refuses the string "false"; simkit reads it as paused',
)
def test_paused_must_be_a_json_bool():
    with pytest.raises(ValueError, match="paused"):
        parse_trigger_annotation(annotation(entry(paused="false")), "default", ["test"])


names = st.text(alphabet="abcxyz09-", min_size=1, max_size=8)


@given(
    st.lists(st.tuples(names, names, names, st.booleans()), max_size=4, unique_by=lambda t: t[2])
)
def test_trigger_annotation_round_trips(rows):
    triggers = [
        ImageTrigger(f"{stream}:{tag}", "ns", container, paused=paused)
        for stream, tag, container, paused in rows
    ]
    parsed = parse_trigger_annotation(
        trigger_annotation(triggers), "elsewhere", [t.container for t in triggers]
    )
    assert parsed == triggers


# --- TestAnnotationsReactor: which image the container gets ---------------------------------
@pytest.mark.parametrize(("case", "triggers", "tags", "current", "expected"), [
    ("no ref, no change", [ImageTrigger("stream-1:1", "other", "test")], {}, "", ""),
    ("resolved without a change in another namespace",
     [ImageTrigger("stream-1:1", "other", "test")], TAGS, "", "image-lookup-1"),
    ("will not resolve if paused",
     [ImageTrigger("stream-1:1", "other", "test", paused=True)], TAGS, "", ""),
    ("will fire if only one trigger resolves",
     [ImageTrigger("stream-2:1", "other", "test"), ImageTrigger("stream-1:1", "other", "test")],
     TAGS, "old-image", "image-lookup-1"),
    ("an unresolved trigger keeps what an earlier one set",
     [ImageTrigger("stream-1:1", "other", "test"), ImageTrigger("stream-2:1", "other", "test")],
     TAGS, "old-image", "image-lookup-1"),
    ("a tag-less name means latest",
     [ImageTrigger("stream-1", "other", "test")], {("other", "stream-1:latest"): "l"}, "", "l"),
])  # fmt: skip
def test_deployment_image(case, triggers, tags, current, expected):
    assert deployment_image(triggers, current, resolver(tags)) == expected


# --- TestDeploymentConfigReactor -----------------------------------------------------------
def dc(name: str, last: str = "", automatic: bool = True) -> ImageTrigger:
    return ImageTrigger(name, "other", "test", automatic=automatic, last_triggered_image=last)


@pytest.mark.parametrize(("case", "triggers", "tags", "image", "resolvable", "lasts"), [
    ("no container, last expected changed", [dc("stream-1:1")], TAGS,
     "image-lookup-1", True, ["image-lookup-1"]),
    ("no container, second run", [dc("stream-1:1", "image-lookup-1")],
     {("other", "stream-1:1"): "image-lookup-2"}, "image-lookup-2", True, ["image-lookup-2"]),
    ("no ref, no change", [dc("stream-1:1")], {}, "", False, [""]),
    ("will not resolve if not automatic", [dc("stream-1:1", automatic=False)], TAGS,
     "", True, [""]),
    ("will not fire if both triggers aren't resolved", [dc("stream-1:1"), dc("stream-2:1")],
     TAGS, "image-lookup-1", False, ["image-lookup-1", ""]),
    ("will fire if a trigger has already been resolved before",
     [dc("stream-1:1"), dc("stream-2:1", "old-image")], TAGS,
     "image-lookup-1", True, ["image-lookup-1", "old-image"]),
    ("will fire if the same trigger has already been resolved before",
     [dc("stream-1:1", "old-image"), dc("stream-2:1", "image-lookup-1")],
     {("other", "stream-2:1"): "image-lookup-2"}, "image-lookup-2", True,
     ["old-image", "image-lookup-2"]),
    ("will not fire the image can't be resolved", [dc("stream-1:1")],
     {("other", "stream-2:1"): "image-lookup-2"}, "", False, [""]),
])  # fmt: skip
def test_deployment_config_image(case, triggers, tags, image, resolvable, lasts):
    assert deployment_config_image(triggers, "", resolver(tags)) == (image, resolvable)
    assert [t.last_triggered_image for t in triggers] == lasts


def test_has_last_triggered_image():
    assert has_last_triggered_image([dc("a", "x"), dc("b", "y")]) is True
    assert has_last_triggered_image([dc("a", "x"), dc("b")]) is False
    assert has_last_triggered_image([]) is True
