"""kubectl's JSONPath (simkit.oc.jsonpath) on client-go's own test tables.

Restated from kubernetes/kubernetes commit 04791b4906602ffda5ccf9bc4c84d3329f1d7080,
``staging/src/k8s.io/client-go/util/jsonpath/jsonpath_test.go`` (``TestTypesInput``,
``TestStructInput``, ``TestJSONInput``, ``TestKubernetes``, ``TestEmptyRange``,
``TestNestedRanges``, ``TestFilterPartialMatchesSometimesMissingAnnotations``,
``TestNegativeIndex``, ``TestRunningPodsJSONPathOutput``, ``TestStep``) and
``parser_test.go`` (``parserTests``, ``TestFailParser``).  Go structs are
:class:`~simkit.oc.jsonpath.Struct` (fields in declaration order), Go maps ``dict``;
JSON input is decoded as kubectl decodes objects (integers stay integers).
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simkit.oc.jsonpath import JSONPath, JSONPathError, Param, Struct, go_sprint, parse

# -- TestTypesInput -----------------------------------------------------------------------
TYPES = {
    "bools": [True, False, True, False],
    "integers": [1, 2, 3, 4],
    "floats": [1.0, 2.2, 3.3, 4.0],
    "strings": ["one", "two", "three", "four"],
    "interfaces": [True, "one", 1, 1.1],
    "maps": [
        {"name": "one", "value": 1},
        {"name": "two", "value": 2.02},
        {"name": "three", "value": 3.03},
        {"name": "four", "value": 4.04},
    ],
    "structs": [
        Struct(name="one", value=1, type="integer"),
        Struct(name="two", value=2.002, type="float"),
        Struct(name="three", value=3, type="integer"),
        Struct(name="four", value=4.004, type="float"),
    ],
}
_M = [
    '{"name":"one","value":1}',
    '{"name":"two","value":2.02}',
    '{"name":"three","value":3.03}',
    '{"name":"four","value":4.04}',
]
_S = [
    '{"name":"one","value":1,"type":"integer"}',
    '{"name":"two","value":2.002,"type":"float"}',
    '{"name":"three","value":3,"type":"integer"}',
    '{"name":"four","value":4.004,"type":"float"}',
]
TYPE_CASES = [
    ("{ .bools }", "[true,false,true,false]"),
    ("{ .bools[0] }", "true"),
    ("{ .bools[-1] }", "false"),
    ("{ .bools[0:2] }", "true false"),
    ("{ .bools[:2] }", "true false"),
    ("{ .bools[:4:2] }", "true true"),
    ("{ .integers }", "[1,2,3,4]"),
    ("{ .integers[0] }", "1"),
    ("{ .integers[-2] }", "3"),
    ("{ .integers[0:2] }", "1 2"),
    ("{ .integers[:2] }", "1 2"),
    ("{ .integers[:4:2] }", "1 3"),
    ("{ .floats }", "[1,2.2,3.3,4]"),
    ("{ .floats[0] }", "1"),
    ("{ .floats[-2] }", "3.3"),
    ("{ .floats[0:2] }", "1 2.2"),
    ("{ .floats[:2] }", "1 2.2"),
    ("{ .floats[:4:2] }", "1 3.3"),
    ("{ .strings }", '["one","two","three","four"]'),
    ("{ .strings[0] }", "one"),
    ("{ .strings[-2] }", "three"),
    ("{ .strings[0:2] }", "one two"),
    ("{ .strings[:2] }", "one two"),
    ("{ .strings[:4:2] }", "one three"),
    ("{ .interfaces }", '[true,"one",1,1.1]'),
    ("{ .interfaces[0] }", "true"),
    ("{ .interfaces[-2] }", "1"),
    ("{ .interfaces[0:2] }", "true one"),
    ("{ .interfaces[:2] }", "true one"),
    ("{ .interfaces[:4:2] }", "true 1"),
    ("{ .maps }", "[" + ",".join(_M) + "]"),
    ("{ .maps[0] }", _M[0]),
    ("{ .maps[-2] }", _M[2]),
    ("{ .maps[0:2] }", f"{_M[0]} {_M[1]}"),
    ("{ .maps[:2] }", f"{_M[0]} {_M[1]}"),
    ("{ .maps[::2] }", f"{_M[0]} {_M[2]}"),
    ("{ .maps[1::2] }", f"{_M[1]} {_M[3]}"),
    ("{ .structs }", "[" + ",".join(_S) + "]"),
    ("{ .structs[0] }", _S[0]),
    ("{ .structs[-2] }", _S[2]),
    ("{ .structs[0:2] }", f"{_S[0]} {_S[1]}"),
    ("{ .structs[:2] }", f"{_S[0]} {_S[1]}"),
    ("{ .structs[::2] }", f"{_S[0]} {_S[2]}"),
    ("{ .structs[1::2] }", f"{_S[1]} {_S[3]}"),
]


@pytest.mark.parametrize(("template", "expect"), TYPE_CASES)
def test_types_input(template: str, expect: str) -> None:
    """``TestTypesInput``: slices of every Go type, indexed, sliced and stepped."""
    assert JSONPath(template).execute(TYPES) == expect


# -- TestStructInput ----------------------------------------------------------------------
class IntMap(dict):
    """A Go ``map[string]int`` (its type shows in an error message)."""

    go_type = "map[string]int"


def book(category: str, author: str, title: str, price: float) -> Struct:
    return Struct(Category=category, Author=author, Title=title, Price=price)


STORE = Struct(
    Book=[
        book("reference", "Nigel Rees", "Sayings of the Centurey", 8.95),
        book("fiction", "Evelyn Waugh", "Sword of Honour", 12.99),
        book("fiction", "Herman Melville", "Moby Dick", 8.99),
    ],
    Bicycle=[
        Struct(Color="red", Price=19.95, IsNew=True),
        Struct(Color="green", Price=20.01, IsNew=False),
    ],
    Name="jsonpath",
    Labels=IntMap({"engieer": 10, "web/html": 15, "k8s-app": 20}),
    Employees={"jason": "manager", "dan": "clerk"},
)
_MOBY = '{"Category":"fiction","Author":"Herman Melville","Title":"Moby Dick","Price":8.99}'
STORE_CASES = [
    ("plain", "hello jsonpath", None, "hello jsonpath"),
    ("recursive", "{..}", [1, 2, 3], "[1,2,3]"),
    ("filter", "{[?(@<5)]}", [2, 6, 3, 7], "2 3"),
    ("quote", '{"{"}', None, "{"),
    ("union", "{[1,3,4]}", [0, 1, 2, 3, 4], "1 3 4"),
    ("array", "{[0:2]}", ["Monday", "Tudesday"], "Monday Tudesday"),
    ("variable", "hello {.Name}", STORE, "hello jsonpath"),
    ("dict/", "{$.Labels.web/html}", STORE, "15"),
    ("dict/", "{$.Employees.jason}", STORE, "manager"),
    ("dict/", "{$.Employees.dan}", STORE, "clerk"),
    ("dict-", "{.Labels.k8s-app}", STORE, "20"),
    ("nest", "{.Bicycle[*].Color}", STORE, "red green"),
    ("allarray", "{.Book[*].Author}", STORE, "Nigel Rees Evelyn Waugh Herman Melville"),
    (
        "allfields",
        '{range .Bicycle[*]}{ "{" }{ @.* }{ "} " }{end}',
        STORE,
        "{red 19.95 true} {green 20.01 false} ",
    ),
    ("recurfields", "{..Price}", STORE, "8.95 12.99 8.99 19.95 20.01"),
    ("recurdotfields", "{...Price}", STORE, "8.95 12.99 8.99 19.95 20.01"),
    (
        "allstructsSlice",
        "{.Bicycle}",
        STORE,
        '[{"Color":"red","Price":19.95,"IsNew":true},{"Color":"green","Price":20.01,"IsNew":false}]',
    ),
    (
        "allstructs",
        '{range .Bicycle[*]}{ @ }{ " " }{end}',
        STORE,
        '{"Color":"red","Price":19.95,"IsNew":true} {"Color":"green","Price":20.01,"IsNew":false} ',
    ),
    ("lastarray", "{.Book[-1:]}", STORE, _MOBY),
    ("recurarray", "{..Book[2]}", STORE, _MOBY),
    ("bool", "{.Bicycle[?(@.IsNew==true)]}", STORE, '{"Color":"red","Price":19.95,"IsNew":true}'),
]


@pytest.mark.parametrize(("name", "template", "data", "expect"), STORE_CASES)
def test_struct_input(name: str, template: str, data: object, expect: str) -> None:
    """``TestStructInput`` ``storeTests``."""
    assert JSONPath(template).execute(data) == expect


def test_struct_input_super_recursive_is_an_error() -> None:
    """``TestStructInput`` ``superrecurfields``: a run of dots is refused."""
    with pytest.raises(JSONPathError, match="invalid multiple recursive descent"):
        JSONPath("{" + "." * 60 + "Price}").execute(STORE)


@pytest.mark.parametrize(
    ("template", "expect"),
    [
        ("{.hello}", ""),
        ("before-{.hello}after", "before-after"),
    ],
)
def test_struct_input_missing_keys_allowed(template: str, expect: str) -> None:
    """``TestStructInput`` ``missingKeyTests`` (allowMissingKeys, as kubectl sets it)."""
    assert JSONPath(template, allow_missing_keys=True).execute(STORE) == expect


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("{hello}", "unrecognized identifier hello"),
        ("{.hello}", "hello is not found"),
        ("{.Labels[0]}", "map[string]int is not array or slice"),
        ("{.Book[?(@.Price<>10)]}", "unrecognized filter operator <>"),
        ("{range .Labels.*}{@}{end}{end}", "not in range, nothing to end"),
    ],
)
def test_struct_input_failures(template: str, message: str) -> None:
    """``TestStructInput`` ``failStoreTests``: the exact error messages."""
    with pytest.raises(JSONPathError) as caught:
        JSONPath(template).execute(STORE)
    assert str(caught.value) == message


# -- TestJSONInput ------------------------------------------------------------------------
POINTS = json.loads("""[
    {"id": "i1", "x":4, "y":-5}, {"id": "i2", "x":-2, "y":-5, "z":1},
    {"id": "i3", "x":  8, "y":  3 }, {"id": "i4", "x": -6, "y": -1 },
    {"id": "i5", "x":  0, "y":  2, "z": 1 }, {"id": "i6", "x":  1, "y":  4 }]""")


@pytest.mark.parametrize(
    ("template", "expect"),
    [
        ("{[?(@.z)].id}", "i2 i5"),
        ("{[0]['id']}", "i1"),
    ],
)
def test_json_input(template: str, expect: str) -> None:
    """``TestJSONInput``: an exists filter and a bracketed key."""
    assert JSONPath(template).execute(POINTS) == expect


# -- TestKubernetes -----------------------------------------------------------------------
NODES = json.loads("""{
  "kind": "List",
  "items":[
    {"kind":"None",
     "metadata":{"name":"127.0.0.1", "labels":{"kubernetes.io/hostname":"127.0.0.1"}},
     "status":{"capacity":{"cpu":"4"}, "ready": true,
               "addresses":[{"type": "LegacyHostIP", "address":"127.0.0.1"}]}},
    {"kind":"None",
     "metadata":{"name":"127.0.0.2", "labels":{"kubernetes.io/hostname":"127.0.0.2"}},
     "status":{"capacity":{"cpu":"8"}, "ready": false,
               "addresses":[{"type": "LegacyHostIP", "address":"127.0.0.2"},
                            {"type": "another", "address":"127.0.0.3"}]}}],
  "users":[{"name": "myself", "user": {}},
           {"name": "e2e", "user": {"username": "admin", "password": "secret"}}]
}""")
KUBERNETES_CASES = [
    ("{range .items[*]}{.metadata.name}, {end}{.kind}", "127.0.0.1, 127.0.0.2, List"),
    ('{range .items[*]}{.metadata.name}{"\\t"}{end}', "127.0.0.1\t127.0.0.2\t"),
    ("{.items[*].status.addresses[*].address}", "127.0.0.1 127.0.0.2 127.0.0.3"),
    (
        "{range .items[*]}{range .status.addresses[*]}{.address}, {end}{end}",
        "127.0.0.1, 127.0.0.2, 127.0.0.3, ",
    ),
    ("{.items[*].metadata.name}", "127.0.0.1 127.0.0.2"),
    (
        "{.items[*]['metadata.name', 'status.capacity']}",
        '127.0.0.1 127.0.0.2 {"cpu":"4"} {"cpu":"8"}',
    ),
    (
        "{range .items[*]}[{.metadata.name}, {.status.capacity}] {end}",
        '[127.0.0.1, {"cpu":"4"}] [127.0.0.2, {"cpu":"8"}] ',
    ),
    ('{.users[?(@.name=="e2e")].user.password}', "secret"),
    (r"{.items[0].metadata.labels.kubernetes\.io/hostname}", "127.0.0.1"),
    (r'{.items[?(@.metadata.labels.kubernetes\.io/hostname=="127.0.0.1")].kind}', "None"),
    ("{.items[?(@..ready==true)].metadata.name}", "127.0.0.1"),
]


@pytest.mark.parametrize(("template", "expect"), KUBERNETES_CASES)
def test_kubernetes(template: str, expect: str) -> None:
    """``TestKubernetes`` ``nodesTests``: ranges, unions, escaped dots, filters."""
    assert JSONPath(template).execute(NODES) == expect


def test_kubernetes_recursive_name() -> None:
    """``TestKubernetes`` ``randomPrintOrderTests`` (compared sorted, as upstream)."""
    out = JSONPath("{..name}").execute(NODES)
    assert sorted(out.split()) == sorted(["127.0.0.1", "127.0.0.2", "myself", "e2e"])


# -- TestEmptyRange, TestNestedRanges -----------------------------------------------------
@pytest.mark.parametrize(
    "template",
    [
        "{range .items[*]}{.metadata.name}{end}",
        '{range .items[*]}{.metadata.name}{":"}{range @.spec.containers[*]}{.name}{","}{end}'
        '{"+"}{end}',
    ],
)
def test_empty_range(template: str) -> None:
    """``TestEmptyRange``: a range over nothing prints nothing, nested or not."""
    assert JSONPath(template, allow_missing_keys=True).execute({"items": []}) == ""


PODS = json.loads("""{"items": [
  {"metadata": {"name": "pod1"}, "spec": {"containers": [
     {"name": "foo", "another": [{"name": "value1"}, {"name": "value2"}]},
     {"name": "bar", "another": [{"name": "value1"}, {"name": "value2"}]}]}},
  {"metadata": {"name": "pod2"}, "spec": {"containers": [
     {"name": "baz", "another": [{"name": "value1"}, {"name": "value2"}]}]}}]}""")


@pytest.mark.parametrize(
    ("template", "expect"),
    [
        (
            '{range .items[*]}{.metadata.name}{":"}{range @.spec.containers[*]}{.name}{","}{end}'
            '{"+"}{end}',
            "pod1:foo,bar,+pod2:baz,+",
        ),
        (
            '{range .items[*]}{.metadata.name}{"~"}{range @.spec.containers[*]}{.name}{":"}'
            '{range @.another[*]}{.name}{","}{end}{"+"}{end}{"#"}{end}',
            "pod1~foo:value1,value2,+bar:value1,value2,+#pod2~baz:value1,value2,+#",
        ),
        (
            '{range .items[*]}{.metadata.name}{"\\t"}{range @.spec.containers[*]}{.name}{" "}{end}'
            '{"\\t"}{range @.spec.containers[*]}{.name}{" "}{end}{"\\n"}{end}',
            "pod1\tfoo bar \tfoo bar \npod2\tbaz \tbaz \n",
        ),
    ],
)
def test_nested_ranges(template: str, expect: str) -> None:
    """``TestNestedRanges``: ranges inside ranges, and two at the same level."""
    assert JSONPath(template).execute(PODS) == expect


# -- TestFilterPartialMatchesSometimesMissingAnnotations ----------------------------------
ANNOTATED = {
    "kind": "List",
    "items": [
        {"kind": "Pod", "metadata": {"name": "pod1", "annotations": {"color": "blue"}}},
        {"kind": "Pod", "metadata": {"name": "pod2"}},
        {"kind": "Pod", "metadata": {"name": "pod3", "annotations": {"color": "green"}}},
        {"kind": "Pod", "metadata": {"name": "pod4", "annotations": {"color": "blue"}}},
    ],
}
_BLUE = '{.items[?(@.metadata.annotations.color=="blue")].metadata.name}'


def test_filter_partial_matches_tolerates_missing_keys() -> None:
    """Issue 45546: items without the annotation are skipped when keys may be missing."""
    assert JSONPath(_BLUE, allow_missing_keys=True).execute(ANNOTATED) == "pod1 pod4"


def test_filter_partial_matches_errors_without_missing_keys() -> None:
    """... and are an error when they may not."""
    with pytest.raises(JSONPathError, match="annotations is not found"):
        JSONPath(_BLUE).execute(ANNOTATED)


# -- TestNegativeIndex, TestStep ----------------------------------------------------------
def containers(n: int) -> dict:
    return {
        "apiVersion": "v1",
        "kind": "Pod",
        "spec": {
            "containers": [
                {"image": "radial/busyboxplus:curl", "name": f"fake{i}"} for i in range(n)
            ]
        },
    }


NEGATIVE_CASES = [
    ("[0]", "fake0"),
    ("[0:0]", ""),
    ("[0:-1]", "fake0 fake1 fake2"),
    ("[-1:0]", None),
    ("[-1]", "fake3"),
    ("[-1:]", "fake3"),
    ("[-2]", "fake2"),
    ("[-2:]", "fake2 fake3"),
    ("[-3]", "fake1"),
    ("[-4]", "fake0"),
    ("[-4:]", "fake0 fake1 fake2 fake3"),
    ("[-5]", None),
    ("[5:5]", ""),
    ("[-5:-5]", ""),
    ("[3:1]", None),
    ("[-1:-2]", None),
]
STEP_CASES = [
    ("[0:]", "fake0 fake1 fake2 fake3 fake4 fake5"),
    ("[0:6:]", "fake0 fake1 fake2 fake3 fake4 fake5"),
    ("[0:6:1]", "fake0 fake1 fake2 fake3 fake4 fake5"),
    ("[0:6:0]", None),
    ("[0:6:-1]", None),
    ("[1:4:2]", "fake1 fake3"),
    ("[1:4:3]", "fake1"),
    ("[1:4:4]", "fake1"),
    ("[0:6:2]", "fake0 fake2 fake4"),
    ("[0:6:3]", "fake0 fake3"),
    ("[0:6:5]", "fake0 fake5"),
    ("[0:6:6]", "fake0"),
]


@pytest.mark.parametrize(
    ("count", "index", "expect"),
    [(4, i, e) for i, e in NEGATIVE_CASES] + [(6, i, e) for i, e in STEP_CASES],
)
def test_negative_index_and_step(count: int, index: str, expect: str | None) -> None:
    """``TestNegativeIndex`` and ``TestStep``: ``None`` marks an expected error."""
    path = JSONPath("{.spec.containers" + index + ".name}")
    if expect is None:
        with pytest.raises(JSONPathError):
            path.execute(containers(count))
    else:
        assert path.execute(containers(count)) == expect


def test_negative_index_messages() -> None:
    """The errors behind the ``expect error`` cases above, as client-go words them."""
    data = containers(4)
    cases = {
        "[-5]": "array index out of bounds: index -1, length 4",
        "[3:1]": "starting index 3 is greater than ending index 1",
        "[9]": "array index out of bounds: index 9, length 4",
        "[0:6:0]": "array index out of bounds: index 5, length 4",
        "[0:4:0]": "step must be > 0",
    }
    for index, message in cases.items():
        with pytest.raises(JSONPathError) as caught:
            JSONPath("{.spec.containers" + index + ".name}").execute(data)
        assert str(caught.value) == message


def test_running_pods() -> None:
    """``TestRunningPodsJSONPathOutput``: a filter without ``@`` inside a range; the item
    without a status is skipped."""
    data = {
        "kind": "List",
        "items": [
            {"kind": "Pod", "metadata": {"name": f"pod{i}"}, "status": {"phase": "Running"}}
            for i in (1, 2, 3)
        ]
        + [{"resourceVersion": "", "selfLink": ""}],
    }
    template = '{range .items[?(.status.phase=="Running")]}{.metadata.name}{" is Running\\n"}{end}'
    assert JSONPath(template, allow_missing_keys=True).execute(data) == (
        "pod1 is Running\npod2 is Running\npod3 is Running\n"
    )


# -- parser_test.go -----------------------------------------------------------------------
def L() -> tuple:
    return ("list",)


def T(text: str) -> tuple:
    return ("text", text)


def F(name: str) -> tuple:
    return ("field", name)


def A(*params: tuple[int, bool, bool]) -> tuple:
    return ("array", tuple(params))


def FL(op: str) -> tuple:
    return ("filter", op)


PARSER_CASES = [
    ("plain", "hello jsonpath", [T("hello jsonpath")]),
    ("variable", "hello {.jsonpath}", [T("hello "), L(), F("jsonpath")]),
    ("arrayfiled", "hello {['jsonpath']}", [T("hello "), L(), F("jsonpath")]),
    ("quote", '{"{"}', [L(), T("{")]),
    ("array", "{[1:3]}", [L(), A((1, True, False), (3, True, False), (0, False, False))]),
    (
        "allarray",
        "{.book[*].author}",
        [L(), F("book"), A((0, False, False), (0, False, False), (0, False, False)), F("author")],
    ),
    ("wildcard", "{.bicycle.*}", [L(), F("bicycle"), ("wildcard",)]),
    ("filter", "{[?(@.price<3)]}", [L(), FL("<"), L(), F("price"), L(), ("int", 3)]),
    ("recursive", "{..}", [L(), ("recursive",)]),
    ("recurField", "{..price}", [L(), ("recursive",), F("price")]),
    ("arraydict", "{['book.price']}", [L(), F("book"), F("price")]),
    (
        "union",
        "{['bicycle.price', 3, 'book.price']}",
        [
            L(),
            ("union",),
            L(),
            F("bicycle"),
            F("price"),
            L(),
            A((3, True, False), (4, True, True), (0, False, False)),
            L(),
            F("book"),
            F("price"),
        ],
    ),
    (
        "range",
        "{range .items}{.name},{end}",
        [
            L(),
            ("identifier", "range"),
            F("items"),
            L(),
            F("name"),
            T(","),
            L(),
            ("identifier", "end"),
        ],
    ),
    (
        "paired parentheses in quotes",
        '{[?(@.status.nodeInfo.osImage == "()")]}',
        [L(), FL("=="), L(), F("status"), F("nodeInfo"), F("osImage"), L(), T("()")],
    ),
    (
        "paired parentheses in double quotes and with double quotes escape",
        r'{[?(@.status.nodeInfo.osImage == "(\"\")")]}',
        [L(), FL("=="), L(), F("status"), F("nodeInfo"), F("osImage"), L(), T('("")')],
    ),
    (
        "unregular parentheses in double quotes",
        '{[?(@.test == "())(")]}',
        [L(), FL("=="), L(), F("test"), L(), T("())(")],
    ),
    (
        "plain text in single quotes",
        "{[?(@.status.nodeInfo.osImage == 'Linux')]}",
        [L(), FL("=="), L(), F("status"), F("nodeInfo"), F("osImage"), L(), T("Linux")],
    ),
    (
        "test filter suffix",
        '{[?(@.status.nodeInfo.osImage == "{[()]}")]}',
        [L(), FL("=="), L(), F("status"), F("nodeInfo"), F("osImage"), L(), T("{[()]}")],
    ),
    (
        "double inside single",
        "{[?(@.status.nodeInfo.osImage == \"''\")]}",
        [L(), FL("=="), L(), F("status"), F("nodeInfo"), F("osImage"), L(), T("''")],
    ),
    (
        "single inside double",
        "{[?(@.status.nodeInfo.osImage == '\"\"')]}",
        [L(), FL("=="), L(), F("status"), F("nodeInfo"), F("osImage"), L(), T('""')],
    ),
    (
        "single containing escaped single",
        r"{[?(@.status.nodeInfo.osImage == '\\\'')]}",
        [L(), FL("=="), L(), F("status"), F("nodeInfo"), F("osImage"), L(), T("\\'")],
    ),
    (
        "negative index slice, equals a[len-5] to a[len-1]",
        "{[-5:]}",
        [L(), A((-5, True, False), (0, False, False), (0, False, False))],
    ),
    (
        "negative index slice, equals a[len-1]",
        "{[-1]}",
        [L(), A((-1, True, False), (0, True, True), (0, False, False))],
    ),
    (
        "negative index slice, equals a[1] to a[len-1]",
        "{[1:-1]}",
        [L(), A((1, True, False), (-1, True, False), (0, False, False))],
    ),
]


def _shape(node) -> tuple:
    if node.kind == "array":
        return ("array", tuple((p.value, p.known, p.derived) for p in node.params))
    if node.kind == "filter":
        return ("filter", node.operator)
    if node.kind in ("list", "union", "wildcard", "recursive"):
        return (node.kind,)
    return (node.kind, node.value)


@pytest.mark.parametrize(("name", "text", "nodes"), PARSER_CASES)
def test_parser(name: str, text: str, nodes: list[tuple]) -> None:
    """``parserTests``: the node sequence (``collectNode`` order, root left out)."""
    assert [_shape(n) for n in parse(text).walk()[1:]] == nodes


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{.hello", "unclosed action"),
        ("{*}", "unrecognized character in action: U+002A '*'"),
        ("{+12.3.0}", "cannot parse number +12.3.0"),
        ("{[1}", "unterminated array"),
        ("{[?(.price]}", "unterminated filter"),
        ("{........}", "invalid multiple recursive descent"),
        ("{\\\\\\}", "unrecognized character in action: U+005C '\\'"),  # "malformat input"
    ],
)
def test_fail_parser(text: str, message: str) -> None:
    """``TestFailParser`` (and ``parserTests`` "malformat input"): the exact messages."""
    with pytest.raises(JSONPathError) as caught:
        parse(text)
    assert str(caught.value) == message


UPSTREAM_CASES = (
    len(TYPE_CASES)
    + len(STORE_CASES)
    + 1
    + 2
    + 5
    + 2
    + len(KUBERNETES_CASES)
    + 1
    + 2
    + 3
    + 2
    + len(NEGATIVE_CASES)
    + 1
    + len(STEP_CASES)
    + len(PARSER_CASES)
    + 1
    + 6
)


def test_count_of_restated_cases() -> None:
    """The number of upstream cases restated here (reported with the commit)."""
    assert UPSTREAM_CASES == 154


# -- beyond the tables --------------------------------------------------------------------
def test_comparisons_follow_go_template_kinds() -> None:
    """funcs.go: int against float is "incompatible types", ``<`` on bools is invalid."""
    with pytest.raises(JSONPathError, match="incompatible types for comparison"):
        JSONPath("{[?(@.p<3)]}").execute([{"p": 8.95}])
    with pytest.raises(JSONPathError, match="invalid type for comparison"):
        JSONPath("{[?(@.b<true)]}").execute([{"b": False}])
    assert JSONPath("{[?(@.p>=3.0)].p}").execute([{"p": 8.95}, {"p": 1.5}]) == "8.95"


def test_null_prints_as_go_nil_and_json_output() -> None:
    """A JSON null prints as ``<nil>``; ``-o jsonpath-as-json`` wraps results in an array."""
    assert JSONPath("{.a}").execute({"a": None}) == "<nil>"
    assert JSONPath("{.a[*]}").execute({"a": [1, "x"]}, json_output=True) == (
        '[\n    1,\n    "x"\n]\n'
    )


def test_params_are_not_shared_between_runs() -> None:
    """A slice's parameters are resolved per list: running twice gives the same text."""
    path = JSONPath("{.a[-1]}")
    assert [path.execute({"a": [1, 2]}), path.execute({"a": [1, 2, 3]})] == ["2", "3"]
    assert Param().known is False


@given(st.lists(st.integers(-(10**6), 10**6), max_size=8), st.integers(-9, 9))
def test_index_matches_python_within_bounds(items: list[int], index: int) -> None:
    """``[i]`` is Python's ``items[i]`` whenever that exists, an error otherwise."""
    path = JSONPath(f"{{.a[{index}]}}")
    if -len(items) <= index < len(items):
        assert path.execute({"a": items}) == str(items[index])
    else:
        with pytest.raises(JSONPathError):
            path.execute({"a": items})


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_go_sprint_float_reads_back(number: float) -> None:
    """``%v`` of a float64 is a shortest form that reads back to the same number."""
    assert float(go_sprint(number)) == number


@pytest.mark.parametrize(
    ("template", "expect"),
    [
        ("kind is {.kind}", "kind is List"),
        ("{['kind']}", "List"),
        ("{.items[0].metadata.name}", "127.0.0.1"),
        ("{$.kind}", "List"),
        ("{.items[0]['metadata.name', 'status.capacity']}", '127.0.0.1 {"cpu":"4"}'),
        ('{.items[?(@.metadata.name=="127.0.0.1")].status.capacity}', '{"cpu":"4"}'),
        ("{'{'}", "{"),
    ],
)
def test_kubectl_reference_examples(template: str, expect: str) -> None:
    """The function table of kubernetes.io ``docs/reference/kubectl/jsonpath`` (the same
    input as ``TestKubernetes``); maps print as JSON, as client-go prints them today."""
    assert JSONPath(template).execute(NODES) == expect


def test_escaped_dot_in_a_bracketed_key() -> None:
    """``{['name\\.type']}`` reads the key ``name.type`` (the docs' child-operator example)."""
    assert JSONPath(r"{['name\.type']}").execute({"name.type": "x", "name": {"type": "y"}}) == "x"


def test_current_object() -> None:
    """``{@}`` is the whole input, printed as JSON."""
    assert JSONPath("{@}").execute({"b": 1, "a": [True]}) == '{"a":[true],"b":1}'
