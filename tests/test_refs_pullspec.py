"""Tests for simkit.refs.pullspec (OpenShift library-go ``reference.Parse``).

Tables restate library-go ``pkg/image/reference/reference_test.go`` (TestParse) and
openshift-apiserver ``pkg/image/apis/image/helper_test.go`` (whose
``DockerImageReference`` is an alias of library-go's), case by case.
"""

from __future__ import annotations

import string
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simkit.refs import (
    DOCKER_DEFAULT_NAMESPACE,
    DOCKER_DEFAULT_REGISTRY,
    DOCKER_DEFAULT_V1_REGISTRY,
    DOCKER_DEFAULT_V2_REGISTRY,
    DockerImageReference,
    InvalidReference,
    is_registry_docker_hub,
    parse_pull_spec,
    split_host_port,
)
from simkit.refs.errors import (
    ERR_CHECKSUM_INVALID_LENGTH,
    ERR_NAME_CONTAINS_UPPERCASE,
    ERR_NAME_EMPTY,
    ERR_NAME_TOO_LONG,
    ERR_REFERENCE_INVALID_FORMAT,
)

SHA = "sha256:3c87c572822935df60f0f5d3665bd376841a7fcfeb806b5f212de6a00e9a7b25"
HEX = SHA.partition(":")[2]


def ref(
    registry: str = "", namespace: str = "", name: str = "", tag: str = "", id: str = ""
) -> DockerImageReference:
    return DockerImageReference(registry, namespace, name, tag, id)


ERROR = None  # TestParse's ``Err: true``

# --- library-go reference_test.go: TestParse ---------------------------------------------
PARSE_CASES = [
    ("foo", ref(name="foo")),
    ("foo:tag", ref(name="foo", tag="tag")),
    (SHA, ref(name="sha256", tag=HEX)),
    ("foo@" + SHA, ref(name="foo", id=SHA)),
    ("bar/foo", ref(namespace="bar", name="foo")),
    ("bar/foo:tag", ref(namespace="bar", name="foo", tag="tag")),
    ("bar/foo@" + SHA, ref(namespace="bar", name="foo", id=SHA)),
    ("bar/foo/baz", ref(namespace="bar", name="foo/baz")),
    ("bar/library/baz", ref(namespace="bar", name="library/baz")),
    ("bar/foo/baz:tag", ref(namespace="bar", name="foo/baz", tag="tag")),
    ("bar/foo/baz@" + SHA, ref(namespace="bar", name="foo/baz", id=SHA)),
    ("bar:5000/foo/baz", ref("bar:5000", "foo", "baz")),
    ("bar:5000/library/baz", ref("bar:5000", "library", "baz")),
    ("bar:5000/baz", ref("bar:5000", name="baz")),
    ("bar:5000/foo/baz:tag", ref("bar:5000", "foo", "baz", tag="tag")),
    ("bar:5000/foo/baz@" + SHA, ref("bar:5000", "foo", "baz", id=SHA)),
    ("myregistry.io/foo", ref("myregistry.io", name="foo")),
    ("localhost/bar", ref("localhost", name="bar")),
    ("docker.io/library/myapp", ref("docker.io", "library", "myapp")),
    ("docker.io/myapp", ref("docker.io", name="myapp")),
    ("docker.io/user/myapp", ref("docker.io", "user", "myapp")),
    ("docker.io/user/project/myapp", ref("docker.io", "user", "project/myapp")),
    ("index.docker.io/bar", ref("index.docker.io", name="bar")),
    # registry/namespace/name == 255 chars
    (
        f"bar:5000/{'a' * 63}/{'b' * 182}:tag",
        ref("bar:5000", "a" * 63, "b" * 182, tag="tag"),
    ),
    # docker.io/namespace/name == 255 chars with explicit namespace
    (f"docker.io/library/{'b' * 231}:tag", ref("docker.io", "library", "b" * 231, tag="tag")),
    # docker.io/namespace/name == 255 chars with implicit namespace
    (f"docker.io/{'b' * 231}:tag", ref("docker.io", name="b" * 231, tag="tag")),
    ("quay.io", ref("quay.io")),
    ("quay.io/org", ref("quay.io", name="org")),
    ("localhost:5000", ref("localhost:5000")),
    ("localhost:5000/org", ref("localhost:5000", name="org")),
    ("wildfly:15.0", ref(name="wildfly", tag="15.0")),
    # registry/namespace/name > 255 chars
    (f"bar:5000/{'a' * 63}/{'b' * 183}:tag", ERROR),
    # docker.io/name > 255 chars with implicit namespace
    (f"docker.io/{'b' * 246}:tag", ERROR),
    ("registry.io/foo/bar/:Tag", ERROR),
    ("https://bar:5000/foo/baz", ERROR),
    ("http://bar:5000/foo/baz@" + SHA, ERROR),
    ("registry:3000/integration/imageStream:success", ERROR),
    ("registry:5000/integration/test-image-stream@sha256:00000000000000000000000000000001", ERROR),
    ("abc@badid", ERROR),
    ("index.docker.io/mysql@sha256:bad", ERROR),
    ("@" + SHA, ERROR),
    (":tag", ERROR),
    ("bar/foo/baz/biz", ref(namespace="bar", name="foo/baz/biz")),
    ("bar/foo/baz////biz", ERROR),
    ("//foo/baz/biz", ERROR),
    ("ftp://baz/baz/biz", ERROR),
    ("", ERROR),
]


@pytest.mark.parametrize(("text", "expected"), PARSE_CASES)
def test_parse(text: str, expected: DockerImageReference | None) -> None:
    if expected is ERROR:
        with pytest.raises(InvalidReference):
            parse_pull_spec(text)
        return
    assert parse_pull_spec(text) == expected


ERROR_MESSAGES = [
    (f"bar:5000/{'a' * 63}/{'b' * 183}:tag", ERR_NAME_TOO_LONG),
    ("registry:3000/integration/imageStream:success", ERR_NAME_CONTAINS_UPPERCASE),
    (
        "registry:5000/integration/test-image-stream@sha256:00000000000000000000000000000001",
        ERR_CHECKSUM_INVALID_LENGTH,
    ),
    ("https://bar:5000/foo/baz", ERR_REFERENCE_INVALID_FORMAT),
    ("", ERR_NAME_EMPTY),
]


@pytest.mark.parametrize(("text", "message"), ERROR_MESSAGES)
def test_parse_error_messages(text: str, message: str) -> None:
    with pytest.raises(InvalidReference) as info:
        parse_pull_spec(text)
    assert str(info.value) == message


# --- openshift-apiserver helper_test.go: TestDockerImageReferenceAsRepository -------------
AS_REPOSITORY_CASES = [
    (ref(namespace="bar", name="foo", tag="tag"), "bar/foo"),
    (ref(namespace="bar", name="foo", id=SHA), "bar/foo"),
    (ref("bar", "foo", "baz"), "bar/foo/baz"),
]


@pytest.mark.parametrize(("value", "expected"), AS_REPOSITORY_CASES)
def test_as_repository(value: DockerImageReference, expected: str) -> None:
    assert str(value.as_repository()) == expected


# --- openshift-apiserver helper_test.go: TestDockerImageReferenceDaemonMinimal ------------
DAEMON_MINIMAL_CASES = [
    (ref(namespace="library", name="foo", tag="tag"), "library/foo:tag"),
    (ref(namespace="bar", name="foo", id=SHA), "bar/foo@" + SHA),
    (ref("bar", "foo", "baz"), "bar/foo/baz"),
    (ref("localhost:5000", "library", "bar", "latest"), "localhost:5000/library/bar"),
    (ref("index.docker.io", "foo", "bar", "latest"), "docker.io/foo/bar"),
    (ref("registry-1.docker.io", "library", "foo", "bar"), "docker.io/foo:bar"),
    (ref("docker.io", "foo", "library"), "docker.io/foo/library"),
    (ref("registry-1.docker.io", name="library", tag="foo"), "docker.io/library:foo"),
]


@pytest.mark.parametrize(("value", "expected"), DAEMON_MINIMAL_CASES)
def test_daemon_minimal(value: DockerImageReference, expected: str) -> None:
    assert value.daemon_minimal().exact() == expected


# --- openshift-apiserver helper_test.go: TestDockerImageReferenceString -------------------
STRING_CASES = [
    (ref(name="foo"), "foo"),
    (ref(name="foo", tag="tag"), "foo:tag"),
    (ref(name="foo", id=SHA), "foo@" + SHA),
    (ref(name="foo", id=HEX), "foo:" + HEX),
    (ref(namespace="bar", name="foo"), "bar/foo"),
    (ref(namespace="bar", name="foo", tag="tag"), "bar/foo:tag"),
    (ref(namespace="bar", name="foo", id=SHA), "bar/foo@" + SHA),
    (ref("bar", "foo", "baz"), "bar/foo/baz"),
    (ref("bar", "foo", "baz", tag="tag"), "bar/foo/baz:tag"),
    (ref("bar", "foo", "baz", id=SHA), "bar/foo/baz@" + SHA),
    (ref("bar:5000", "foo", "baz"), "bar:5000/foo/baz"),
    (ref("bar:5000", "foo", "baz", tag="tag"), "bar:5000/foo/baz:tag"),
    (ref("bar:5000", "library", "baz", tag="tag"), "bar:5000/library/baz:tag"),
    (ref("bar:5000", "foo", "baz", id=SHA), "bar:5000/foo/baz@" + SHA),
    (ref("docker.io", "user", "app"), "docker.io/user/app"),
    (ref("index.docker.io", name="foo"), "index.docker.io/library/foo"),
    (ref("index.docker.io", "library", "bar", id=SHA), "index.docker.io/library/bar@" + SHA),
]


@pytest.mark.parametrize(("value", "expected"), STRING_CASES)
def test_string(value: DockerImageReference, expected: str) -> None:
    assert str(value) == expected


# --- openshift-apiserver helper_test.go: TestDockerImageReferenceEquality -----------------
EQUALITY_CASES = [
    (ref(), ref(), True),
    (ref(name="openshift"), ref(name="openshift"), True),
    (ref(name="openshift"), ref(name="openshift3"), False),
    (
        ref(name="openshift"),
        ref(DOCKER_DEFAULT_REGISTRY, DOCKER_DEFAULT_NAMESPACE, "openshift", "latest"),
        True,
    ),
    (
        ref(name="openshift"),
        ref(DOCKER_DEFAULT_REGISTRY, DOCKER_DEFAULT_NAMESPACE, "openshift", "v1.0"),
        False,
    ),
    (
        ref(name="openshift"),
        ref(DOCKER_DEFAULT_REGISTRY, DOCKER_DEFAULT_NAMESPACE, "openshift", "latest", "d0a28ab59a"),
        False,
    ),
]


@pytest.mark.parametrize(("a", "b", "expected"), EQUALITY_CASES)
def test_equality(a: DockerImageReference, b: DockerImageReference, expected: bool) -> None:
    assert a.equal(b) is expected
    assert b.equal(a) is expected


# --- further behaviour ---------------------------------------------------------------------
def test_constants() -> None:
    assert (DOCKER_DEFAULT_REGISTRY, DOCKER_DEFAULT_V1_REGISTRY, DOCKER_DEFAULT_V2_REGISTRY) == (
        "docker.io",
        "index.docker.io",
        "registry-1.docker.io",
    )
    assert all(
        map(is_registry_docker_hub, ["docker.io", "index.docker.io", "registry-1.docker.io"])
    )
    assert not is_registry_docker_hub("quay.io")


def test_name_string_and_exact() -> None:
    both = ref("quay.io", "ns", "app", tag="1", id=SHA)
    assert both.name_string() == "app@" + SHA  # the ID wins over the tag
    assert both.exact() == "quay.io/ns/app@" + SHA
    assert ref(registry="quay.io", tag="x").exact() == ""  # no name, nothing printed
    assert ref(name="app", id="notadigest").name_string() == "app:notadigest"


def test_most_specific() -> None:
    assert ref(name="a", tag="t", id=SHA).most_specific() == ref(name="a", id=SHA)
    assert ref(name="a", id="v1id").most_specific() == ref(name="a", tag="v1id")
    assert ref(name="a", tag="t", id="v1id").most_specific() == ref(name="a", tag="t", id="v1id")
    assert ref(name="a", tag="t").most_specific() == ref(name="a", tag="t")
    # The importer records MostSpecific().Exact(): mysql:8 -> mysql@sha256:...
    assert parse_pull_spec("mysql:8@" + SHA).most_specific().exact() == "mysql@" + SHA


def test_docker_client_defaults_and_repository_names() -> None:
    spec = parse_pull_spec("mysql")
    assert spec.docker_client_defaults() == ref("docker.io", "library", "mysql", "latest")
    assert parse_pull_spec("quay.io/a/b").docker_client_defaults().namespace == "a"
    assert parse_pull_spec("quay.io/b").docker_client_defaults() == ref(
        "quay.io", "", "b", "latest"
    )
    assert parse_pull_spec("quay.io/a/b:1@" + SHA).repository_name() == "quay.io/a/b"
    assert parse_pull_spec("quay.io/a/b:1@" + SHA).registry_relative_name() == "a/b"
    assert parse_pull_spec("docker.io/mysql:8").minimal().exact() == "docker.io/mysql:8"


def test_registry_only_quirks() -> None:
    # A single component with a "." or a "localhost" prefix is a bare registry, and the
    # tag and digest stay inside Registry (namedRef.String()).
    assert parse_pull_spec("quay.io:tag") == ref("quay.io:tag")
    assert parse_pull_spec("localhostfoo") == ref("localhostfoo")
    assert parse_pull_spec("quay.io@" + SHA) == ref("quay.io@" + SHA, id=SHA)


def test_no_normalisation_and_differences_from_kubernetes() -> None:
    assert parse_pull_spec("Foo/bar") == ref(namespace="Foo", name="bar")
    # The registry test is textual ("." or ":" or localhost), not the grammar's domain rule.
    assert parse_pull_spec("foo_bar.com/x") == ref("foo_bar.com", name="x")
    with pytest.raises(InvalidReference):
        parse_pull_spec("[::1]:5000/repo")  # no IPv6 in library-go's grammar
    assert parse_pull_spec("repo@sha256:" + "A" * 64).id == "sha256:" + "A" * 64


def test_registry_host_port_and_url() -> None:
    assert parse_pull_spec("docker.io/mysql").registry_host_port() == (
        "registry-1.docker.io",
        "443",
    )
    assert parse_pull_spec("quay.io/a/b").registry_host_port(insecure=True) == ("quay.io", "80")
    assert parse_pull_spec("localhost:5000/a").registry_host_port() == ("localhost", "5000")
    assert parse_pull_spec("index.docker.io/a").registry_url() == "https://registry-1.docker.io"
    assert split_host_port("[::1]:5000") == ("::1", "5000")
    assert split_host_port("noport") is None
    assert split_host_port("[::1]") is None
    assert split_host_port("[::1]x:5") is None


# --- property tests -------------------------------------------------------------------------
_COMPONENT = st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=8)
_REGISTRY = st.one_of(
    st.just("quay.io"),
    st.just("localhost"),
    st.builds(
        lambda h, p: f"{h}:{p}", st.sampled_from(["reg", "10.0.0.1", "x.io"]), st.integers(1, 65535)
    ),
)
_TAG = st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,12}", fullmatch=True)
_ID = st.sampled_from(["sha256:" + c * 64 for c in "0af"])


@st.composite
def pull_specs(draw: st.DrawFn) -> str:
    text = "/".join(draw(st.lists(_COMPONENT, min_size=1, max_size=4)))
    if draw(st.booleans()):
        text = draw(_REGISTRY) + "/" + text
    if draw(st.booleans()):
        text += ":" + draw(_TAG)
    if draw(st.booleans()):
        text += "@" + draw(_ID)
    return text


PROPERTY_SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


@PROPERTY_SETTINGS
@given(pull_specs())
def test_property_exact_round_trip(text: str) -> None:
    spec = parse_pull_spec(text)
    if not spec.name:
        return
    expected = replace(spec, tag="") if spec.id else spec
    assert parse_pull_spec(spec.exact()) == expected
    assert spec.equal(spec)
    defaults = spec.docker_client_defaults()
    assert defaults.docker_client_defaults() == defaults


@PROPERTY_SETTINGS
@given(st.text())
def test_property_arbitrary_text_only_raises_invalid_reference(text: str) -> None:
    try:
        result = parse_pull_spec(text)
    except InvalidReference:
        return
    assert isinstance(result, DockerImageReference)
