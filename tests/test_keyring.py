"""Keyring matching and ordering.

The first part restates every example of Kubernetes ``pkg/credentialprovider/
keyring_test.go`` and ``secrets/secrets_test.go`` (upstream calls ``Lookup`` with the
string as given, so they use :meth:`Keyring.lookup_raw`); the rest pins down the
kubelet behaviour simkit relies on.
"""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simkit.credentials import (
    Credential,
    DockerConfigError,
    Keyring,
    UnionKeyring,
    is_default_registry_match,
    keyring_from_secrets,
    registry_key,
    urls_match,
)
from simkit.refs import InvalidReference


def auth_of(username: str, password: str) -> str:
    return base64.b64encode(f"{username}:{password}".encode()).decode()


def triples(creds: list[Credential]) -> list[tuple[str, str, str]]:
    return [(c.username, c.password, c.email) for c in creds]


# --- keyring_test.go: TestURLsMatch ---------------------------------------------------

URLS_MATCH = [
    # match when there is no path component
    ("*.kubernetes.io", "prefix.kubernetes.io", True),
    ("prefix.*.io", "prefix.kubernetes.io", True),
    ("prefix.kubernetes.*", "prefix.kubernetes.io", True),
    ("*-good.kubernetes.io", "prefix-good.kubernetes.io", True),
    # match with path components
    ("*.kubernetes.io/blah", "prefix.kubernetes.io/blah", True),
    ("prefix.*.io/foo", "prefix.kubernetes.io/foo/bar", True),
    # match with path components and ports
    ("*.kubernetes.io:1111/blah", "prefix.kubernetes.io:1111/blah", True),
    ("prefix.*.io:1111/foo", "prefix.kubernetes.io:1111/foo/bar", True),
    # no match when number of parts mismatch
    ("*.kubernetes.io", "kubernetes.io", False),
    ("*.*.kubernetes.io", "prefix.kubernetes.io", False),
    ("*.*.kubernetes.io", "kubernetes.io", False),
    ("*kubernetes.io", "a.kubernetes.io", False),
    # match when number of parts match
    ("*kubernetes.io", "kubernetes.io", True),
    ("*.*.*.kubernetes.io", "a.b.c.kubernetes.io", True),
    # no match when some parts mismatch
    ("kubernetes.io", "kubernetes.com", False),
    ("k*.io", "quay.io", False),
    # no match when ports mismatch
    ("*.kubernetes.io:1234/blah", "prefix.kubernetes.io:1111/blah", False),
    ("prefix.*.io/foo", "prefix.kubernetes.io:1111/foo/bar", False),
]


@pytest.mark.parametrize(("glob", "target", "expected"), URLS_MATCH)
def test_urls_match_upstream(glob: str, target: str, expected: bool) -> None:
    assert urls_match(glob, target) is expected


# --- keyring_test.go: TestDockerKeyringForGlob and TestKeyringMiss ---------------------


def legacy_config(key: str) -> str:
    """The ``.dockercfg`` blob the upstream glob tests build."""
    entry = {"email": "foo@bar.baz", "auth": auth_of("foo", "bar")}
    return json.dumps({key: entry}, indent=3)


GLOB_HITS = [
    ("https://hello.kubernetes.io", "hello.kubernetes.io"),
    ("https://*.docker.io", "prefix.docker.io"),
    ("https://prefix.*.io", "prefix.docker.io"),
    ("https://prefix.docker.*", "prefix.docker.io"),
    ("https://*.docker.io/path", "prefix.docker.io/path"),
    ("https://prefix.*.io/path", "prefix.docker.io/path/subpath"),
    ("https://prefix.docker.*/path", "prefix.docker.io/path"),
    ("https://*.docker.io:8888", "prefix.docker.io:8888"),
    ("https://prefix.*.io:8888", "prefix.docker.io:8888"),
    ("https://prefix.docker.*:8888", "prefix.docker.io:8888"),
    ("https://*.docker.io/path:1111", "prefix.docker.io/path:1111"),
    ("https://*.docker.io/v1/", "prefix.docker.io/path:1111"),
    ("https://*.docker.io/v2/", "prefix.docker.io/path:1111"),
    ("https://prefix.docker.*/path:1111", "prefix.docker.io/path:1111"),
    ("prefix.docker.io:1111", "prefix.docker.io:1111/path"),
    ("*.docker.io:1111", "prefix.docker.io:1111/path"),
]


@pytest.mark.parametrize(("glob", "target"), GLOB_HITS)
def test_keyring_for_glob_upstream(glob: str, target: str) -> None:
    keyring = Keyring.from_docker_config(legacy_config(glob).encode(), form="dockercfg")
    creds = keyring.lookup_raw(target + "/foo/bar")
    assert creds, f"didn't find expected URL: {target}"
    assert triples(creds)[0] == ("foo", "bar", "foo@bar.baz")


GLOB_MISSES = [
    ("https://hello.kubernetes.io", "world.mesos.org/foo/bar"),
    ("https://*.docker.com", "prefix.docker.io"),
    ("https://suffix.*.io", "prefix.docker.io"),
    ("https://prefix.docker.c*", "prefix.docker.io"),
    ("https://prefix.*.io/path:1111", "prefix.docker.io/path/subpath:1111"),
    ("suffix.*.io", "prefix.docker.io"),
]


@pytest.mark.parametrize(("glob", "target"), GLOB_MISSES)
def test_keyring_miss_upstream(glob: str, target: str) -> None:
    keyring = Keyring.from_docker_config(legacy_config(glob).encode(), form="dockercfg")
    assert keyring.lookup_raw(target + "/foo/bar") == []


# --- keyring_test.go: Docker Hub credentials --------------------------------------------

DOCKER_HUB_KEY = "index.docker.io/v1/"  # upstream defaultRegistryKey


def docker_hub_keyring() -> Keyring:
    return Keyring.from_docker_config(legacy_config("https://" + DOCKER_HUB_KEY))


def test_keyring_miss_with_docker_hub_credentials_upstream() -> None:
    assert docker_hub_keyring().lookup_raw("world.mesos.org/foo/bar") == []


@pytest.mark.parametrize(
    "image",
    [
        "google/docker-registry",  # TestKeyringHitWithUnqualifiedDockerHub
        "jenkins",  # TestKeyringHitWithUnqualifiedLibraryDockerHub
    ],
)
def test_keyring_hit_with_unqualified_docker_hub_upstream(image: str) -> None:
    creds = docker_hub_keyring().lookup_raw(image)
    assert triples(creds) == [("foo", "bar", "foo@bar.baz")]


def test_keyring_hit_with_qualified_docker_hub_upstream() -> None:
    creds = docker_hub_keyring().lookup_raw(DOCKER_HUB_KEY + "/google/docker-registry")
    assert 1 <= len(creds) <= 2
    assert triples(creds)[0] == ("foo", "bar", "foo@bar.baz")


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        ("foo/bar", True),
        ("docker.io/foo/bar", True),
        ("index.docker.io/foo/bar", True),
        ("foo", True),
        ("", False),
        ("registry.tld/foo/bar", False),
        ("registry:5000/foo/bar", False),
        ("myhostdocker.io/foo/bar", False),
    ],
)
def test_is_default_registry_match_upstream(image: str, expected: bool) -> None:
    assert is_default_registry_match(image) is expected


# --- keyring_test.go: TestDockerKeyringLookup and TestIssue3797 ------------------------

ADA = ("ada", "smash", "ada@example.com")
GRACE = ("grace", "squash", "grace@example.com")


def entry(username: str, password: str, email: str) -> dict[str, str]:
    return {"username": username, "password": password, "email": email}


@pytest.mark.parametrize(
    ("image", "expected"),
    [
        ("bar.example.com", [ADA]),  # direct match
        ("bar.example.com/pong", [GRACE, ADA]),  # direct match deeper than other matches
        ("bar.example.com/ping", [ADA]),  # no direct match, deeper path ignored
        ("bar.example.com/pongz", [GRACE, ADA]),  # match first part of path token
        ("bar.example.com/pong/pang", [GRACE, ADA]),  # match regardless of sub-path
        ("example.com", []),  # no host match
        ("foo.example.com", []),
    ],
)
def test_docker_keyring_lookup_upstream(image: str, expected: list) -> None:
    keyring = Keyring.from_docker_config(
        {
            "bar.example.com/pong": entry(*GRACE),
            "bar.example.com": entry(*ADA),
        }
    )
    assert triples(keyring.lookup_raw(image)) == expected


@pytest.mark.parametrize("image", ["quay.io", "quay.io/foo", "quay.io/foo/bar"])
def test_issue_3797_upstream(image: str) -> None:
    """A key with a scheme and a /v1/ path is matched by images of the host."""
    rex = ("rex", "tiny arms", "rex@example.com")
    keyring = Keyring.from_docker_config({"https://quay.io/v1/": entry(*rex)})
    assert triples(keyring.lookup_raw(image)) == [rex]


# --- secrets_test.go: Test_MakeDockerKeyring -------------------------------------------


class FakeKeyring:
    """secrets_test.go's fakeKeyring: always answers with its own credentials."""

    def __init__(self, creds: list[tuple[str, str]]) -> None:
        self.creds = [Credential(u, p, "default") for u, p in creds]

    def lookup_raw(self, repo: str) -> list[Credential]:
        return list(self.creds)


USER = [("user", "password")]
DEFAULT = [("default-user", "default-password")]
AUTH_JSON = '{"auths": {"test.registry.io": {"auth": "dXNlcjpwYXNzd29yZA=="}}}'
AUTH_CFG = '{"test.registry.io": {"auth": "dXNlcjpwYXNzd29yZA=="}}'
PLAIN_JSON = '{"auths": {"test.registry.io": {"username": "user", "password": "password"}}}'
PLAIN_CFG = '{"test.registry.io": {"username": "user", "password": "password"}}'
JSON_TYPE, CFG_TYPE = "kubernetes.io/dockerconfigjson", "kubernetes.io/dockercfg"
JSON_KEY, CFG_KEY = ".dockerconfigjson", ".dockercfg"


@pytest.mark.parametrize(
    ("secrets", "default", "expected"),
    [
        pytest.param(
            [(JSON_TYPE, JSON_KEY, AUTH_JSON)], [], USER, id="with .dockerconfigjson and auth field"
        ),
        pytest.param(
            [(CFG_TYPE, CFG_KEY, AUTH_CFG)], [], USER, id="with .dockerconfig and auth field"
        ),
        pytest.param(
            [(JSON_TYPE, JSON_KEY, PLAIN_JSON)],
            [],
            USER,
            id="with .dockerconfigjson and username/password fields",
        ),
        pytest.param(
            [(CFG_TYPE, CFG_KEY, PLAIN_CFG)],
            [],
            USER,
            id="with .dockerconfig and username/password fields",
        ),
        pytest.param(
            [(CFG_TYPE, JSON_KEY, AUTH_JSON)],
            [],
            [],
            id="with .dockerconfigjson but with wrong Secret Type",
        ),
        pytest.param(
            [(JSON_TYPE, CFG_KEY, AUTH_CFG)],
            [],
            [],
            id="with .dockerconfig but with wrong Secret Type",
        ),
        pytest.param(
            [(JSON_TYPE, JSON_KEY, AUTH_JSON.replace("test.registry.io", "foobar.io"))],
            DEFAULT,
            DEFAULT,
            id="with not matching .dockerconfigjson and default keyring",
        ),
        pytest.param(
            [(CFG_TYPE, CFG_KEY, AUTH_CFG.replace("test.registry.io", "foobar.io"))],
            DEFAULT,
            DEFAULT,
            id="with not matching .dockerconfig and default keyring",
        ),
        pytest.param([], DEFAULT, DEFAULT, id="with no pull secrets but has default keyring"),
        pytest.param(
            [(JSON_TYPE, JSON_KEY, AUTH_JSON)],
            DEFAULT,
            USER + DEFAULT,
            id="with pull secrets and has default keyring",
        ),
    ],
)
def test_make_docker_keyring_upstream(secrets: list, default: list, expected: list) -> None:
    pull_secrets = [
        {"namespace": "ns", "name": f"s{i}", "type": kind, "data": {key: blob.encode()}}
        for i, (kind, key, blob) in enumerate(secrets)
    ]
    keyring = UnionKeyring([keyring_from_secrets(pull_secrets), FakeKeyring(default)])
    assert [(c.username, c.password) for c in keyring.lookup_raw("test.registry.io")] == expected


# --- ordering ----------------------------------------------------------------------------


def named(*keys: str) -> dict:
    return {key: {"username": key} for key in keys}


def test_more_specific_path_comes_first() -> None:
    keyring = Keyring.from_docker_config(named("quay.io", "quay.io/coreos"))
    assert keyring.keys == ("quay.io/coreos", "quay.io")
    assert [c.registry for c in keyring.lookup("quay.io/coreos/etcd:v3.5")] == [
        "quay.io/coreos",
        "quay.io",
    ]


def test_globs_come_after_concrete_hosts() -> None:
    keyring = Keyring.from_docker_config(named("*.x.com", "a.x.com", "z.x.com", "0.x.com"))
    assert keyring.keys == ("z.x.com", "a.x.com", "0.x.com", "*.x.com")
    assert [c.registry for c in keyring.lookup("a.x.com/team/app")] == ["a.x.com", "*.x.com"]


def test_deepest_path_wins_first_across_configs() -> None:
    keyring = Keyring()
    keyring.add(named("registry.io"), "node")
    keyring.add(named("registry.io/team/app"), "secret:ns/a")
    keyring.add(named("registry.io/team"), "secret:ns/b")
    found = keyring.lookup("registry.io/team/app:1")
    assert [c.registry for c in found] == [
        "registry.io/team/app",
        "registry.io/team",
        "registry.io",
    ]


def test_path_match_is_a_string_prefix() -> None:
    keyring = Keyring.from_docker_config(named("quay.io/team"))
    assert [c.registry for c in keyring.lookup("quay.io/teammate/app")] == ["quay.io/team"]


def test_equivalent_keys_share_one_index_entry_in_add_order() -> None:
    keyring = Keyring()
    keyring.add({"https://quay.io/v2/": {"username": "a"}, "quay.io": {"username": "b"}})
    keyring.add({"http://quay.io/": {"username": "c"}})
    assert keyring.keys == ("quay.io",)
    assert [c.username for c in keyring.lookup("quay.io/x/y")] == ["a", "b", "c"]


def test_pod_secrets_in_pod_order_within_a_key_and_by_specificity_across() -> None:
    secrets = [
        {
            "namespace": "ns",
            "name": "first",
            "type": JSON_TYPE,
            "data": {JSON_KEY: b'{"auths": {"quay.io": {"username": "first"}}}'},
        },
        {
            "namespace": "ns",
            "name": "second",
            "type": JSON_TYPE,
            "data": {
                JSON_KEY: b'{"auths": {"quay.io/team": {"username": "second"},'
                b' "quay.io": {"username": "third"}}}'
            },
        },
    ]
    found = keyring_from_secrets(secrets).lookup("quay.io/team/app")
    assert [(c.username, c.source) for c in found] == [
        ("second", "secret:ns/second"),
        ("first", "secret:ns/first"),
        ("third", "secret:ns/second"),
    ]


def test_pod_keyring_before_node_keyring() -> None:
    pod = keyring_from_secrets(
        [
            {
                "namespace": "ns",
                "name": "pull",
                "type": CFG_TYPE,
                "data": {CFG_KEY: '{"quay.io": {"username": "pod"}}'},
            }
        ]
    )
    node = Keyring.from_docker_config({"auths": named("quay.io/team")}, source="node")
    found = UnionKeyring([pod, None, node]).lookup("quay.io/team/app")
    # Specificity only orders keys within one keyring: the pod's broader key still wins.
    assert [(c.registry, c.source) for c in found] == [
        ("quay.io", "secret:ns/pull"),
        ("quay.io/team", "node"),
    ]


def test_no_credentials_means_empty_list() -> None:
    keyring = Keyring.from_docker_config(named("quay.io"))
    assert keyring.lookup("registry.example.com/app") == []
    assert UnionKeyring([keyring, Keyring()]).lookup("registry.example.com/app") == []


# --- normalisation and the Docker Hub fallback -------------------------------------------


def test_lookup_normalises_like_the_kubelet() -> None:
    keyring = Keyring.from_docker_config(named("docker.io/library"))
    assert [c.registry for c in keyring.lookup("busybox:1.36")] == ["docker.io/library"]
    assert keyring.lookup_raw("busybox") == []
    digest = "sha256:" + "a" * 64
    assert keyring.lookup(f"docker.io/library/busybox@{digest}") == keyring.lookup("busybox")


def test_index_docker_io_only_through_the_fallback() -> None:
    hub = {"https://index.docker.io/v1/": {"username": "hub"}}
    keyring = Keyring.from_docker_config({"auths": hub})
    assert keyring.keys == ("index.docker.io",)
    assert [c.username for c in keyring.lookup("busybox")] == ["hub"]
    assert [c.username for c in keyring.lookup("someone/app:v1")] == ["hub"]
    assert keyring.lookup("quay.io/someone/app") == []


def test_fallback_only_when_nothing_else_matched_in_that_keyring() -> None:
    keyring = Keyring.from_docker_config(
        {"https://index.docker.io/v1/": {"username": "hub"}, "docker.io/team": {"username": "team"}}
    )
    assert [c.username for c in keyring.lookup("team/app")] == ["team"]
    assert [c.username for c in keyring.lookup("other/app")] == ["hub"]
    node = Keyring.from_docker_config({"https://index.docker.io/v1/": {"username": "node"}})
    union = UnionKeyring([Keyring.from_docker_config(named("docker.io/team")), node])
    assert [c.username for c in union.lookup("team/app")] == ["docker.io/team", "node"]


def test_lookup_rejects_invalid_images() -> None:
    with pytest.raises(InvalidReference):
        Keyring().lookup("Not/Valid")
    with pytest.raises(InvalidReference):
        UnionKeyring([Keyring()]).lookup("")


# --- Go URL and glob details ----------------------------------------------------------


@pytest.mark.parametrize(
    ("location", "key"),
    [
        ("https://index.docker.io/v1/", "index.docker.io"),
        ("index.docker.io/v2/", "index.docker.io"),
        ("quay.io/", "quay.io"),
        ("http://registry:5000/v1/team/", "registry:5000/team/"),
        ("https://bob:pw@quay.io/team", "quay.io/team"),
        ("quay.io/a%2Fb?query#fragment", "quay.io/a/b"),
        ("registry:port", None),
        ("quay.io/%zz", None),
        ("bad host.io", None),
        ("quay.io/\x7f", None),
    ],
)
def test_registry_key(location: str, key: str | None) -> None:
    assert registry_key(location) == key


def test_unparseable_keys_are_ignored_with_userinfo_masked() -> None:
    keyring = Keyring.from_docker_config(
        {"https://bob:hunter2@bad host": {"username": "x"}, "quay.io": {"username": "y"}}
    )
    assert keyring.keys == ("quay.io",)
    assert keyring.ignored == ("https://*****@bad host",)
    assert "hunter2" not in repr(keyring)


@pytest.mark.parametrize(
    ("glob", "target", "expected"),
    [
        ("registry[0-9].example.com", "registry7.example.com", True),
        # Go negates a class with '^' only, and '^' is not allowed in a URL host ...
        ("registry[^0-9].example.com", "registryx.example.com", False),
        # ... while "[!0-9]" is the class of '!' and the digits.
        ("registry[!0-9].example.com", "registry7.example.com", True),
        ("registry?.example.com", "registry42.example.com", False),
        # net.SplitHostPort refuses '[' next to a port: the glob keeps ":5000" in its last label.
        ("registry[0-9].example.com:5000", "registry7.example.com:5000", False),
        # a bare IPv6 literal never matches itself: "[::1]" is read as a character class.
        ("[::1]", "[::1]", False),
        ("[::1]:5000", "[::1]:5000/app", True),
        ("quay.io:443", "quay.io/app", False),
        ("a[.io", "a[.io", False),  # malformed pattern (filepath.ErrBadPattern): no match
        ("[a-", "[a-", False),  # not even a URL (missing ']' in host): no match
    ],
)
def test_go_url_and_glob_quirks(glob: str, target: str, expected: bool) -> None:
    assert urls_match(glob, target) is expected


# --- pull secrets ---------------------------------------------------------------------


class SecretObject:
    def __init__(self, namespace: str, name: str, type: str, data: dict) -> None:
        self.namespace, self.name, self.type, self.data = namespace, name, type, data


def test_secrets_as_objects_and_missing_ones() -> None:
    secret = SecretObject("team", "pull", CFG_TYPE, {CFG_KEY: b'{"quay.io": {"auth": "dTpw"}}'})
    keyring = keyring_from_secrets([None, secret])
    assert [(c.username, c.password, c.source) for c in keyring.lookup("quay.io/a")] == [
        ("u", "p", "secret:team/pull")
    ]


def test_empty_or_opaque_secrets_do_not_count() -> None:
    secrets = [
        {"namespace": "ns", "name": "empty", "type": JSON_TYPE, "data": {JSON_KEY: b""}},
        {"namespace": "ns", "name": "opaque", "type": "Opaque", "data": {JSON_KEY: AUTH_JSON}},
        {"namespace": "ns", "name": "nodata", "type": JSON_TYPE},
    ]
    assert keyring_from_secrets(secrets).keys == ()


def test_a_broken_pull_secret_fails_naming_secret_and_entry() -> None:
    secrets = [
        {
            "namespace": "ns",
            "name": "broken",
            "type": JSON_TYPE,
            "data": {JSON_KEY: b'{"auths": {"quay.io": {"auth": "hunter2!"}}}'},
        }
    ]
    with pytest.raises(DockerConfigError) as info:
        keyring_from_secrets(secrets)
    assert str(info.value) == (
        'pull secret "ns/broken": invalid docker config: entry "quay.io": auth is not valid base64'
    )
    assert "hunter2" not in str(info.value)


def test_secret_type_decides_the_form() -> None:
    # A .dockercfg secret holding config.json content yields an entry named "auths".
    secret = {
        "namespace": "ns",
        "name": "s",
        "type": CFG_TYPE,
        "data": {CFG_KEY: b'{"auths": {"quay.io": {"username": "u"}}}'},
    }
    assert keyring_from_secrets([secret]).keys == ("auths",)
    # A .dockerconfigjson secret holding a bare map yields nothing.
    secret = {
        "namespace": "ns",
        "name": "s",
        "type": JSON_TYPE,
        "data": {JSON_KEY: b'{"quay.io": {"username": "u"}}'},
    }
    assert keyring_from_secrets([secret]).keys == ()


# --- properties -------------------------------------------------------------------------

LABEL = st.text(alphabet="abcxyz019-", min_size=1, max_size=6)
GLOB_LABEL = st.one_of(LABEL, st.just("*"), LABEL.map(lambda s: s + "*"))
KEYS = st.builds(
    lambda labels, port, path: ".".join(labels) + port + path,
    st.lists(GLOB_LABEL, min_size=1, max_size=3),
    st.sampled_from(["", ":5000", ":443"]),
    st.sampled_from(["", "/team", "/team/app", "/v1/", "/v2/team", "/teamx"]),
)
REPOS = st.builds(
    lambda labels, port, path: ".".join(labels) + port + path,
    st.lists(LABEL, min_size=1, max_size=3),
    st.sampled_from(["", ":5000"]),
    st.sampled_from(["/team/app", "/teamx/app", "/other", ""]),
)


@settings(max_examples=60, deadline=None)
@given(keys=st.lists(KEYS, min_size=1, max_size=8, unique=True), repo=REPOS, seed=st.randoms())
def test_keys_are_reverse_sorted_and_lookup_is_deterministic(keys, repo, seed) -> None:
    entries = {key: {"username": key} for key in keys}
    keyring = Keyring.from_docker_config(entries)
    index = keyring.keys
    assert list(index) == sorted(set(index), key=lambda k: k.encode(), reverse=True)
    shuffled = list(entries.items())
    seed.shuffle(shuffled)
    again = Keyring()
    for key, value in shuffled:
        again.add({key: value})
    assert again.keys == index
    # Each key holds one credential here, so any add order gives the same lookup.
    normalised = {registry_key(k) for k in keys}
    if len(normalised) == len(keys):
        assert keyring.lookup_raw(repo) == again.lookup_raw(repo)
    found = keyring.lookup_raw(repo)
    positions = [index.index(c.registry) for c in found]
    assert positions == sorted(positions)
