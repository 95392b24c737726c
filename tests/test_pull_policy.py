"""Tests for simkit.refs.pull_policy (Kubernetes image-name parsing and defaulting).

Tables restate, case by case: ``pkg/util/parsers/parsers_test.go`` (TestParseImageName),
``pkg/kubelet/images/image_manager_test.go`` (TestApplyDefaultImageTag), the older
``pkg/kubelet/dockertools/docker_test.go`` (TestPullWithNoSecrets: the image the
puller received) and ``pkg/apis/core/v1/defaults_test.go``
(TestSetDefaultReplicationControllerInitContainers, case "imagePullIPolicy").
"""

from __future__ import annotations

import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simkit.refs import (
    PULL_ALWAYS,
    PULL_IF_NOT_PRESENT,
    InvalidReference,
    apply_default_tag,
    default_pull_policy,
    parse_image_name,
)

E3 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
ERROR = object()

# --- parsers_test.go: TestParseImageName ---------------------------------------------------
# (input, repo, tag, digest) or (input, ERROR, expected error substring)
PARSE_IMAGE_NAME_CASES = [
    ("root", ("docker.io/library/root", "latest", "")),
    ("root:tag", ("docker.io/library/root", "tag", "")),
    ("root@" + E3, ("docker.io/library/root", "", E3)),
    ("user/repo", ("docker.io/user/repo", "latest", "")),
    ("user/repo:tag", ("docker.io/user/repo", "tag", "")),
    ("user/repo@" + E3, ("docker.io/user/repo", "", E3)),
    ("url:5000/repo", ("url:5000/repo", "latest", "")),
    ("url:5000/repo:tag", ("url:5000/repo", "tag", "")),
    ("url:5000/repo@" + E3, ("url:5000/repo", "", E3)),
    ("url:5000/repo:latest@" + E3, ("url:5000/repo", "latest", E3)),
    ("ROOT", "must be lowercase"),
    ("http://root", "invalid reference format"),
    (E3.partition(":")[2], "cannot specify 64-byte hexadecimal strings"),
]


@pytest.mark.parametrize(("image", "expected"), PARSE_IMAGE_NAME_CASES)
def test_parse_image_name(image: str, expected: tuple[str, str, str] | str) -> None:
    if isinstance(expected, str):
        with pytest.raises(InvalidReference) as info:
            parse_image_name(image)
        assert expected in str(info.value)
        return
    assert parse_image_name(image) == expected


def test_parse_image_name_error_wrapping() -> None:
    with pytest.raises(InvalidReference) as info:
        parse_image_name("ROOT")
    assert str(info.value) == (
        'couldn\'t parse image name "ROOT": invalid reference format: repository name '
        "(library/ROOT) must be lowercase"
    )
    with pytest.raises(InvalidReference) as info:
        parse_image_name("")
    # "" normalises to "docker.io/library/", which is malformed rather than empty.
    assert str(info.value) == 'couldn\'t parse image name "": invalid reference format'


# --- image_manager_test.go: TestApplyDefaultImageTag --------------------------------------
APPLY_DEFAULT_IMAGE_TAG_CASES = [
    ("root", "root:latest"),
    ("root:tag", "root:tag"),
    ("root@" + E3, "root@" + E3),
    ("root:latest@" + E3, "root:latest@" + E3),
    ("root:latest", "root:latest"),
]

# --- dockertools/docker_test.go: TestPullWithNoSecrets (image handed to the runtime) -------
PULL_WITH_NO_SECRETS_CASES = [
    ("ubuntu", "ubuntu:latest"),
    ("ubuntu:2342", "ubuntu:2342"),
    ("ubuntu:latest", "ubuntu:latest"),
    ("foo/bar:445566", "foo/bar:445566"),
    ("registry.example.com:5000/foobar", "registry.example.com:5000/foobar:latest"),
    ("registry.example.com:5000/foobar:5342", "registry.example.com:5000/foobar:5342"),
    ("registry.example.com:5000/foobar:latest", "registry.example.com:5000/foobar:latest"),
]


@pytest.mark.parametrize(
    ("image", "expected"), APPLY_DEFAULT_IMAGE_TAG_CASES + PULL_WITH_NO_SECRETS_CASES
)
def test_apply_default_image_tag(image: str, expected: str) -> None:
    assert apply_default_tag(image) == expected


def test_apply_default_tag_keeps_short_names_and_rejects_invalid() -> None:
    assert apply_default_tag("localhost:5000/a") == "localhost:5000/a:latest"
    assert apply_default_tag("docker.io/library/busybox") == "docker.io/library/busybox:latest"
    with pytest.raises(InvalidReference, match="couldn't parse image name"):
        apply_default_tag("Busybox")


# --- defaults_test.go: TestSetDefaultReplicationControllerInitContainers -------------------
def test_init_container_busybox_defaults_to_always() -> None:
    assert default_pull_policy("busybox") == PULL_ALWAYS


# --- SetDefaults_Container rule -------------------------------------------------------------
DEFAULT_PULL_POLICY_CASES = [
    ("busybox", PULL_ALWAYS),  # untagged -> tag "latest"
    ("busybox:latest", PULL_ALWAYS),
    ("busybox:latest@" + E3, PULL_ALWAYS),  # the tag is still "latest"
    ("busybox@" + E3, PULL_IF_NOT_PRESENT),  # digest only: tag ""
    ("busybox:1.36", PULL_IF_NOT_PRESENT),
    ("busybox:Latest", PULL_IF_NOT_PRESENT),  # tags are case-sensitive
    ("quay.io/org/app", PULL_ALWAYS),
    ("localhost:5000", PULL_IF_NOT_PRESENT),  # docker.io/library/localhost, tag "5000"
    ("BUSYBOX", PULL_IF_NOT_PRESENT),  # parse error ignored
    ("", PULL_IF_NOT_PRESENT),
    (E3.partition(":")[2], PULL_IF_NOT_PRESENT),
]


@pytest.mark.parametrize(("image", "expected"), DEFAULT_PULL_POLICY_CASES)
def test_default_pull_policy(image: str, expected: str) -> None:
    assert default_pull_policy(image) == expected


def test_keyword_arguments() -> None:
    assert default_pull_policy(image="nginx") == PULL_ALWAYS
    assert apply_default_tag(image="nginx") == "nginx:latest"
    assert parse_image_name(image="nginx")[1] == "latest"


# --- property tests -------------------------------------------------------------------------
PROPERTY_SETTINGS = settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
_NAME = st.text(alphabet=string.ascii_lowercase + string.digits, min_size=1, max_size=10)


@PROPERTY_SETTINGS
@given(st.text())
def test_property_arbitrary_text(text: str) -> None:
    assert default_pull_policy(text) in (PULL_ALWAYS, PULL_IF_NOT_PRESENT)
    try:
        repo, tag, digest = parse_image_name(text)
    except InvalidReference:
        with pytest.raises(InvalidReference):
            apply_default_tag(text)
        assert default_pull_policy(text) == PULL_IF_NOT_PRESENT
        return
    assert tag or digest
    assert (default_pull_policy(text) == PULL_ALWAYS) == (tag == "latest")
    assert apply_default_tag(text).startswith(text)


@PROPERTY_SETTINGS
@given(_NAME, st.one_of(st.none(), _NAME))
def test_property_apply_default_tag_is_idempotent(name: str, tag: str | None) -> None:
    image = name if tag is None else f"{name}:{tag}"
    tagged = apply_default_tag(image)
    assert apply_default_tag(tagged) == tagged
    assert parse_image_name(tagged)[1] == (tag or "latest")
