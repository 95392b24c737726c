"""Go URL parsing for the keyring: the whole-text scans agree with a byte-by-byte reading."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simkit._go import url as gourl
from simkit._go.url import URLError, parse_url

MODES = [gourl._HOST, gourl._ZONE, gourl._PATH, gourl._USERINFO, gourl._FRAGMENT]
# Bytes of hosts and paths, the marks Go treats specially, control and non-ASCII bytes.
alphabet = st.sampled_from(list(b"aZ09-._~!$&'()*+,;=:[]<>\"/?#@ {}|\\^`") + [0x00, 0x1F,
                           0x7F, 0x80, 0xC3, 0xA9, 0xFF])
texts = st.lists(alphabet, max_size=24).map(bytes)


def unescape_byte_by_byte(text: bytes, mode: int) -> bytes:
    """``unescape`` of Go's net/url for a text without ``%`` escapes, one byte at a time."""
    for byte in text:
        if mode in (gourl._HOST, gourl._ZONE) and byte < 0x80 \
                and gourl._should_escape_in_host(byte):
            raise URLError(f"invalid character {chr(byte)!r} in host name")
    return text


@given(texts, st.sampled_from(MODES))
def test_unescape_without_escapes_checks_every_byte(text, mode):
    try:
        expected = unescape_byte_by_byte(text, mode)
    except URLError as error:
        with pytest.raises(URLError) as raised:
            gourl._unescape(text, mode)
        assert str(raised.value) == str(error)
    else:
        assert gourl._unescape(text, mode) == expected


@given(texts)
def test_control_characters_are_refused_before_the_fragment(text):
    raw = b"https://quay.io/" + text
    control = any(b < 0x20 or b == 0x7F for b in raw.partition(b"#")[0])
    if control:
        with pytest.raises(URLError, match="invalid control character"):
            parse_url(raw)
    else:
        try:
            parse_url(raw)
        except URLError as error:
            assert "control character" not in str(error)


@pytest.mark.parametrize(("raw", "host", "path"), [
    (b"https://quay.io/v1/", b"quay.io", b"/v1/"),
    (b"https://bob:pw@registry:5000/a%2Fb?x#y", b"registry:5000", b"/a/b"),
    (b"https://[fe80::1%25en0]:8080/", b"[fe80::1%en0]:8080", b"/"),
    (b"https://caf%C3%A9.example/x", "café.example".encode(), b"/x"),
])
def test_go_examples(raw, host, path):
    assert parse_url(raw) == (host, path)


@pytest.mark.parametrize(("raw", "message"), [
    (b"https://a b/", "invalid character ' ' in host name"),
    (b"https://a%41/", "invalid URL escape b'%41'"),
    (b"https://a\x7fb/", "invalid control character"),
])
def test_go_errors(raw, message):
    with pytest.raises(URLError, match=message):
        parse_url(raw)
