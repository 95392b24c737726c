"""Tests for simkit.refs.stream_names (image-stream tag/image names, tag validation).

Tables restate library-go ``pkg/image/imageutil/helpers_test.go``
(TestJoinImageStreamTag, TestParseImageStreamTagName, TestParseImageStreamImageName) and
the tag-name case of ``oc`` ``pkg/cli/tag/tag_test.go`` (TestTag), case by case.
"""

from __future__ import annotations

import contextlib
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simkit.refs import (
    INTEGRATED_REGISTRY,
    InvalidReference,
    is_valid_stream_name,
    is_valid_tag_name,
    isimage_name_and_id,
    istag_name_and_tag,
    join_image_stream_image,
    join_image_stream_tag,
    parse_image_stream_image_name,
    parse_image_stream_tag_name,
    parse_istag_ref,
    parse_stream_name,
    split_image_stream_image,
    split_image_stream_tag,
    split_isimage,
    split_istag,
    validate_tag_name,
)


def test_integrated_registry() -> None:
    assert INTEGRATED_REGISTRY == "image-registry.openshift-image-registry.svc:5000"


# --- helpers_test.go: TestJoinImageStreamTag ------------------------------------------------
@pytest.mark.parametrize(
    ("name", "tag", "expected"), [("foo", "bar", "foo:bar"), ("foo", "", "foo:latest")]
)
def test_join_image_stream_tag(name: str, tag: str, expected: str) -> None:
    assert join_image_stream_tag(name, tag) == expected


# --- helpers_test.go: TestParseImageStreamTagName -------------------------------------------
PARSE_ISTAG_NAME_CASES = [
    ("", None),  # empty id
    ("hello", None),  # missing semicolon
    ("a:b:c", None),  # too many semicolons
    (":tag", None),  # empty name
    ("name", None),  # empty tag
    ("name:tag", ("name", "tag")),  # happy path
]


@pytest.mark.parametrize(("istag", "expected"), PARSE_ISTAG_NAME_CASES)
def test_parse_image_stream_tag_name(istag: str, expected: tuple[str, str] | None) -> None:
    if expected is None:
        with pytest.raises(InvalidReference):
            parse_image_stream_tag_name(istag)
        with pytest.raises(
            InvalidReference, match="^ImageStreamTags must be retrieved with <name>:<tag>$"
        ):
            istag_name_and_tag(istag)
        return
    assert parse_image_stream_tag_name(istag) == expected
    assert istag_name_and_tag(istag) == expected


@pytest.mark.parametrize(
    ("istag", "message"),
    [
        ("", 'expected exactly one : delimiter in the istag ""'),
        ("a:b:c", 'expected exactly one : delimiter in the istag "a:b:c"'),
        (":tag", 'image stream tag name ":tag" must have a name and a tag'),
        ("x:", 'image stream tag name "x:" must have a name and a tag'),
        ("x@sha256:1", '"x@sha256:1" is an image stream image, not an image stream tag'),
    ],
)
def test_parse_image_stream_tag_name_messages(istag: str, message: str) -> None:
    with pytest.raises(InvalidReference) as info:
        parse_image_stream_tag_name(istag)
    assert str(info.value) == message


# --- helpers_test.go: TestParseImageStreamImageName -----------------------------------------
PARSE_ISIMAGE_NAME_CASES = [
    ("", None),  # empty string
    ("a", None),  # one part
    ("a@b@c", None),  # more than 2 parts
    ("@id", None),  # empty name part
    ("name@", None),  # empty id part
    ("repo@id", ("repo", "id")),  # valid input
]


@pytest.mark.parametrize(("name", "expected"), PARSE_ISIMAGE_NAME_CASES)
def test_parse_image_stream_image_name(name: str, expected: tuple[str, str] | None) -> None:
    if expected is None:
        with pytest.raises(InvalidReference):
            parse_image_stream_image_name(name)
        with pytest.raises(InvalidReference):
            split_isimage(name)
        with pytest.raises(
            InvalidReference, match="^ImageStreamImages must be retrieved with <name>@<id>$"
        ):
            isimage_name_and_id(name)
        return
    assert parse_image_stream_image_name(name) == expected
    assert split_isimage(name) == expected
    assert isimage_name_and_id(name) == expected


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("a", 'expected exactly one @ in the isimage name "a"'),
        ("a@b@c", 'expected exactly one @ in the isimage name "a@b@c"'),
        ("@id", 'image stream image name "@id" must have a name and ID'),
    ],
)
def test_parse_image_stream_image_name_messages(name: str, message: str) -> None:
    with pytest.raises(InvalidReference) as info:
        parse_image_stream_image_name(name)
    assert str(info.value) == message


# --- tag_test.go: TestTag ("tag using invalid tag name") -----------------------------------
def test_oc_tag_invalid_tag_name_message() -> None:
    with pytest.raises(InvalidReference) as info:
        validate_tag_name("invalid-tagname-test#123")
    assert str(info.value) == (
        'invalid tag "invalid-tagname-test#123" format, tags must start with an alphanumeric '
        "character followed by alphanumeric, '.' or '-' characters, and have a maximum of 128 "
        "characters"
    )


# --- oc tag destination handling -------------------------------------------------------------
def test_split_image_stream_tag_and_image() -> None:
    assert split_image_stream_tag("x") == ("x", "latest", False)
    assert split_image_stream_tag("x:") == ("x", "latest", True)
    assert split_image_stream_tag("x:a:b") == ("x", "a:b", True)
    assert split_image_stream_image("x") == ("x", "", False)
    assert split_image_stream_image("x@a@b") == ("x", "a@b", True)
    assert join_image_stream_image("x", "sha256:1") == "x@sha256:1"


def test_split_istag() -> None:
    assert split_istag("rails:tip") == ("rails", "tip")
    assert split_istag("rails:") == ("rails", "latest")  # passes client-side
    with pytest.raises(InvalidReference) as info:
        split_istag("rails")
    assert str(info.value) == '"rails" must be of the form <stream_name>:<tag>'


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("rails:tip", ("myproject", "rails", "tip")),
        ("yourproject/rails:tip", ("yourproject", "rails", "tip")),
        ("yourproject/rails:", ("yourproject", "rails", "latest")),
        ("rails:invalid-tagname-test#123", ("myproject", "rails", "invalid-tagname-test#123")),
        ("a/b/c:tip", 'invalid image stream "a/b/c:tip"'),
        ("/rails:tip", 'invalid namespace "" for image stream "/rails:tip"'),
        ("ns/", 'invalid name "" for image stream "ns/"'),
        ("ns/rails", '"rails" must be of the form <stream_name>:<tag>'),
    ],
)
def test_parse_istag_ref(text: str, expected: tuple[str, str, str] | str) -> None:
    if isinstance(expected, str):
        with pytest.raises(InvalidReference) as info:
            parse_istag_ref(text, "myproject")
        assert str(info.value) == expected
        return
    assert parse_istag_ref(text, "myproject") == expected


def test_parse_stream_name() -> None:
    assert parse_stream_name("p", "is:tag") == ("p", "is:tag")
    assert parse_stream_name("p", "ns/is:tag") == ("ns", "is:tag")


@pytest.mark.parametrize(
    ("tag", "valid"),
    [
        ("latest", True),
        ("v1.0.0-rc.1", True),
        ("_x", True),
        ("9", True),
        ("a" * 128, True),
        ("a" * 129, False),
        ("", False),
        ("-x", False),
        (".x", False),
        ("a:b", False),
        ("invalid-tagname-test#123", False),
        ("caf\u00e9", False),  # \w is ASCII in Go
        ("x\n", False),
    ],
)
def test_is_valid_tag_name(tag: str, valid: bool) -> None:
    assert is_valid_tag_name(tag) is valid
    if valid:
        assert validate_tag_name(tag) == tag
    else:
        with pytest.raises(InvalidReference):
            validate_tag_name(tag)


@pytest.mark.parametrize(
    ("name", "valid"),
    [
        ("ruby", True),
        ("ruby-ex", True),
        ("a.b_c-d", True),
        ("Ruby", False),
        ("a..b", False),
        ("..", False),
        ("a/b", False),
        ("a%b", False),
        ("", False),
        ("-a", False),
    ],
)
def test_is_valid_stream_name(name: str, valid: bool) -> None:
    assert is_valid_stream_name(name) is valid


# --- property tests -------------------------------------------------------------------------
_NAME = st.text(alphabet=string.ascii_lowercase + string.digits + "-.", min_size=1, max_size=12)
_TAG = st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,20}", fullmatch=True)


@settings(max_examples=200, deadline=None)
@given(_NAME, _TAG)
def test_property_join_split_round_trip(name: str, tag: str) -> None:
    joined = join_image_stream_tag(name, tag)
    assert split_istag(joined) == (name, tag)
    assert parse_image_stream_tag_name(joined) == (name, tag)
    assert is_valid_tag_name(tag)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_property_arbitrary_text_only_raises_invalid_reference(text: str) -> None:
    for func in (
        split_istag,
        split_isimage,
        parse_image_stream_tag_name,
        istag_name_and_tag,
        lambda value: parse_istag_ref(value, "ns"),
    ):
        with contextlib.suppress(InvalidReference):
            func(text)
    assert isinstance(is_valid_tag_name(text), bool)
