"""``oc get -o FORMAT`` for every kind ``oc get`` serves, and kubectl's printers' own tests.

Golden cases restated from kubernetes/kubectl commit
dee3483a3d6a64c07fdf746caf80af446dee99ac, ``pkg/cmd/get/customcolumn_test.go``
(``TestMassageJSONPath``, ``TestNewColumnPrinterFromSpec``,
``TestNewColumnPrinterFromTemplate``, ``TestColumnPrint``,
``TestIndividualPrintObjOnExistingTabWriter``, ``TestSliceColumnPrint``) and
``customcolumn_flags_test.go`` (``TestPrinterSupportsExpectedCustomColumnFormats``); the
print-flag messages from k8s.io/cli-runtime ``genericclioptions`` (``jsonpath_flags.go``)
and kubectl ``get.go`` ``printGeneric`` (one object for one name, else a ``v1`` ``List``).
"""

from __future__ import annotations

import base64
import json
import re

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import simkit as sk
from simkit.oc.customcolumns import (
    Column,
    CustomColumnsError,
    columns_from_spec,
    columns_from_template,
    print_custom_columns,
    relaxed_jsonpath,
)
from simkit.oc.gotemplate import execute_template
from simkit.oc.output import api_object, name_of, parse_output, print_objects

# -- customcolumn_test.go -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expect"),
    [
        ("foo.bar", "{.foo.bar}"),
        ("{foo.bar}", "{.foo.bar}"),
        (".foo.bar", "{.foo.bar}"),
        ("{.foo.bar}", "{.foo.bar}"),
        ("", ""),
        ("{foo.bar", None),
        ("foo.bar}", None),
        ("{foo.bar}}", None),
        ("{{foo.bar}", None),
    ],
)
def test_massage_jsonpath(given: str, expect: str | None) -> None:
    """``TestMassageJSONPath``: the four relaxed spellings, and four refused ones."""
    if expect is None:
        with pytest.raises(CustomColumnsError):
            relaxed_jsonpath(given)
    else:
        assert relaxed_jsonpath(given) == expect


@pytest.mark.parametrize("spec", ["", "invalid", "invalid=foobar", "invalid,foobar:blah"])
def test_column_printer_from_spec_errors(spec: str) -> None:
    """``TestNewColumnPrinterFromSpec``: empty and malformed specs are refused."""
    with pytest.raises(CustomColumnsError):
        columns_from_spec(spec)


def test_column_printer_from_spec() -> None:
    """``TestNewColumnPrinterFromSpec`` "ok" and "no-headers"."""
    assert columns_from_spec("NAME:metadata.name,API_VERSION:apiVersion") == [
        Column("NAME", "{.metadata.name}"),
        Column("API_VERSION", "{.apiVersion}"),
    ]
    text = print_custom_columns(
        columns_from_spec("API_VERSION:apiVersion"),
        {"kind": "Pod", "metadata": {}},
        no_headers=True,
    )
    assert "API_VERSION" not in text.split()


@pytest.mark.parametrize(
    ("template", "ok"),
    [
        ("", False),
        ("invalid", False),
        ("invalid=foobar", False),
        ("invalid,foobar:blah", False),
        ("NAME               API_VERSION\n{metadata.name}    {apiVersion}", True),
        ("NAME               \t\tAPI_VERSION\n\t\t\t\t\t\t\t{metadata.name}    {apiVersion}", True),
    ],
)
def test_column_printer_from_template(template: str, ok: bool) -> None:
    """``TestNewColumnPrinterFromTemplate`` (``exampleTemplateOne`` and ``...Two``)."""
    if ok:
        assert columns_from_template(template) == [
            Column("NAME", "{.metadata.name}"),
            Column("API_VERSION", "{.apiVersion}"),
        ]
    else:
        with pytest.raises(CustomColumnsError):
            columns_from_template(template)


def _pod(name: str, **meta: object) -> dict:
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name, **meta}}


def _list(*items: dict) -> dict:
    return {"apiVersion": "v1", "kind": "List", "items": list(items)}


NAME = [Column("NAME", "{.metadata.name}")]
NAME_API = NAME + [Column("API_VERSION", "{.apiVersion}")]


@pytest.mark.parametrize(
    ("columns", "obj", "expect"),
    [
        (NAME, _pod("foo"), "NAME\nfoo\n"),
        (NAME, _list(_pod("foo"), _pod("bar")), "NAME\nfoo\nbar\n"),
        (NAME_API, {**_pod("foo"), "apiVersion": "baz"}, "NAME   API_VERSION\nfoo    baz\n"),
        (
            NAME_API + [Column("NOT_FOUND", "{.notFound}")],
            {**_pod("foo"), "apiVersion": "baz"},
            "NAME   API_VERSION   NOT_FOUND\nfoo    baz           <none>\n",
        ),
        (NAME, _list(_pod("\x1b \r")), "NAME\n^[ \\r\n"),
    ],
)
def test_column_print(columns: list[Column], obj: dict, expect: str) -> None:
    """``TestColumnPrint``: lists, several columns, ``<none>``, terminal escapes."""
    assert print_custom_columns(columns, obj) == expect


def test_individual_print_obj_on_existing_tab_writer() -> None:
    """``TestIndividualPrintObjOnExistingTabWriter``: a header wider than its values."""
    columns = NAME + [
        Column("LONG COLUMN NAME", "{.metadata.labels.label1}"),
        Column("LABEL 2", "{.metadata.labels.label2}"),
    ]
    pods = _list(
        _pod("foo", labels={"label1": "foo", "label2": "foo"}),
        _pod("bar", labels={"label1": "bar", "label2": "bar"}),
    )
    assert print_custom_columns(columns, pods) == (
        "NAME   LONG COLUMN NAME   LABEL 2\n"
        "foo    foo                foo\n"
        "bar    bar                bar\n"
    )


SLICE_CASES = [
    ("[0]", "fake0"),
    ("[3]", "fake3"),
    ("[5]", None),
    ("[-1]", "fake3"),
    ("[-2]", "fake2"),
    ("[-4]", "fake0"),
    ("[-5]", None),
    ("[0:0]", "<none>"),
    ("[0:3]", "fake0,fake1,fake2"),
    ("[1:]", "fake1,fake2,fake3"),
    ("[3:1]", None),
    ("[0:-1]", "fake0,fake1,fake2"),
    ("[-1:]", "fake3"),
    ("[-4:]", "fake0,fake1,fake2,fake3"),
    ("[-3:-1]", "fake1,fake2"),
    ("[-2:-3]", None),
    ("[4:4]", "<none>"),
    ("[-5:-5]", "<none>"),
]


@pytest.mark.parametrize(("index", "expect"), SLICE_CASES)
def test_slice_column_print(index: str, expect: str | None) -> None:
    """``TestSliceColumnPrint``: slices in a column; ``None`` marks an expected error."""
    pod = {
        **_pod("fake-name", namespace="fake-namespace"),
        "spec": {"containers": [{"name": f"fake{i}"} for i in range(4)]},
    }
    columns = columns_from_spec(f"CONTAINER:.spec.containers{index}.name")
    if expect is None:
        with pytest.raises(CustomColumnsError):
            print_custom_columns(columns, pod)
    else:
        assert print_custom_columns(columns, pod) == f"CONTAINER\n{expect}\n"


def test_printer_supports_expected_custom_column_formats(tmp_path) -> None:
    """``TestPrinterSupportsExpectedCustomColumnFormats``."""
    pod = _pod("foo")
    spec_file = tmp_path / "columns"
    spec_file.write_text("NAME\n.metadata.name")
    for output, template in [
        ("custom-columns=NAME:.metadata.name", ""),
        ("custom-columns", "NAME:.metadata.name"),
        ("custom-columns-file", str(spec_file)),
    ]:
        fmt = parse_output(output, template)
        assert fmt.kind == "custom-columns"
        assert "foo" in print_custom_columns(
            columns_from_template(fmt.template)
            if fmt.from_file
            else columns_from_spec(fmt.template),
            pod,
        )
    with pytest.raises(
        sk.OcError, match="custom-columns format specified but no custom columns given"
    ):
        parse_output("custom-columns")
    with pytest.raises(
        sk.OcError,
        match="unexpected custom-columns spec: invalid, expected <header>:<json-path-expr>",
    ):
        parse_output("custom-columns", "invalid")
    with pytest.raises(sk.OcError, match="unable to match a printer"):
        parse_output("invalid")


UPSTREAM_CASES = 9 + 4 + 2 + 6 + 5 + 1 + len(SLICE_CASES) + 7


# -- the simulation -----------------------------------------------------------------------
@pytest.fixture(scope="module")
def sim():
    sim = sk.Simulation(seed=3)
    sim.registry("quay.io").push("acme/ruby", "3.3")
    sim.registry("quay.io").push("acme/ruby", "3.4")
    sim.oc("new-project demo")
    sim.oc("tag quay.io/acme/ruby:3.3 ruby:3.3")
    sim.oc("tag quay.io/acme/ruby:3.4 ruby:3.4")
    sim.oc("tag quay.io/acme/ruby:3.4 php:8")
    sim.oc("create secret generic creds --from-literal=token=s3cr3t-value")
    sim.advance("1m")
    sim.run_pod("demo", sim.pull_spec("demo/ruby:3.3"), name="web-1")
    sim.advance("1m")
    return sim


KINDS = {
    # resource word, one object's name, its -o name, its kind
    "is": ("ruby", "imagestream.image.openshift.io/ruby", "ImageStream"),
    "istag": ("ruby:3.3", "imagestreamtag.image.openshift.io/ruby:3.3", "ImageStreamTag"),
    "pods": ("web-1", "pod/web-1", "Pod"),
    "sa": ("default", "serviceaccount/default", "ServiceAccount"),
    "secret": ("creds", "secret/creds", "Secret"),
}


@pytest.mark.parametrize("resource", list(KINDS))
def test_yaml_and_json_of_one_object(sim, resource: str) -> None:
    """``-o yaml`` and ``-o json`` of one named object: the object itself, not a List,
    the same data both ways, and what :func:`api_object` gives."""
    name, _, kind = KINDS[resource]
    as_yaml = yaml.safe_load(sim.oc(f"get {resource} {name} -o yaml -n demo"))
    as_json = json.loads(sim.oc(f"get {resource} {name} -o json -n demo"))
    assert as_yaml == as_json
    assert as_json["kind"] == kind and as_json["metadata"]["name"] == name
    assert as_json["apiVersion"]


@pytest.mark.parametrize("resource", list(KINDS))
def test_listing_prints_a_v1_list(sim, resource: str) -> None:
    """Without a name (or with two) ``-o json`` is a ``v1`` ``List`` of the objects."""
    name, _, kind = KINDS[resource]
    listing = json.loads(sim.oc(f"get {resource} -o json -n demo"))
    assert (listing["apiVersion"], listing["kind"]) == ("v1", "List")
    assert listing["metadata"] == {"resourceVersion": ""}
    assert name in [item["metadata"]["name"] for item in listing["items"]]
    assert {item["kind"] for item in listing["items"]} == {kind}
    two = json.loads(sim.oc(f"get {resource} {name} {name} -o json -n demo"))
    assert two["kind"] == "List" and len(two["items"]) == 2


@pytest.mark.parametrize("resource", list(KINDS))
def test_name_jsonpath_and_custom_columns(sim, resource: str) -> None:
    """``-o name`` is ``kind[.group]/name``; jsonpath and custom columns read the API
    shape (one object for a name, the List's items otherwise)."""
    name, printed, _ = KINDS[resource]
    assert sim.oc(f"get {resource} {name} -o name -n demo") == printed + "\n"
    assert printed + "\n" in sim.oc(f"get {resource} -o name -n demo")
    assert sim.oc(f"get {resource} {name} -o jsonpath='{{.metadata.name}}' -n demo") == name
    names = sim.oc(f"get {resource} -o jsonpath='{{.items[*].metadata.name}}' -n demo").split()
    assert name in names
    table = sim.oc(
        f"get {resource} -o custom-columns=NAME:.metadata.name,NS:metadata.namespace,"
        "X:.nope -n demo"
    ).splitlines()
    assert table[0].split() == ["NAME", "NS", "X"]
    assert [name, "demo", "<none>"] in [row.split() for row in table[1:]]
    no_headers = sim.oc(
        f"get {resource} {name} -o custom-columns=N:.metadata.name --no-headers -n demo"
    )
    assert no_headers == f"{name}\n"


@pytest.mark.parametrize("resource", [r for r in KINDS if r != "secret"])
def test_go_template_and_template_flag(sim, resource: str) -> None:
    """``-o go-template=``, ``-o template=`` and ``--template`` alone are one printer."""
    name, _, kind = KINDS[resource]
    for flag in (
        "-o go-template='{{.kind}}/{{.metadata.name}}'",
        "-o template='{{.kind}}/{{.metadata.name}}'",
        "--template='{{.kind}}/{{.metadata.name}}'",
    ):
        assert sim.oc(f"get {resource} {name} {flag} -n demo") == f"{kind}/{name}"
    listed = sim.oc(
        f"get {resource} -n demo --template="
        "'{{range .items}}{{.metadata.name}}{{\"\\n\"}}{{end}}'"
    )
    assert name in listed.splitlines()


@pytest.mark.parametrize("resource", list(KINDS))
def test_file_formats(sim, resource: str, tmp_path) -> None:
    """``jsonpath-file``, ``custom-columns-file`` and ``go-template-file`` read the file."""
    name, _, _ = KINDS[resource]
    (tmp_path / "jp").write_text("{.metadata.name}")
    (tmp_path / "cc").write_text("NAME NS\n.metadata.name .metadata.namespace\n")
    (tmp_path / "gt").write_text("{{.metadata.namespace}}")
    assert sim.oc(f"get {resource} {name} -o jsonpath-file={tmp_path / 'jp'} -n demo") == name
    assert sim.oc(
        f"get {resource} {name} -o custom-columns-file={tmp_path / 'cc'} -n demo"
    ).split() == ["NAME", "NS", name, "demo"]
    if resource != "secret":
        assert (
            sim.oc(f"get {resource} {name} -o go-template-file={tmp_path / 'gt'} -n demo") == "demo"
        )
    assert json.loads(
        sim.oc(f"get {resource} {name} -o jsonpath-as-json='{{.metadata.name}}' -n demo")
    ) == [name]


def test_isimage_every_format(sim) -> None:
    """``oc get isimage NAME@ID``: an id prefix resolves in the stream's history
    (``ResolveImageID``); the table is printImageStreamImage's ``NAME UPDATED`` (wide adds
    ``IMAGE REFERENCE IMAGE NAME``); it cannot be listed."""
    event = sim.stream("demo", "ruby").status_tags["3.3"].items[0]
    full = f"ruby@{event.image}"
    short = f"ruby@{event.image.partition(':')[2][:12]}"
    header, row = sim.oc(f"get isimage {short} -n demo").splitlines()
    assert header.split() == ["NAME", "UPDATED"] and row.split()[0] == full
    wide = sim.oc(f"get isimage {short} -o wide -n demo").splitlines()
    assert wide[1].split()[-2:] == [event.docker_image_reference, event.image]
    assert sim.oc(f"get isimage {short} -o name -n demo") == (
        f"imagestreamimage.image.openshift.io/{full}\n"
    )
    shown = json.loads(sim.oc(f"get isimage {short} -o json -n demo"))
    assert (shown["kind"], shown["metadata"]["name"]) == ("ImageStreamImage", full)
    assert shown["image"]["dockerImageReference"] == event.docker_image_reference
    assert sim.oc(f"get isimage {full} -o jsonpath='{{.image.metadata.name}}' -n demo") == (
        event.image
    )
    with pytest.raises(sk.OcError, match=r"\(MethodNotAllowed\)"):
        sim.oc("get isimage -n demo")
    with pytest.raises(
        sk.OcError,
        match=r'imagestreamimages.image.openshift.io "ruby@ffff" '
        "not found",
    ):
        sim.oc("get isimage ruby@ffff -n demo")
    with pytest.raises(sk.OcError, match="must be retrieved with <name>@<id>"):
        sim.oc("get isimage ruby -n demo")


def test_missing_template_file_is_refused(sim) -> None:
    """jsonpath_flags.go: ``error reading --template PATH, open PATH: ...``."""
    with pytest.raises(
        sk.OcError,
        match="error reading --template /nope/x, open /nope/x: no such file or directory",
    ):
        sim.oc("get sa -o jsonpath-file=/nope/x")


def test_yaml_reads_back_as_the_object(sim) -> None:
    """What ``-o yaml`` prints is the API object of the one converter, key for key."""
    stream = sim.cluster.get("ImageStream", ("demo", "ruby"))
    printed = yaml.safe_load(sim.oc("get is ruby -o yaml -n demo"))
    assert printed == json.loads(json.dumps(api_object("ImageStream", stream, sim)))


def test_secret_values_are_base64_in_yaml_json_and_jsonpath(sim) -> None:
    """``oc get secret -o yaml|json|jsonpath='{.data}'``: ``data`` base64-encoded, as oc."""
    encoded = base64.b64encode(b"s3cr3t-value").decode()
    assert f"  token: {encoded}\n" in sim.oc("get secret creds -o yaml -n demo")
    assert json.loads(sim.oc("get secret creds -o json -n demo"))["data"] == {"token": encoded}
    assert json.loads(sim.oc("get secret creds -o jsonpath='{.data}' -n demo")) == {
        "token": encoded
    }
    assert sim.oc("get secret/creds -o jsonpath='{.type}' -n demo") == "Opaque"


def test_secret_template_keeps_its_masked_behaviour(sim) -> None:
    """``--template`` on a secret keeps simkit's masked decode (the global pull secret
    procedure) and never prints the value."""
    out = sim.oc("get secret creds -n demo --template='{{index .data \"token\" | base64decode}}'")
    assert out == "*****\n"
    with pytest.raises(sk.OcError, match="simkit understands only the template"):
        sim.oc("get secret creds -n demo -o go-template='{{.data}}'")


def test_jsonpath_errors_never_show_the_object(sim) -> None:
    """kubectl adds the object (``%#v``) to a jsonpath execution error; simkit does not, so
    that a Secret's values stay out of error messages."""
    with pytest.raises(sk.OcError) as caught:
        sim.oc("get secret creds -n demo -o jsonpath='{.data.token[3]}'")
    message = str(caught.value)
    assert message.startswith(
        'error: error executing jsonpath "{.data.token[3]}": Error '
        "executing template: string is not array or slice."
    )
    assert base64.b64encode(b"s3cr3t-value").decode() not in message


def test_secrets_table_of_several_names(sim) -> None:
    """``oc get secrets A B``: one row each (NAME TYPE DATA AGE), then what was not found."""
    account = sim.cluster.get("ServiceAccount", ("demo", "default"))
    rows = sim.oc(f"get secrets creds {account.secrets[0]} -n demo").splitlines()
    assert rows[0].split() == ["NAME", "TYPE", "DATA", "AGE"]
    assert [r.split()[0] for r in rows[1:]] == ["creds", account.secrets[0]]
    with pytest.raises(sk.OcError) as caught:
        sim.oc("get secrets creds nope -n demo")
    assert str(caught.value).splitlines()[-1] == (
        'Error from server (NotFound): secrets "nope" not found'
    )
    assert str(caught.value).splitlines()[1].startswith("creds ")


def test_sa_yaml_is_not_refused(sim) -> None:
    """The issue's case: ``oc get sa default -o yaml`` used to be ``unknown shorthand flag``."""
    assert "kind: ServiceAccount\n" in sim.oc("get sa default -o yaml -n demo")


def test_pods_wide_columns(sim) -> None:
    """kubectl's pod printer with ``-o wide``: IP, NODE, NOMINATED NODE, READINESS GATES."""
    header, row = sim.oc("get pods -o wide -n demo").splitlines()
    assert re.split(r"\s{2,}", header) == [
        "NAME",
        "READY",
        "STATUS",
        "RESTARTS",
        "AGE",
        "IP",
        "NODE",
        "NOMINATED NODE",
        "READINESS GATES",
    ]
    pod = sim.cluster.get("Pod", ("demo", "web-1"))
    assert row.split()[0] == "web-1" and row.split()[-4:] == [
        "<none>",
        pod.node or "<none>",
        "<none>",
        "<none>",
    ]
    assert sim.oc("get pods --no-headers -n demo").startswith("web-1 ")


def test_istag_wide_and_table_still_work(sim) -> None:
    """``-o wide`` keeps the command's own table (istag adds IMAGE NAME)."""
    assert sim.oc("get istag -o wide -n demo").splitlines()[0].split()[-2:] == ["IMAGE", "NAME"]


def test_not_found_with_a_format(sim) -> None:
    """printGeneric: one missing name prints only its error; in a list the found objects
    print first and the command still fails; ``--ignore-not-found`` prints nothing."""
    with pytest.raises(sk.OcError) as caught:
        sim.oc("get is nope -o json -n demo")
    assert str(caught.value) == (
        'Error from server (NotFound): imagestreams.image.openshift.io "nope" not found'
    )
    with pytest.raises(sk.OcError) as caught:
        sim.oc("get is ruby nope -o name -n demo")
    assert str(caught.value).startswith("imagestream.image.openshift.io/ruby\nError from server")
    assert sim.oc("get is nope -o json --ignore-not-found -n demo") == ""


def test_empty_listings(sim) -> None:
    """An empty listing is an empty List for yaml/json, nothing for ``-o name``, and the
    custom-columns header alone."""
    sim.oc("new-project empty")
    assert json.loads(sim.oc("get pods -o json -n empty"))["items"] == []
    assert sim.oc("get is -o name -n empty") == ""
    assert sim.oc("get is -o custom-columns=NAME:.metadata.name -n empty") == "NAME\n"


@pytest.mark.parametrize(
    ("output", "message"),
    [
        (
            "bogus",
            'unable to match a printer suitable for the output format "bogus", allowed '
            "formats are: custom-columns,custom-columns-file,go-template,",
        ),
        ("jsonpath", "template format specified but no template given"),
        ("go-template", "template format specified but no template given"),
        ("jsonpath={.a", "error parsing jsonpath {.a, unclosed action"),
        ("custom-columns=A:{.x", "unexpected path string"),
        ("go-template={{if .x}}", "error parsing template {{if .x}}, unexpected EOF in if"),
    ],
)
def test_bad_formats_fail_and_change_nothing(sim, output: str, message: str) -> None:
    """A bad ``-o`` is refused with kubectl's message, before anything runs: the event log
    does not grow (the command's transaction never commits)."""
    before = len(sim.events)
    with pytest.raises(sk.OcError, match=message.replace("{", r"\{").replace("(", r"\(")):
        sim.oc(f"get sa -o '{output}' -n demo")
    assert len(sim.events) == before


def test_mixed_generic_objects_golden() -> None:
    """kubectl get_test.go ``TestGetMixedGenericObjects``: a listing is a ``v1`` List with
    ``metadata.resourceVersion: ""``, printed by ``json.MarshalIndent`` (4 spaces)."""
    status = {"apiVersion": "v1", "kind": "Status", "metadata": {}, "status": "Success"}
    assert print_objects(parse_output("json"), [status], single=False) == (
        '{\n    "apiVersion": "v1",\n    "items": [\n        {\n            "apiVersion": '
        '"v1",\n            "kind": "Status",\n            "metadata": {},\n            '
        '"status": "Success"\n        }\n    ],\n    "kind": "List",\n    "metadata": {\n'
        '        "resourceVersion": ""\n    }\n}\n'
    )


@pytest.mark.parametrize("resource", ["pods", "sa", "secret", "is", "istag", "groups"])
def test_ignore_not_found_prints_nothing(sim, resource: str) -> None:
    """kubectl get_test.go ``TestGetIgnoreNotFound``: ``get pods nonexistentpod
    --ignore-not-found -o yaml`` prints nothing and succeeds, for every kind; so does the
    table."""
    name = "nope:1" if resource == "istag" else "nonexistentpod"
    assert sim.oc(f"get {resource} {name} --ignore-not-found -o yaml -n demo") == ""
    assert sim.oc(f"get {resource} {name} --ignore-not-found -n demo") == ""


def test_name_of_core_and_grouped_kinds() -> None:
    """``NamePrinter``: the core group has no suffix; other groups follow the kind."""
    assert (
        name_of({"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}})
        == "deployment.apps/web"
    )
    assert name_of({"apiVersion": "v1", "kind": "Secret", "metadata": {"name": "x"}}) == "secret/x"


def test_go_template_functions() -> None:
    """text/template over an object: conditionals, range with variables, comparisons,
    printf, len, index, kubectl's exists and base64decode, missing keys."""
    obj = {"items": [{"n": "a", "c": 2}, {"n": "b", "c": 5}], "data": {"k": "aGk="}}
    assert (
        execute_template(
            "{{range $i, $e := .items}}{{if gt $e.c 3}}{{$i}}:{{$e.n}} {{else}}-{{end}}{{end}}", obj
        )
        == "-1:b "
    )
    assert execute_template('{{printf "%s=%d" "x" (len .items)}}', obj) == "x=2"
    assert (
        execute_template('{{if exists . "data" "k"}}{{index .data "k" | base64decode}}{{end}}', obj)
        == "hi"
    )
    assert execute_template("{{.nope.deeper}}", obj) == "<no value>"
    with pytest.raises(ValueError, match='map has no entry for key "nope"'):
        execute_template("{{.nope}}", obj, allow_missing_keys=False)
    assert execute_template("{{- range .items }} {{ .n -}} {{ end }}", obj) == " a b"


@pytest.mark.parametrize(
    ("template", "obj", "expect"),
    [
        (
            "{{ .data.username | base64decode }}",
            {"kind": "Secret", "data": {"username": base64.b64encode(b"hunter").decode()}},
            "hunter",
        ),
        (
            "{{ .data.username | base64decode }}",
            {"apiVersion": "v1", "data": {"username": "--THIS IS NOT BASE64--"}, "kind": "Secret"},
            None,
        ),
        ("{{ eq .count 1}}", {"kind": "Event", "count": 1}, "true"),
    ],
)
def test_go_template_printer(template: str, obj: dict, expect: str | None) -> None:
    """k8s.io/cli-runtime ``pkg/printers/template_test.go`` ``TestTemplate`` (kubernetes
    commit 419150efafe3754f4e74c5afd5897e9540346431): base64decode, its error, ``eq`` on
    an integer field."""
    if expect is None:
        with pytest.raises(ValueError, match="base64 decode"):
            execute_template(template, obj)
    else:
        assert execute_template(template, obj) == expect


def test_go_template_bad_calls() -> None:
    """Wrong calls are errors with a message, never a Python exception of another kind."""
    for template in (
        "{{and}}",
        "{{len 3}}",
        "{{len .nope}}",
        "{{index 3 1}}",
        "{{nosuch 1}}",
        '{{"x" 1}}',
        "{{range 3}}{{end}}",
    ):
        with pytest.raises(ValueError):
            execute_template(template, {})


def test_allow_missing_template_keys_false(sim) -> None:
    """``--allow-missing-template-keys=false`` makes a missing key an error."""
    assert sim.oc("get sa default -o jsonpath='{.nope}' -n demo") == ""
    with pytest.raises(sk.OcError, match="nope is not found"):
        sim.oc("get sa default -o jsonpath='{.nope}' --allow-missing-template-keys=false -n demo")


def test_count_of_restated_printer_cases() -> None:
    """How many of customcolumn_test.go's cases are restated above (for the report)."""
    assert UPSTREAM_CASES == 52


@pytest.mark.parametrize("name", ["jsonpath", "customcolumns", "gotemplate", "output"])
def test_doctests(name: str) -> None:
    """The ``Examples`` of the printing modules run."""
    import doctest
    import importlib

    module = importlib.import_module(f"simkit.oc.{name}")
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0


# -- the other stored kinds (simkit.oc.commands.get_kinds) --------------------------------
OTHER_KINDS = {
    # resource word, a name, -o name, kind, namespace flag
    "nodes": ("worker-0", "node/worker-0", "Node", ""),
    "ns": ("demo", "namespace/demo", "Namespace", ""),
    "projects": ("demo", "project.project.openshift.io/demo", "Project", ""),
    "roles": ("reader", "role.rbac.authorization.k8s.io/reader", "Role", "-n demo"),
    "rolebindings": (
        "system:image-pullers",
        "rolebinding.rbac.authorization.k8s.io/system:image-pullers",
        "RoleBinding",
        "-n demo",
    ),
    "clusterroles": ("view", "clusterrole.rbac.authorization.k8s.io/view", "ClusterRole", ""),
    "clusterrolebindings": (
        "system:masters",
        "clusterrolebinding.rbac.authorization.k8s.io/system:masters",
        "ClusterRoleBinding",
        "",
    ),
    "groups": ("devs", "group.user.openshift.io/devs", "Group", ""),
    "deployments": ("web", "deployment.apps/web", "Deployment", "-n demo"),
    "dc": ("legacy", "deploymentconfig.apps.openshift.io/legacy", "DeploymentConfig", "-n demo"),
}


ROLE = """apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: reader
  namespace: demo
rules:
- apiGroups: [""]
  resources: ["pods"]
  verbs: ["get"]
---
apiVersion: apps.openshift.io/v1
kind: DeploymentConfig
metadata:
  name: legacy
  namespace: demo
spec:
  replicas: 2
  triggers:
  - type: ImageChange
    imageChangeParams:
      automatic: true
      containerNames: [app]
      from: {kind: ImageStreamTag, name: "ruby:3.3"}
  template:
    spec:
      containers:
      - name: app
        image: quay.io/acme/ruby:3.3
"""


@pytest.fixture(scope="module")
def kinds_sim(tmp_path_factory):
    sim = sk.Simulation(seed=5)
    sim.registry("quay.io").push("acme/ruby", "3.3")
    sim.oc("new-project demo --display-name='Demo project'")
    sim.oc("adm groups new devs alice bob")
    sim.oc("create deployment web --image=quay.io/acme/ruby:3.3 -n demo")
    sim.oc("tag quay.io/acme/ruby:3.3 ruby:3.3 -n demo")
    role = tmp_path_factory.mktemp("role") / "role.yaml"
    role.write_text(ROLE)
    sim.oc(f"apply -f {role}")
    sim.advance("2m")
    return sim


@pytest.mark.parametrize("resource", list(OTHER_KINDS))
def test_other_kinds_every_format(kinds_sim, resource: str) -> None:
    """Nodes, namespaces, projects, roles, bindings, groups, deployments: yaml/json of one
    object, a List, ``-o name``, jsonpath, custom columns, go-template and the table."""
    sim = kinds_sim
    name, printed, kind, ns = OTHER_KINDS[resource]
    obj = json.loads(sim.oc(f"get {resource} {name} -o json {ns}"))
    assert (obj["kind"], obj["metadata"]["name"]) == (kind, name)
    assert yaml.safe_load(sim.oc(f"get {resource} {name} -o yaml {ns}")) == obj
    assert json.loads(sim.oc(f"get {resource} -o json {ns}"))["kind"] == "List"
    assert sim.oc(f"get {resource} {name} -o name {ns}") == printed + "\n"
    assert sim.oc(f"get {resource} {name} -o jsonpath='{{.kind}}' {ns}") == kind
    assert (
        sim.oc(f"get {resource} {name} -o custom-columns=N:.metadata.name --no-headers {ns}")
        == name + "\n"
    )
    assert sim.oc(f"get {resource} {name} --template='{{{{.metadata.name}}}}' {ns}") == name
    table = sim.oc(f"get {resource} {ns}").splitlines()
    assert table[0].startswith("NAME ") and name in [row.split()[0] for row in table[1:]]


def test_node_and_binding_tables(kinds_sim) -> None:
    """printNode and printRoleBinding headers, plain and ``-o wide``."""
    sim = kinds_sim
    assert re.split(r"\s{2,}", sim.oc("get nodes -o wide").splitlines()[0]) == [
        "NAME",
        "STATUS",
        "ROLES",
        "AGE",
        "VERSION",
        "INTERNAL-IP",
        "EXTERNAL-IP",
        "OS-IMAGE",
        "KERNEL-VERSION",
        "CONTAINER-RUNTIME",
    ]
    assert sim.oc("get node worker-0").splitlines()[1].split()[:3] == [
        "worker-0",
        "Ready",
        "worker",
    ]
    header, *rows = sim.oc("get rolebindings -o wide -n demo").splitlines()
    assert re.split(r"\s{2,}", header) == [
        "NAME",
        "ROLE",
        "AGE",
        "USERS",
        "GROUPS",
        "SERVICEACCOUNTS",
    ]
    pullers = next(r for r in rows if r.startswith("system:image-pullers "))
    assert pullers.split()[1:2] == ["ClusterRole/system:image-puller"]
    assert "system:serviceaccounts:demo" in pullers
    assert sim.oc("get projects demo").splitlines()[1].split() == [
        "demo",
        "Demo",
        "project",
        "Active",
    ]
    assert sim.oc("get groups devs").splitlines()[1].split() == ["devs", "alice,", "bob"]
    header, row = sim.oc("get dc legacy -n demo").splitlines()
    assert re.split(r"\s{2,}", header) == ["NAME", "REVISION", "DESIRED", "CURRENT", "TRIGGERED BY"]
    assert row.split()[0] == "legacy" and row.split()[2] == "2"
    assert row.split()[-1] == "image(ruby:3.3)"


def test_node_yaml_never_shows_the_pull_secret(kinds_sim) -> None:
    """The global pull secret written to a node is not part of the Node object."""
    node = kinds_sim.cluster.get("Node", ("", "worker-0"))
    saved = node.config_json
    node.config_json = '{"auths": {"quay.io": {"auth": "UExBTlQtbm9kZS1zZWNyZXQ="}}}'
    try:
        for output in ("yaml", "json", "jsonpath={..}"):
            text = kinds_sim.oc(f"get node worker-0 -o {output}")
            assert "UExBTlQtbm9kZS1zZWNyZXQ=" not in text and "auths" not in text
    finally:
        node.config_json = saved


def test_images(kinds_sim) -> None:
    """``oc get images``: ``NAME IMAGE REFERENCE`` (printImage); ``-o name`` and yaml."""
    image = sorted(kinds_sim.cluster.list("Image"), key=lambda i: i.digest)[0]
    header, first, *_ = kinds_sim.oc("get images").splitlines()
    assert header.split() == ["NAME", "IMAGE", "REFERENCE"]
    assert first.split() == [image.digest, image.docker_image_reference]
    assert kinds_sim.oc(f"get image {image.digest} -o name") == (
        f"image.image.openshift.io/{image.digest}\n"
    )
    shown = yaml.safe_load(kinds_sim.oc(f"get image {image.digest} -o yaml"))
    assert shown["dockerImageReference"] == image.docker_image_reference
    assert shown["dockerImageMetadata"]["Size"] == image.size


def test_other_kinds_not_found(kinds_sim) -> None:
    """A missing name is the API's NotFound, naming the resource."""
    with pytest.raises(sk.OcError, match='groups.user.openshift.io "nope" not found'):
        kinds_sim.oc("get groups nope")
    assert kinds_sim.oc("get groups nope --ignore-not-found") == ""


_NAMES = st.lists(
    st.from_regex(r"[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?", fullmatch=True), min_size=0, max_size=6
)


@given(_NAMES)
def test_formats_agree_on_a_listing(names: list[str]) -> None:
    """Over any listing, ``-o name``, jsonpath, custom columns and go-template name the same
    objects in the same order, and ``-o json`` reads back to the objects."""
    pods = [_pod(n) for n in names]
    by_name = print_objects(parse_output("name"), pods, single=False)
    assert by_name.splitlines() == [f"pod/{n}" for n in names]
    path = print_objects(parse_output("jsonpath={.items[*].metadata.name}"), pods, single=False)
    assert path == " ".join(names)
    columns = print_objects(parse_output("custom-columns=N:.metadata.name"), pods, single=False)
    assert [line.strip() for line in columns.splitlines()] == ["N", *names]
    template = print_objects(
        parse_output("go-template={{range .items}}{{.metadata.name}};{{end}}"), pods, single=False
    )
    assert template == "".join(f"{n};" for n in names)
    assert json.loads(print_objects(parse_output("json"), pods, single=False))["items"] == pods
