"""simkit._go.url against Go's own net/url and net tables.

Restated from golang/go ``src/net/url/url_test.go`` (commit
011829989365218ba4532e86ab0b6702971daab3): ``urltests`` (host and path of each URL),
``TestParseErrors``, ``TestShouldEscape`` (``encodeHost`` rows),
``TestRejectControlCharacters``; and ``src/net/ipsock_test.go`` / ``net/ip_test.go``
(``TestSplitHostPort``).  Plus: the whole-text scans agree with a byte-by-byte reading.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simkit._go import url as gourl
from simkit._go.url import URLError, parse_url, split_host_port

MODES = [gourl._HOST, gourl._ZONE, gourl._PATH, gourl._USERINFO, gourl._FRAGMENT]
# Bytes of hosts and paths, the marks Go treats specially, control and non-ASCII bytes.
alphabet = st.sampled_from(
    list(b"aZ09-._~!$&'()*+,;=:[]<>\"/?#@ {}|\\^`") + [0x00, 0x1F, 0x7F, 0x80, 0xC3, 0xA9, 0xFF]
)
texts = st.lists(alphabet, max_size=24).map(bytes)


def unescape_byte_by_byte(text: bytes, mode: int) -> bytes:
    """``unescape`` of Go's net/url for a text without ``%`` escapes, one byte at a time."""
    for byte in text:
        if (
            mode in (gourl._HOST, gourl._ZONE)
            and byte < 0x80
            and gourl._should_escape_in_host(byte)
        ):
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


@pytest.mark.parametrize(
    ("raw", "host", "path"),
    [
        (b"https://quay.io/v1/", b"quay.io", b"/v1/"),
        (b"https://bob:pw@registry:5000/a%2Fb?x#y", b"registry:5000", b"/a/b"),
        (b"https://[fe80::1%25en0]:8080/", b"[fe80::1%en0]:8080", b"/"),
        (b"https://caf%C3%A9.example/x", "café.example".encode(), b"/x"),
    ],
)
def test_go_examples(raw, host, path):
    assert parse_url(raw) == (host, path)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (b"https://a b/", "invalid character ' ' in host name"),
        (b"https://a%41/", "invalid URL escape b'%41'"),
        (b"https://a\x7fb/", "invalid control character"),
    ],
)
def test_go_errors(raw, message):
    with pytest.raises(URLError, match=message):
        parse_url(raw)


# urltests: (input, Host, Path) for every row url.Parse accepts.
URL_TESTS = [
    ("http://www.google.com", "www.google.com", ""),
    ("http://www.google.com/", "www.google.com", "/"),
    ("http://www.google.com/file%20one%26two", "www.google.com", "/file one&two"),
    ("http://www.google.com/#file%20one%26two", "www.google.com", "/"),
    ("ftp://webmaster@www.google.com/", "www.google.com", "/"),
    ("ftp://john%20doe@www.google.com/", "www.google.com", "/"),
    ("http://www.google.com/?", "www.google.com", "/"),
    ("http://www.google.com/?foo=bar?", "www.google.com", "/"),
    ("http://www.google.com/?q=go+language", "www.google.com", "/"),
    ("http://www.google.com/?q=go%20language", "www.google.com", "/"),
    ("http://www.google.com/a%20b?q=c+d", "www.google.com", "/a b"),
    ("http:www.google.com/?q=go+language", "", ""),
    ("http:%2f%2fwww.google.com/?q=go+language", "", ""),
    ("mailto:/webmaster@golang.org", "", "/webmaster@golang.org"),
    ("mailto:webmaster@golang.org", "", ""),
    ("/foo?query=http://bad", "", "/foo"),
    ("//foo", "foo", ""),
    ("//user@foo/path?a=b", "foo", "/path"),
    ("///threeslashes", "", "///threeslashes"),
    ("http://user:password@google.com", "google.com", ""),
    ("http://j@ne:password@google.com", "google.com", ""),
    ("http://jane:p@ssword@google.com", "google.com", ""),
    ("http://j@ne:password@google.com/p@th?q=@go", "google.com", "/p@th"),
    ("http://www.google.com/?q=go+language#foo", "www.google.com", "/"),
    ("http://www.google.com/?q=go+language#foo&bar", "www.google.com", "/"),
    ("http://www.google.com/?q=go+language#foo%26bar", "www.google.com", "/"),
    ("file:///home/adg/rabbits", "", "/home/adg/rabbits"),
    ("file:///C:/FooBar/Baz.txt", "", "/C:/FooBar/Baz.txt"),
    ("MaIlTo:webmaster@golang.org", "", ""),
    ("a/b/c", "", "a/b/c"),
    ("http://%3Fam:pa%3Fsword@google.com", "google.com", ""),
    ("http://192.168.0.1/", "192.168.0.1", "/"),
    ("http://192.168.0.1:8080/", "192.168.0.1:8080", "/"),
    ("http://[fe80::1]/", "[fe80::1]", "/"),
    ("http://[fe80::1]:8080/", "[fe80::1]:8080", "/"),
    ("http://[fe80::1%25en0]/", "[fe80::1%en0]", "/"),
    ("http://[fe80::1%25en0]:8080/", "[fe80::1%en0]:8080", "/"),
    ("http://[fe80::1%25%65%6e%301-._~]/", "[fe80::1%en01-._~]", "/"),
    ("http://[fe80::1%25%65%6e%301-._~]:8080/", "[fe80::1%en01-._~]:8080", "/"),
    ("http://rest.rsc.io/foo%2fbar/baz%2Fquux?alt=media", "rest.rsc.io", "/foo/bar/baz/quux"),
    ("mysql://a,b,c/bar", "a,b,c", "/bar"),
    ("scheme://!$&'()*+,;=hello!:1/path", "!$&'()*+,;=hello!:1", "/path"),
    ("http://host/!$&'()*+,;=:@[hello]", "host", "/!$&'()*+,;=:@[hello]"),
    ("http://example.com/oid/[order_id]", "example.com", "/oid/[order_id]"),
    ("http://192.168.0.2:8080/foo", "192.168.0.2:8080", "/foo"),
    ("http://192.168.0.2:/foo", "192.168.0.2:", "/foo"),
    (
        "http://2b01:e34:ef40:7730:8e70:5aff:fefe:edac:8080/foo",
        "2b01:e34:ef40:7730:8e70:5aff:fefe:edac:8080",
        "/foo",
    ),
    (
        "http://2b01:e34:ef40:7730:8e70:5aff:fefe:edac:/foo",
        "2b01:e34:ef40:7730:8e70:5aff:fefe:edac:",
        "/foo",
    ),
    (
        "http://[2b01:e34:ef40:7730:8e70:5aff:fefe:edac]:8080/foo",
        "[2b01:e34:ef40:7730:8e70:5aff:fefe:edac]:8080",
        "/foo",
    ),
    (
        "http://[2b01:e34:ef40:7730:8e70:5aff:fefe:edac]:/foo",
        "[2b01:e34:ef40:7730:8e70:5aff:fefe:edac]:",
        "/foo",
    ),
    ("http://hello.\u4e16\u754c.com/foo", "hello.\u4e16\u754c.com", "/foo"),
    ("http://hello.%e4%b8%96%e7%95%8c.com/foo", "hello.\u4e16\u754c.com", "/foo"),
    ("http://hello.%E4%B8%96%E7%95%8C.com/foo", "hello.\u4e16\u754c.com", "/foo"),
    ("http://example.com//foo", "example.com", "//foo"),
    ('myscheme://authority<"hi">/foo', 'authority<"hi">', "/foo"),
    (
        "tcp://[2020::2020:20:2020:2020%25Windows%20Loves%20Spaces]:2020",
        "[2020::2020:20:2020:2020%Windows Loves Spaces]:2020",
        "",
    ),
    ("magnet:?xt=urn:btih:c12fe1c06bba254a9dc9f519b335aa7c1367a88a&dn", "", ""),
    ("mailto:?subject=hi", "", ""),
]


@pytest.mark.parametrize(("raw", "host", "path"), URL_TESTS)
def test_go_urltests(raw, host, path):
    assert parse_url(raw.encode()) == (host.encode(), path.encode())


# TestParseErrors: (input, wantErr)
PARSE_ERROR_TESTS = [
    ("http://[::1]", False),
    ("http://[::1]:80", False),
    ("http://[::1]:namedport", True),
    ("http://x:namedport", True),
    ("http://[::1]/", False),
    ("http://[::1]a", True),
    ("http://[::1]%23", True),
    ("http://[::1%25en0]", False),
    ("http://[::1]:", False),
    ("http://x:", False),
    ("http://[::1]:%38%30", True),
    ("http://[::1%25%41]", False),
    ("http://[%10::1]", True),
    ("http://[::1]/%48", False),
    ("http://%41:8080/", True),
    ("mysql://x@y(z:123)/foo", True),
    ("mysql://x@y(1.2.3.4:123)/foo", True),
    (" http://foo.com", True),
    ("ht tp://foo.com", True),
    ("ahttp://foo.com", False),
    ("1http://foo.com", True),
    ("http://[]%20%48%54%54%50%2f%31%2e%31%0a%4d%79%48%65%61%64%65%72%3a%20%31%32%33%0a%0a/", True),
    ("http://a b.com/", True),
    ("cache_object://foo", True),
    ("cache_object:foo", True),
    ("cache_object:foo/bar", True),
    ("cache_object/:foo/bar", False),
]


@pytest.mark.parametrize(("raw", "want_error"), PARSE_ERROR_TESTS)
def test_go_parse_errors(raw, want_error):
    if want_error:
        with pytest.raises(URLError):
            parse_url(raw.encode())
    else:
        parse_url(raw.encode())


@pytest.mark.parametrize("byte", list(b"!$&'()*+,;=:[]09Az_-."))
def test_go_should_escape_host_rows(byte):
    """``shouldEscapeTests`` rows for ``encodeHost``: all of these stay unescaped."""
    assert not gourl._should_escape_in_host(byte)


@pytest.mark.parametrize(
    "raw", [b"http://foo.com/?foo\nbar", b"http\r://foo.com/", b"http://foo\x7f.com/"]
)
def test_go_reject_control_characters(raw):
    with pytest.raises(URLError, match="net/url: invalid control character in URL"):
        parse_url(raw)
    # but not non-ASCII control bytes
    assert parse_url(b"http://foo.com/ctl\x80") == (b"foo.com", b"/ctl\x80")


def test_go_invalid_user_password():
    with pytest.raises(URLError, match="net/url: invalid userinfo"):
        parse_url(b"http://user^:passwo^rd@foo.com/")


SPLIT_HOST_PORT = [
    ("localhost:http", "localhost", "http"),
    ("localhost:80", "localhost", "80"),
    ("localhost%lo0:http", "localhost%lo0", "http"),
    ("localhost%lo0:80", "localhost%lo0", "80"),
    ("[localhost%lo0]:http", "localhost%lo0", "http"),
    ("[localhost%lo0]:80", "localhost%lo0", "80"),
    ("127.0.0.1:http", "127.0.0.1", "http"),
    ("127.0.0.1:80", "127.0.0.1", "80"),
    ("[::1]:http", "::1", "http"),
    ("[::1]:80", "::1", "80"),
    ("[::1%lo0]:http", "::1%lo0", "http"),
    ("[::1%lo0]:80", "::1%lo0", "80"),
    (":http", "", "http"),
    (":80", "", "80"),
    ("golang.org:", "golang.org", ""),
    ("127.0.0.1:", "127.0.0.1", ""),
    ("[::1]:", "::1", ""),
    ("golang.org:https%foo", "golang.org", "https%foo"),
]
SPLIT_HOST_PORT_FAILURES = [
    "golang.org",
    "127.0.0.1",
    "[::1]",
    "[fe80::1%lo0]",
    "[localhost%lo0]",
    "localhost%lo0",
    "::1",
    "fe80::1%lo0",
    "fe80::1%lo0:80",
    "[foo:bar]",
    "[foo:bar]baz",
    "[foo]bar:baz",
    "[foo]:[bar]:baz",
    "[foo]:[bar]baz",
    "foo[bar]:baz",
    "foo]bar:baz",
]


@pytest.mark.parametrize(("hostport", "host", "port"), SPLIT_HOST_PORT)
def test_go_split_host_port(hostport, host, port):
    assert split_host_port(hostport.encode()) == (host.encode(), port.encode())


@pytest.mark.parametrize("hostport", SPLIT_HOST_PORT_FAILURES)
def test_go_split_host_port_failures(hostport):
    assert split_host_port(hostport.encode()) is None
