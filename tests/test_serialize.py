"""ImageStream objects in the real ``image.openshift.io/v1`` shape, and back.

Field names and ``omitempty`` come from openshift/api ``image/v1/types.go``; the shape is
checked against the openshift/library image streams in ``shared/data/openshift-library``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

import simkit as sk
from simkit.apiserver.imagestreams import create_stream
from simkit.manifests.api import to_api
from simkit.manifests.images import image_stream_from_dict, image_stream_to_dict
from simkit.oc.output import to_json, to_yaml

LIBRARY = Path(__file__).resolve().parents[1] / "data" / "openshift-library"
RUBY = LIBRARY / "community/ruby/imagestreams/ruby-centos.json"


@pytest.fixture
def sim():
    sim = sk.Simulation(seed=5)
    sim.oc("new-project demo")
    quay = sim.registry("quay.io")
    quay.push("ns/app", "1.0")
    quay.push("ns/app", "latest")
    sim.oc("tag quay.io/ns/app:1.0 app:1.0")
    sim.oc("tag --scheduled --insecure quay.io/ns/app:latest app:latest --reference-policy=local")
    sim.oc("tag --reference quay.io/ns/app:1.0 app:ref")
    sim.oc("tag quay.io/ns/nothing:1 app:broken")
    sim.advance("1m")
    sim.oc("tag app:latest app:prod --alias")
    sim.oc("tag app:1.0 other:copy")
    sim.advance("1m")
    return sim


def test_round_trip_gives_the_same_stream(sim):
    stream = sim.stream("demo", "app")
    obj = image_stream_to_dict(stream, sim)
    back = image_stream_from_dict(obj, "elsewhere", start=sim.start)
    assert back == stream
    assert image_stream_to_dict(back, sim) == obj
    # through the text forms as well
    assert image_stream_from_dict(yaml.safe_load(to_yaml(obj)), start=sim.start) == stream
    assert image_stream_from_dict(json.loads(to_json(obj)), start=sim.start) == stream


def test_shape_and_omitempty(sim):
    obj = image_stream_to_dict(sim.stream("demo", "app"), sim)
    assert list(obj) == ["kind", "apiVersion", "metadata", "spec", "status"]
    assert obj["apiVersion"] == "image.openshift.io/v1" and obj["kind"] == "ImageStream"
    assert obj["metadata"]["creationTimestamp"] == "2026-01-01T00:00:00Z"
    assert set(obj["metadata"]) == {
        "name",
        "namespace",
        "generation",
        "creationTimestamp",
        "annotations",
    }  # no labels: omitempty
    tags = {t["name"]: t for t in obj["spec"]["tags"]}
    assert [t["name"] for t in obj["spec"]["tags"]] == sorted(tags)  # v1 lists are sorted
    status = {t["tag"]: t for t in obj["status"]["tags"]}
    assert tags["1.0"] == {
        "name": "1.0",
        "annotations": None,
        "from": {"kind": "DockerImage", "name": "quay.io/ns/app:1.0"},
        "generation": status["1.0"]["items"][0]["generation"],
        "importPolicy": {"importMode": "Legacy"},
        "referencePolicy": {"type": "Source"},
    }
    assert tags["latest"]["importPolicy"] == {
        "insecure": True,
        "scheduled": True,
        "importMode": "Legacy",
    }
    assert tags["latest"]["referencePolicy"] == {"type": "Local"}
    assert tags["ref"]["reference"] is True and "reference" not in tags["1.0"]
    assert tags["prod"]["from"] == {"kind": "ImageStreamTag", "name": "app:latest"}
    assert obj["status"]["dockerImageRepository"] == (
        "image-registry.openshift-image-registry.svc:5000/demo/app"
    )
    assert "publicDockerImageRepository" not in obj["status"]
    item = status["1.0"]["items"][0]
    assert list(item) == ["created", "dockerImageReference", "image", "generation"]
    assert item["created"] == "2026-01-01T00:00:01Z"
    assert status["ref"]["items"][0]["image"] == ""
    assert "conditions" not in status["1.0"]
    assert status["broken"]["items"] is None  # items has no omitempty: null
    condition = status["broken"]["conditions"][0]
    assert list(condition) == [
        "type",
        "status",
        "lastTransitionTime",
        "reason",
        "message",
        "generation",
    ]
    assert condition["type"] == "ImportSuccess" and condition["status"] == "False"


def test_cross_namespace_source_keeps_its_namespace(sim):
    sim.oc("new-project other")
    sim.oc("tag demo/app:1.0 copy:1.0 --alias=false")
    obj = image_stream_to_dict(sim.stream("other", "copy"), sim)
    assert obj["spec"]["tags"][0]["from"]["namespace"] == "demo"
    assert list(obj["spec"]["tags"][0]["from"]) == ["kind", "namespace", "name"]


def test_keys_match_a_real_library_image_stream(sim):
    library = json.loads(RUBY.read_text())
    stream = image_stream_from_dict(library, "openshift", sim.now, start=sim.start)
    with sim.transaction() as tx:
        create_stream(tx, stream, sim.now)
    ours = image_stream_to_dict(sim.stream("openshift", "ruby"), sim)
    assert list(ours) == list(library)
    assert set(library["metadata"]) <= set(ours["metadata"])
    assert list(ours["spec"]) == list(library["spec"])
    for mine, theirs in zip(
        ours["spec"]["tags"], sorted(library["spec"]["tags"], key=lambda t: t["name"]), strict=True
    ):
        assert list(mine) == list(theirs)
        assert mine["annotations"] == theirs["annotations"]
        assert mine["from"] == theirs["from"]
        assert mine["referencePolicy"] == theirs["referencePolicy"]
        assert mine["importPolicy"] == {"importMode": "Legacy"}  # defaulted by the server
        assert mine["generation"] == 1  # set at create
    assert list(ours["status"]) == list(library["status"])


def test_every_library_image_stream_reads():
    files = sorted(LIBRARY.rglob("*.json"))
    assert len(files) > 100
    for path in files:
        stream = image_stream_from_dict(json.loads(path.read_text()), "openshift")
        assert stream.spec_tags, path


def test_oc_get_yaml_and_json_print_the_object_with_sorted_keys(sim):
    text = sim.oc("get is app -o yaml")
    assert yaml.safe_load(text) == to_api(sim.stream("demo", "app"), sim)
    assert set(to_api(sim.stream("demo", "app"), sim)["metadata"]) == {
        *image_stream_to_dict(sim.stream("demo", "app"), sim)["metadata"],
        "uid",
        "resourceVersion",
    }
    lines = text.splitlines()
    assert lines[:4] == [
        "apiVersion: image.openshift.io/v1",
        "kind: ImageStream",
        "metadata:",
        "  annotations:",
    ]
    assert '  creationTimestamp: "2026-01-01T00:00:00Z"' in lines
    assert '    name: "1.0"' in lines  # would read back as a float: double-quoted
    assert "  - annotations: null" in lines
    assert '      image: ""' in lines  # the reference tag's event
    assert "    items: null" in lines
    assert '      status: "False"' in lines
    as_json = sim.oc("get is app -o json")
    assert json.loads(as_json) == yaml.safe_load(text)
    assert as_json.startswith('{\n    "apiVersion": "image.openshift.io/v1",\n    "kind"')


def test_oc_get_yaml_of_a_listing_is_a_v1_list(sim):
    listing = yaml.safe_load(sim.oc("get is -o yaml"))
    assert listing["kind"] == "List" and listing["apiVersion"] == "v1"
    assert listing["metadata"] == {"resourceVersion": ""}
    assert [item["metadata"]["name"] for item in listing["items"]] == ["app", "other"]
    assert yaml.safe_load(sim.oc("get is -o yaml -n default"))["items"] == []
    assert sim.oc("get is -o name") == (
        "imagestream.image.openshift.io/app\nimagestream.image.openshift.io/other\n"
    )


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"kind": "Pod"}, "kind: expected 'ImageStream', got 'Pod'"),
        ({"apiVersion": "apps/v1"}, "apiVersion: expected 'image.openshift.io/v1'"),
        ({"metadata": {}}, "metadata.name: required"),
        (
            {"metadata": {"name": "x", "annotations": {"a": 1}}},
            "metadata.annotations.a: expected a string, got number 1",
        ),
        (
            {"spec": {"tags": [{"name": "a", "generation": True}]}},
            "spec.tags[0].generation: expected an integer, got boolean true",
        ),
        (
            {"spec": {"tags": [{"name": "a", "referncePolicy": {}}]}},
            "spec.tags[0]: unknown field 'referncePolicy'",
        ),
        (
            {"spec": {"tags": [{"name": "a"}, {"name": "a"}]}},
            "spec.tags[1].name: duplicate tag 'a'",
        ),
        ({"spec": {"tags": {"name": "a"}}}, "spec.tags: expected a list, got an object"),
        (
            {"status": {"tags": [{"tag": "a", "items": [{"created": "yesterday"}]}]}},
            "status.tags[0].items[0].created: 'yesterday' is not an RFC 3339 time",
        ),
    ],
)
def test_bad_shapes_name_the_field(change, message):
    obj = {
        "kind": "ImageStream",
        "apiVersion": "image.openshift.io/v1",
        "metadata": {"name": "x"},
        "spec": {},
    }
    obj.update(change)
    with pytest.raises(ValueError) as err:
        image_stream_from_dict(obj)
    assert str(err.value).startswith(message)


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        # openshift-apiserver pkg/image/apis/image/validation/validation.go,
        # ValidateImageStreamTagReference: field.Required(from.kind, ...) for an unknown kind,
        # field.Invalid(referencePolicy.type, ...) for a policy other than Source or Local;
        # ValidateImportPolicy for an unknown import mode
        (
            {"name": "a", "from": {"kind": "Docker", "name": "x"}},
            "spec.tags[a].from.kind: Required value: valid values are 'DockerImage', "
            "'ImageStreamImage', 'ImageStreamTag'",
        ),
        (
            {"name": "a", "referencePolicy": {"type": "Remote"}},
            'spec.tags[a].referencePolicy.type: Invalid value: "Remote": valid values are '
            '"Source", "Local"',
        ),
        (
            {"name": "a", "importPolicy": {"importMode": "Fast"}},
            'spec.tags[a].importPolicy.importMode: Invalid value: "Fast": invalid import mode',
        ),
    ],
)
def test_values_the_api_server_validates_are_read_and_refused_by_validation(tag, message):
    """The reader decodes what Go's decoder accepts; validation refuses it on create."""
    from simkit.apiserver.errors import Invalid
    from simkit.apiserver.validation import validate_image_stream

    obj = {
        "kind": "ImageStream",
        "apiVersion": "image.openshift.io/v1",
        "metadata": {"name": "x"},
        "spec": {"tags": [tag]},
    }
    stream = image_stream_from_dict(obj)
    errors = [str(e) for e in validate_image_stream(stream)]
    assert len(errors) == 1 and errors[0].startswith(message), errors
    sim = sk.Simulation()
    with (
        pytest.raises(Invalid, match=r'ImageStream.image.openshift.io "x" is invalid: '),
        sim.transaction() as tx,
    ):
        create_stream(tx, stream, sim.now)
    assert sim.stream("default", "x") is None


def test_defaults_when_reading_a_minimal_manifest():
    stream = image_stream_from_dict(
        {
            "kind": "ImageStream",
            "apiVersion": "image.openshift.io/v1",
            "metadata": {"name": "ruby", "namespace": "team"},
            "spec": {
                "tags": [
                    {
                        "name": "3.3",
                        "from": {"kind": "DockerImage", "name": "r:3.3"},
                        "referencePolicy": {"type": ""},
                    }
                ]
            },
        },
        namespace="default",
        now=42.0,
    )
    assert stream.key == ("team", "ruby") and stream.created == 42.0
    tag = stream.spec_tags["3.3"]
    assert (tag.reference_policy, tag.import_mode, tag.generation, tag.annotations) == (
        "Source",
        "Legacy",
        None,
        None,
    )
