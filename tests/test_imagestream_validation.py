"""Image stream, image stream tag and import validation, restated from openshift-apiserver.

Upstream: openshift/openshift-apiserver @56aa2d96edd725e44ddd7ff13f23e53e6c509828.

- ``pkg/image/apis/image/validation/validation_test.go``
  - ``TestValidateImageStream``: all 21 cases, exact error lists.
  - ``TestValidateISTUpdate``: the success case and the 4 error cases (type and field).
  - ``TestValidateImageStreamImport``: the 12 cases upstream's loop runs (the 7 entries
    without an ``isi`` are skipped by ``if test.isi == nil { continue }`` and restate
    nothing).
- ``pkg/image/apiserver/registry/imagestreamtag/rest_test.go``
  - ``TestDeleteImageStreamTag``: all 4 cases.
  - ``TestUpdateImageStreamTag``: "valid istag" and "invalid tag" (the other three stage
    storage errors or send no tag, which simkit's ``set_tag`` cannot express).

Then the wiring: the messages ``oc`` shows (``ImageStream.image.openshift.io "x" is
invalid: ...``), the ``[]: Internal error`` wrapping of ``tagsChanged`` errors
(``registry/imagestream/strategy.go`` ``validateTagsAndLimits``), that a refused
request changes nothing, and hypothesis properties for the name rules.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import simkit as sk
from simkit.apiserver.errors import BadRequest, Invalid, NotFound
from simkit.apiserver.field_errors import FieldError, aggregate, internal, invalid, required
from simkit.apiserver.imagestreams import delete_tag, set_tag
from simkit.apiserver.validation import (
    ImageImportSpec,
    ImageStreamTagObject,
    validate_image_stream,
    validate_image_stream_import,
    validate_image_stream_name,
    validate_image_stream_tag_update,
    validate_namespace_name,
)
from simkit.state.cluster import Cluster
from simkit.state.images import (
    ImageStream,
    NamedTagEventList,
    ObjectReference,
    TagEvent,
    TagReference,
)

NS63 = "a" * 63
NAME191 = "b" * 191
NAME192 = "x" + NAME191
NAME_RE_MSG = 'must match "[a-z0-9]+(?:[._-][a-z0-9]+)*"'
DNS_LABEL_MSG = (
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
    "and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', "
    "regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"
)
MISSING_NAME = required("metadata.name", "name or generateName is required")
IMPORT_MODE_MSG = "invalid import mode, valid modes are '', 'Legacy', 'PreserveOriginal'"
SCHEDULED_MSG = "only tags pointing to Docker repositories may be scheduled for background import"
DIGEST = "sha256:3c87c572822935df60f0f5d3665bd376841a7fcfeb806b5f212de6a00e9a7b25"


def ref(kind, name, *, policy="Source", scheduled=False, mode="Legacy", tag=""):
    return TagReference(
        tag,
        ObjectReference(kind, name),
        scheduled=scheduled,
        import_mode=mode,
        reference_policy=policy,
    )


def history(*refs):
    return NamedTagEventList("", [TagEvent(0.0, r, "") for r in refs])


# -- TestValidateImageStream ------------------------------------------------------------
STREAM_CASES = {
    "missing name": dict(namespace="foo", name="", expected=[MISSING_NAME]),
    "no slash in Name": dict(
        namespace="foo",
        name="foo/bar",
        expected=[invalid("metadata.name", "foo/bar", "may not contain '/'")],
    ),
    "no percent in Name": dict(
        namespace="foo",
        name="foo%%bar",
        expected=[invalid("metadata.name", "foo%%bar", "may not contain '%'")],
    ),
    "other invalid name": dict(
        namespace="foo", name="foo bar", expected=[invalid("metadata.name", "foo bar", NAME_RE_MSG)]
    ),
    "missing namespace": dict(namespace="", name="foo", expected=[required("metadata.namespace")]),
    "invalid namespace": dict(
        namespace="!$", name="foo", expected=[invalid("metadata.namespace", "!$", DNS_LABEL_MSG)]
    ),
    "invalid dockerImageRepository": dict(
        namespace="namespace",
        name="foo",
        repository="a-|///bbb",
        expected=[invalid("spec.dockerImageRepository", "a-|///bbb", "invalid reference format")],
    ),
    "invalid dockerImageRepository with tag": dict(
        namespace="namespace",
        name="foo",
        repository="a/b:tag",
        expected=[
            invalid(
                "spec.dockerImageRepository", "a/b:tag", "the repository name may not contain a tag"
            )
        ],
    ),
    "invalid dockerImageRepository with ID": dict(
        namespace="namespace",
        name="foo",
        repository="a/b@sha256:something",
        expected=[
            invalid(
                "spec.dockerImageRepository", "a/b@sha256:something", "invalid reference format"
            )
        ],
    ),
    "status tag missing dockerImageReference": dict(
        namespace="namespace",
        name="foo",
        status={"tag": history("", "foo/bar:latest", "")},
        expected=[
            required("status.tags[tag].items[0].dockerImageReference"),
            required("status.tags[tag].items[2].dockerImageReference"),
        ],
    ),
    "referencePolicy.type must be valid": dict(
        namespace="namespace",
        name="foo",
        spec={"tag": ref("DockerImage", "abc", policy="Other")},
        expected=[
            invalid(
                "spec.tags[tag].referencePolicy.type", "Other", 'valid values are "Source", "Local"'
            )
        ],
    ),
    "ImageStreamTags can't be scheduled": dict(
        namespace="namespace",
        name="foo",
        spec={
            "tag": ref("DockerImage", "abc", scheduled=True),
            "other": ref("ImageStreamTag", "other:latest", scheduled=True),
        },
        expected=[invalid("spec.tags[other].importPolicy.scheduled", True, SCHEDULED_MSG)],
    ),
    "image IDs can't be scheduled": dict(
        namespace="namespace",
        name="foo",
        spec={"badid": ref("DockerImage", "abc@badid", scheduled=True)},
        expected=[invalid("spec.tags[badid].from.name", "abc@badid", "invalid reference format")],
    ),
    "ImageStreamImages can't be scheduled": dict(
        namespace="namespace",
        name="foo",
        spec={"otherimage": ref("ImageStreamImage", "other@latest", scheduled=True)},
        expected=[invalid("spec.tags[otherimage].importPolicy.scheduled", True, SCHEDULED_MSG)],
    ),
    "valid": dict(
        namespace="namespace",
        name="foo",
        spec={"tag": ref("DockerImage", "abc"), "other": ref("ImageStreamTag", "other:latest")},
        status={"tag": history("foo/bar:latest")},
        expected=[],
    ),
    "shortest name components": dict(namespace="f", name="g", expected=[]),
    "all possible characters used": dict(
        namespace="abcdefghijklmnopqrstuvwxyz-1234567890",
        name="abcdefghijklmnopqrstuvwxyz-1234567890.dot_underscore-dash",
        expected=[],
    ),
    "max name and namespace length met": dict(namespace=NS63, name=NAME191, expected=[]),
    "max name and namespace length exceeded": dict(
        namespace=NS63,
        name=NAME192,
        expected=[
            invalid(
                "metadata.name", NAME192, "'namespace/name' cannot be longer than 255 characters"
            )
        ],
    ),
    "valid importMode": dict(
        namespace="namespace",
        name="foo",
        spec={"tag": ref("DockerImage", "abc", mode="PreserveOriginal")},
        expected=[],
    ),
    "invalid importMode": dict(
        namespace="namespace",
        name="foo",
        spec={"tag": ref("DockerImage", "abc", mode="Invalid")},
        expected=[invalid("spec.tags[tag].importPolicy.importMode", "Invalid", IMPORT_MODE_MSG)],
    ),
}


@pytest.mark.parametrize("case", STREAM_CASES, ids=list(STREAM_CASES))
def test_validate_image_stream(case):
    """validation_test.go ``TestValidateImageStream``: the exact error list."""
    c = STREAM_CASES[case]
    stream = ImageStream(c["namespace"], c["name"])
    stream.spec_tags = dict(c.get("spec", {}))
    stream.status_tags = dict(c.get("status", {}))
    errors = validate_image_stream(stream, c.get("repository", ""))
    assert errors == c["expected"]


def test_stream_table_size():
    assert len(STREAM_CASES) == 21


# -- TestValidateISTUpdate --------------------------------------------------------------
IST_OLD = ImageStreamTagObject(
    "default", "foo:bar", ref("DockerImage", "some/other:system"), annotations={"one": "two"}
)


def test_validate_ist_update_success():
    """``TestValidateISTUpdate``: annotations alone may change, and the tag may be absent."""
    new = ImageStreamTagObject(
        "default", "foo:bar", None, annotations={"one": "two", "three": "four"}
    )
    assert validate_image_stream_tag_update(new, IST_OLD) == []


def _with_annotations(r, annotations):
    r.annotations = annotations
    return r


IST_CASES = {
    "changedLabel": (
        ImageStreamTagObject("default", "foo:bar", None, {"one": "two"}, labels={"a": "b"}),
        "Invalid",
        "metadata",
    ),
    "mismatchedAnnotations": (
        ImageStreamTagObject(
            "default",
            "foo:bar",
            _with_annotations(ref("DockerImage", "some/other:system"), {"one": "three"}),
            {"one": "two"},
        ),
        "Invalid",
        "tag.annotations",
    ),
    "tagToNameRequired": (
        ImageStreamTagObject("default", "foo:bar", ref("DockerImage", ""), {"one": "two"}),
        "Required",
        "tag.from.name",
    ),
    "tagToKindRequired": (
        ImageStreamTagObject("default", "foo:bar", ref("", "foo/bar:biz"), {"one": "two"}),
        "Required",
        "tag.from.kind",
    ),
}


@pytest.mark.parametrize("case", IST_CASES, ids=list(IST_CASES))
def test_validate_ist_update_errors(case):
    """``TestValidateISTUpdate`` error cases: every error has the expected type and field."""
    new, error_type, field = IST_CASES[case]
    errors = validate_image_stream_tag_update(new, IST_OLD)
    assert errors
    assert {(e.type, e.field) for e in errors} == {(error_type, field)}


# -- TestValidateImageStreamImport ------------------------------------------------------
REDIS = ImageImportSpec("DockerImage", "redis")


def repo(name, mode=""):
    return ImageImportSpec("DockerImage", name, import_mode=mode)


ISI_CASES = {
    "missing name": (("foo", "", [], REDIS), [MISSING_NAME]),
    "no slash in Name": (
        ("foo", "foo/bar", [], REDIS),
        [invalid("metadata.name", "foo/bar", "may not contain '/'")],
    ),
    "no percent in Name": (
        ("foo", "foo%%bar", [], REDIS),
        [invalid("metadata.name", "foo%%bar", "may not contain '%'")],
    ),
    "other invalid name": (
        ("foo", "foo bar", [], REDIS),
        [invalid("metadata.name", "foo bar", NAME_RE_MSG)],
    ),
    "missing namespace": (("", "foo", [], REDIS), [required("metadata.namespace")]),
    "invalid namespace": (
        ("!$", "foo", [], REDIS),
        [invalid("metadata.namespace", "!$", DNS_LABEL_MSG)],
    ),
    "invalid dockerImageRepository": (
        ("foo", "foo", [], repo("a-|///bbb")),
        [invalid("spec.repository.from.name", "a-|///bbb", "invalid reference format")],
    ),
    "invalid dockerImageRepository with tag": (
        ("foo", "foo", [], repo("a/b:tag")),
        [
            invalid(
                "spec.repository.from.name",
                "a/b:tag",
                "you must specify an image repository, not a tag or ID",
            )
        ],
    ),
    "invalid dockerImageRepository with ID": (
        ("foo", "foo", [], repo("a/b@sha256:something")),
        [invalid("spec.repository.from.name", "a/b@sha256:something", "invalid reference format")],
    ),
    "only DockerImage tags can be scheduled": (
        (
            "foo",
            "foo",
            [
                ImageImportSpec("DockerImage", "abc", scheduled=True),
                ImageImportSpec("DockerImage", "abc@badid", scheduled=True),
                ImageImportSpec("ImageStreamTag", "other:latest", scheduled=True),
                ImageImportSpec("ImageStreamImage", "other@latest", scheduled=True),
            ],
            None,
        ),
        [
            invalid("spec.images[1].from.name", "abc@badid", "invalid reference format"),
            invalid("spec.images[2].from.kind", "ImageStreamTag", "only DockerImage is supported"),
            invalid(
                "spec.images[3].from.kind", "ImageStreamImage", "only DockerImage is supported"
            ),
        ],
    ),
    "invalid image importMode": (
        ("foo", "foo", [ImageImportSpec("DockerImage", "abc", import_mode="Invalid")], None),
        [invalid("spec.images[0].importPolicy.importMode", "Invalid", IMPORT_MODE_MSG)],
    ),
    "invalid repository importMode": (
        ("foo", "foo", [], repo("abc", "Invalid")),
        [invalid("spec.repository.importPolicy.importMode", "Invalid", IMPORT_MODE_MSG)],
    ),
}


@pytest.mark.parametrize("case", ISI_CASES, ids=list(ISI_CASES))
def test_validate_image_stream_import(case):
    """validation_test.go ``TestValidateImageStreamImport``: the exact error list."""
    (namespace, name, images, repository), expected = ISI_CASES[case]
    assert validate_image_stream_import(namespace, name, images, repository) == expected


def test_import_table_size():
    assert len(ISI_CASES) == 12


def test_import_edges():
    """``ValidateImageStreamImport``: ``*`` passes; an empty import and an empty target fail;
    no ``namespace/name`` length limit (unlike a stream)."""
    assert validate_image_stream_import("ns", "s", [ImageImportSpec("DockerImage", "*")]) == []
    assert validate_image_stream_import("ns", "s", []) == [
        invalid("spec.images", None, "you must specify at least one image or a repository import")
    ]
    assert [
        str(e)
        for e in validate_image_stream_import(
            "ns", "s", [ImageImportSpec("DockerImage", "abc", to="")]
        )
    ] == ['spec.images[0].to.name: Invalid value: "": the name of the target tag must be specified']
    assert validate_image_stream_import(NS63, NAME192, [], REDIS) == []
    assert [str(e) for e in validate_image_stream_import("ns", "s", [], repo(""))] == [
        "spec.repository.from.name: Required value: container image references require a name"
    ]


# -- registry/imagestreamtag/rest_test.go -----------------------------------------------
REGISTRY_REF = "registry.default.local/default/test@sha256:" + DIGEST.split(":")[1]


def _tx_run(cluster, fn, *args):
    with cluster.transaction(lambda kind, **f: None) as tx:
        return fn(tx, *args)


def _put(cluster, stream):
    with cluster.transaction(lambda kind, **f: None) as tx:
        tx.put("ImageStream", stream.key, stream)


def _happy_stream():
    stream = ImageStream("default", "test", generation=2)
    stream.spec_tags = {
        "another": ref("ImageStreamTag", "test:foo", tag="another"),
        "latest": ref("ImageStreamTag", "test:bar", tag="latest"),
    }
    for tag in ("another", "foo", "latest", "bar"):
        stream.status_tags[tag] = NamedTagEventList(tag, [TagEvent(0.0, REGISTRY_REF, DIGEST, 2)])
    return stream


@pytest.mark.parametrize("case", ["repo not found", "nil tag map", "missing tag"])
def test_delete_image_stream_tag_errors(case):
    """rest_test.go ``TestDeleteImageStreamTag``: deleting ``test:latest`` fails."""
    cluster = Cluster()
    if case != "repo not found":
        stream = ImageStream("default", "test")
        if case == "missing tag":
            stream.spec_tags = {"other": ref("ImageStreamTag", "test:foo", tag="other")}
        _put(cluster, stream)
    with pytest.raises(NotFound) as info:
        _tx_run(cluster, delete_tag, "default", "test", "latest", 0.0)
    expected = (
        'imagestreams.image.openshift.io "test" not found'
        if case == "repo not found"
        else 'imagestreamtags.image.openshift.io "test:latest" not found'
    )
    assert info.value.message == expected


def test_delete_image_stream_tag_happy_path():
    """``TestDeleteImageStreamTag`` "happy path": spec and status ``latest`` go, generation 3."""
    cluster = Cluster()
    _put(cluster, _happy_stream())
    _tx_run(cluster, delete_tag, "default", "test", "latest", 0.0)
    stream = cluster.get("ImageStream", ("default", "test"))
    assert stream.generation == 3
    assert list(stream.spec_tags) == ["another"]
    assert stream.spec_tags["another"].generation == 3
    assert sorted(stream.status_tags) == ["another", "bar", "foo"]
    assert all(
        h.items == [TagEvent(0.0, REGISTRY_REF, DIGEST, 2)] for h in stream.status_tags.values()
    )


def test_update_image_stream_tag_valid():
    """``TestUpdateImageStreamTag`` "valid istag": the tag is set on the existing stream."""
    cluster = Cluster()
    _put(cluster, ImageStream("default", "test"))
    _tx_run(
        cluster,
        set_tag,
        "default",
        "test",
        "tag",
        ref("DockerImage", "foo/bar/baz"),
        0.0,
        "registry:5000",
    )
    stream = cluster.get("ImageStream", ("default", "test"))
    assert stream.spec_tags["tag"].source == ObjectReference("DockerImage", "foo/bar/baz")


def test_update_image_stream_tag_invalid_tag():
    """``TestUpdateImageStreamTag`` "invalid tag": an empty TagReference is refused as the
    ImageStreamTag ``test:tag`` (its empty reference policy), and nothing changes."""
    cluster = Cluster()
    _put(cluster, ImageStream("default", "test"))
    empty = TagReference("", None, import_mode="", reference_policy="")
    with pytest.raises(Invalid) as info:
        _tx_run(cluster, set_tag, "default", "test", "tag", empty, 0.0, "registry:5000")
    assert (info.value.kind, info.value.name) == ("ImageStreamTag.image.openshift.io", "test:tag")
    assert info.value.message == (
        'ImageStreamTag.image.openshift.io "test:tag" is invalid: tag.referencePolicy.type: '
        'Invalid value: "": valid values are "Source", "Local"'
    )
    assert cluster.get("ImageStream", ("default", "test")).spec_tags == {}


@pytest.mark.parametrize("tag", ["", "a:b", "a@b"])
def test_istag_name_must_split(tag):
    """rest.go ``nameAndTag``: a name that is not ``<name>:<tag>`` is a 400, on update and
    on delete alike."""
    cluster = Cluster()
    for call in (
        lambda tx: set_tag(tx, "default", "test", tag, ref("DockerImage", "a"), 0.0, "r:5000"),
        lambda tx: delete_tag(tx, "default", "test", tag, 0.0),
    ):
        with pytest.raises(BadRequest) as info:
            _tx_run(cluster, call)
        assert str(info.value) == (
            "Error from server (BadRequest): ImageStreamTags must be retrieved with <name>:<tag>"
        )


# -- rendering --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "error, text",
    [
        (required("a.b"), "a.b: Required value"),
        (required("a", "why"), "a: Required value: why"),
        (invalid("a", True, "no"), "a: Invalid value: true: no"),
        (invalid("a", 3, "no"), "a: Invalid value: 3: no"),
        (invalid("a", 'q"x', "no"), 'a: Invalid value: "q\\"x": no'),
        (invalid("a", None, "no"), "a: Invalid value: null: no"),
        (FieldError("NotFound", "a", "x:y"), 'a: Not found: "x:y"'),
        (internal("[]", "boom"), "[]: Internal error: boom"),
    ],
)
def test_field_error_rendering(error, text):
    """apimachinery ``field.Error.Error``/``ErrorBody``: which types show the value, how."""
    assert str(error) == text


def test_aggregate_deduplicates_and_brackets():
    """``ErrorList.ToAggregate``: duplicates dropped, several bracketed."""
    a, b = required("x"), required("y")
    assert aggregate([a]) == "x: Required value"
    assert aggregate([a, b, a]) == "[x: Required value, y: Required value]"


# -- through the simulation -------------------------------------------------------------
@pytest.fixture
def sim():
    s = sk.Simulation()
    s.oc("new-project demo")
    return s


def _refused(sim, command):
    before = len(sim.log)
    with pytest.raises(sk.OcError) as info:
        sim.oc(command)
    assert len(sim.log) == before, "a refused request must change nothing"
    return str(info.value)


def test_oc_tag_into_invalid_stream_name(sim):
    """The ImageStreamTag passes (a path segment), then the stream's create refuses it."""
    assert _refused(sim, "tag quay.io/x/y:1 Bad:1") == (
        'Error from server (Invalid): ImageStream.image.openshift.io "Bad" is invalid: '
        f'metadata.name: Invalid value: "Bad": {NAME_RE_MSG}'
    )
    assert sim.stream("demo", "Bad") is None


def test_underscore_stream_names_are_accepted(sim):
    """``ValidateImageStreamName`` allows ``_`` and ``.`` (not a DNS subdomain rule)."""
    sim.oc("tag quay.io/x/y:1 a_b.c:1")
    assert sim.stream("demo", "a_b.c") is not None


def test_stream_name_length_counts_namespace(sim):
    """``'namespace/name' cannot be longer than 255 characters``: demo/ + 250 is the limit."""
    sim.oc(f"tag quay.io/x/y:1 {'a' * 250}:1")
    message = _refused(sim, f"tag quay.io/x/y:1 {'a' * 251}:1")
    assert message.endswith("'namespace/name' cannot be longer than 255 characters")


def test_oc_import_image_invalid_source(sim):
    """``ValidateImageStreamImport`` refuses the import as an ImageStreamImport."""
    assert _refused(sim, "import-image zz --from=quay.io/x/Y:1 --confirm") == (
        'Error from server (Invalid): ImageStreamImport.image.openshift.io "zz" is invalid: '
        'spec.images[0].from.name: Invalid value: "quay.io/x/Y:1": repository name must be '
        "lowercase"
    )
    assert sim.stream("demo", "zz") is None


def test_tags_changed_errors_are_wrapped(sim, tmp_path):
    """strategy.go ``Validate``: ``tagsChanged`` errors as one ``[]`` internal error first,
    then the ``ValidateImageStream`` errors; the whole create is refused."""
    path = tmp_path / "is.yaml"
    path.write_text(
        "apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata: {name: web}\n"
        "spec:\n  tags:\n"
        "  - name: a\n    from: {kind: ImageStreamTag, name: 'other:latest'}\n"
        "  - name: b\n    from: {kind: DockerImage, name: 'quay.io/x/y@bad'}\n"
    )
    message = _refused(sim, f"create -f {path}")
    assert message == (
        f'Error from server (Invalid): error when creating "{path}": '
        'ImageStream.image.openshift.io "web" is invalid: [[]: Internal error: imagestreams '
        '"web" is invalid: spec.tags[a].from.name: Not found: "other:latest", '
        'spec.tags[b].from.name: Invalid value: "quay.io/x/y@bad": invalid reference format]'
    )
    assert sim.stream("demo", "web") is None


def test_update_revalidates_every_tag(sim, tmp_path):
    """On update only changed tags are resolved again (a vanished source stream is not
    re-checked), but ``ValidateImageStreamUpdate`` validates every tag."""
    sim.registry("quay.io").push("x/y", "1")
    sim.oc("tag quay.io/x/y:1 src:1")
    sim.advance("1m")
    path = tmp_path / "app.yaml"
    path.write_text(
        "apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata: {name: app}\n"
        "spec:\n  tags:\n  - name: '1'\n    from: {kind: ImageStreamTag, name: 'src:1'}\n"
    )
    sim.oc(f"create -f {path}")
    assert sim.tag_image("demo/app:1") == sim.tag_image("demo/src:1") is not None
    sim.oc("delete is src")
    sim.oc("tag quay.io/x/y:2 app:2")  # app:1's source is gone but unchanged: accepted
    assert set(sim.stream("demo", "app").spec_tags) == {"1", "2"}


def test_server_does_not_check_tag_names(sim, tmp_path):
    """The API server has no tag-name rule (only ``oc tag`` checks it, client side)."""
    path = tmp_path / "is.yaml"
    path.write_text(
        "apiVersion: image.openshift.io/v1\nkind: ImageStream\nmetadata: {name: web}\n"
        "spec:\n  tags:\n  - name: '-odd tag!'\n    from: {kind: DockerImage, name: 'x/y:1'}\n"
    )
    sim.oc(f"create -f {path}")
    assert list(sim.stream("demo", "web").spec_tags) == ["-odd tag!"]


# -- properties -------------------------------------------------------------------------
_COMPONENT = re.compile(r"[a-z0-9]+(?:[._-][a-z0-9]+)*")
_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
_NAMEISH = st.text(alphabet="ab9._-/%A :", max_size=12)


@settings(max_examples=200, deadline=None)
@given(_NAMEISH)
def test_stream_name_rule(name):
    """Valid iff a path segment and a full component match; path reasons come first."""
    reasons = validate_image_stream_name(name)
    path_reasons = [r for r in reasons if r.startswith("may ")]
    if name in (".", ".."):
        assert reasons == [f"may not be '{name}'"]
    elif "/" in name or "%" in name:
        assert reasons == path_reasons and path_reasons
    else:
        assert (reasons == []) == (_COMPONENT.fullmatch(name) is not None)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="a9-.A", max_size=70))
def test_namespace_rule(namespace):
    """``IsDNS1123Label``: valid iff at most 63 characters and a full label match."""
    valid = len(namespace) <= 63 and _LABEL.fullmatch(namespace) is not None
    assert (validate_namespace_name(namespace) == []) == valid


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="ab1_.-:@/%", max_size=8))
def test_set_tag_outcome_by_tag_text(tag):
    """Through ``set_tag``: ``:``/``@``/empty is a 400 (``nameAndTag``); ``/`` or ``%`` is an
    invalid ImageStreamTag name; anything else is accepted (no server tag-name rule);
    a refusal leaves the cluster untouched."""
    cluster = Cluster()
    try:
        _tx_run(cluster, set_tag, "demo", "app", tag, ref("DockerImage", "x/y:1"), 0.0, "r:5000")
    except BadRequest:
        assert tag == "" or ":" in tag or "@" in tag
        assert cluster.get("ImageStream", ("demo", "app")) is None
    except Invalid as exc:
        assert "/" in tag or "%" in tag
        assert exc.kind == "ImageStreamTag.image.openshift.io"
        assert cluster.get("ImageStream", ("demo", "app")) is None
    else:
        assert tag and not set(tag) & set(":@/%")
        assert tag in cluster.get("ImageStream", ("demo", "app")).spec_tags


def test_update_refused_for_an_unchanged_invalid_tag():
    """``ValidateImageStreamUpdate`` validates the whole new stream: a stored tag that is
    invalid (an ImageStreamTag scheduled for import) blocks any later update."""
    cluster = Cluster()
    legacy = ImageStream("default", "test")
    legacy.spec_tags = {"old": ref("ImageStreamTag", "test:x", scheduled=True, tag="old")}
    _put(cluster, legacy)
    with pytest.raises(Invalid) as info:
        _tx_run(
            cluster, set_tag, "default", "test", "new", ref("DockerImage", "a/b:1"), 0.0, "r:5000"
        )
    assert info.value.message == (
        'ImageStream.image.openshift.io "test" is invalid: spec.tags[old].importPolicy.'
        f"scheduled: Invalid value: true: {SCHEDULED_MSG}"
    )
    assert set(cluster.get("ImageStream", ("default", "test")).spec_tags) == {"old"}


# -- object metadata (apimachinery ValidateObjectMeta, as ValidateImageStream calls it) --
QNAME_MSG = (
    "name part must consist of alphanumeric characters, '-', '_' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or "
    "'123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?"
    "[A-Za-z0-9]')"
)


@pytest.mark.parametrize(
    "labels, annotations, expected",
    [
        ({"app": "web", "x.io/tier": ""}, {"openshift.io/Display-Name": "W"}, []),
        ({"-app": "web"}, {}, [invalid("metadata.labels", "-app", QNAME_MSG)]),
        (
            {"app": "a b"},
            {},
            [
                invalid(
                    "metadata.labels",
                    "a b",
                    "a valid label must be an empty string or consist of "
                    "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
                    "character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is "
                    "'(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
                )
            ],
        ),
        ({}, {"/x": "1"}, [invalid("metadata.annotations", "/x", "prefix part must be non-empty")]),
        (
            {},
            {"k": "v" * (256 * 1024)},
            [
                FieldError(
                    "TooLong",
                    "metadata.annotations",
                    "<value omitted>",
                    "may not be more than 262144 bytes",
                )
            ],
        ),
    ],
)
def test_stream_labels_and_annotations(labels, annotations, expected):
    """``ValidateObjectMeta``: label keys and values, annotation keys (case-insensitive) and
    the 256 kB annotation budget (k8s.io/apimachinery, vendored at the same commit)."""
    stream = ImageStream("ns", "web", labels=labels, annotations=annotations)
    assert validate_image_stream(stream) == expected


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 63), st.integers(1, 300))
def test_name_length_limit(ns_len, name_len):
    """``'namespace/name' cannot be longer than 255 characters``: the limit counts the
    namespace and the slash; the stream name has no limit of its own."""
    stream = ImageStream("n" * ns_len, "s" * name_len)
    errors = validate_image_stream(stream)
    assert (errors != []) == (ns_len + 1 + name_len > 255)
    assert all(e.field == "metadata.name" for e in errors)


@settings(max_examples=150, deadline=None)
@given(
    name=_NAMEISH,
    tag=st.text(alphabet="ab:", min_size=1, max_size=3),
    source=st.text(alphabet="aB/:@.9", max_size=10),
    kind=st.sampled_from(["DockerImage", "ImageStreamTag", "ImageStreamImage", "Docker", ""]),
)
def test_create_refuses_exactly_what_validation_refuses(name, tag, source, kind):
    """``create_stream``: refused iff ``tagsChanged`` or ``ValidateImageStream`` finds an
    error, with every field error named in the message; a refusal stores nothing."""
    from simkit.apiserver.imagestreams import create_stream

    stream = ImageStream("demo", name)
    stream.spec_tags = {tag: ref(kind, source, tag=tag)}
    expected = validate_image_stream(stream.copy())
    cluster = Cluster()
    try:
        _tx_run(cluster, create_stream, stream, 0.0)
    except Invalid as exc:
        assert exc.kind == "ImageStream.image.openshift.io"
        assert all(str(e) in exc.message for e in expected)
        assert cluster.get("ImageStream", ("demo", name)) is None
    else:
        assert expected == []
        assert cluster.get("ImageStream", ("demo", name)) is not None
