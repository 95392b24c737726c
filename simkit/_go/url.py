"""The parts of Go's ``net/url.Parse`` and ``net.SplitHostPort`` the keyring relies on.

The kubelet parses every credential key and every image name as a URL (``https://`` is
put in front when there is no scheme) and compares hosts label by label.  Go's rules
decide which keys are silently ignored and which never match, so they are reproduced:
control characters are refused; ``#`` starts a fragment and ``?`` a query; the host may
carry user info (dropped), a ``:port`` of digits only, ``[...]`` IP literals, sub-delims
and ``[]<>"``, but no other ASCII punctuation; ``%XX`` escapes are decoded (in a host
only non-ASCII bytes and ``%25``).

This follows ``net/url`` as of Go 1.25 (``LastIndex(":")`` for the port, brackets
checked only at the start of a host); later Go releases reject ``[`` elsewhere in a
host, which would disable character classes in credential keys.

Everything works on the bytes of Go strings (:func:`~simkit._go.strings.go_bytes`).

Upstream: golang/go ``src/net/url/url.go`` (``Parse``, ``parse``, ``getScheme``,
``parseAuthority``, ``parseHost``, ``validOptionalPort``, ``unescape``,
``shouldEscape``) and ``src/net/ipsock.go`` (``SplitHostPort``); tested on
``url_test.go`` (``urltests``, ``TestParseErrors``, ``TestShouldEscape``,
``TestRejectControlCharacters``) and ``net/ip_test.go`` in tests/test_go_url.py.
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["URLError", "ParsedURL", "parse_url", "split_host_port"]

_HOST, _ZONE, _PATH, _USERINFO, _FRAGMENT = range(5)
_HEX = b"0123456789abcdefABCDEF"
_ALNUM = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
_HOST_EXTRA = frozenset(b"!$&'()*+,;=:[]<>\"-_.~")
_USERINFO_OK = _ALNUM | frozenset(b"-._:~!$&'()*+,;=%@")
# For bytes.translate(None, delete): what is left of a text after deleting these is its
# bytes that may not stand unescaped in a host (resp. its control characters).
_HOST_OK = bytes(sorted(_ALNUM | _HOST_EXTRA))
_NOT_CONTROL = bytes(b for b in range(256) if not (b < 0x20 or b == 0x7F))


class URLError(ValueError):
    """``url.Parse`` failed."""


class ParsedURL(NamedTuple):
    """The two fields the keyring uses: ``Host`` (with port) and the decoded ``Path``."""

    host: bytes
    path: bytes


def _should_escape_in_host(byte: int) -> bool:
    """``shouldEscape(c, encodeHost)``: every byte but alphanumerics and a few marks."""
    return byte not in _ALNUM and byte not in _HOST_EXTRA


def _unescape(text: bytes, mode: int) -> bytes:
    if b"%" not in text:  # nothing to decode: only a host's characters to check
        if mode in (_HOST, _ZONE):
            for byte in text.translate(None, _HOST_OK):
                if byte < 0x80:
                    raise URLError(f"invalid character {chr(byte)!r} in host name")
        return bytes(text)
    out = bytearray()
    i = 0
    while i < len(text):
        byte = text[i]
        if byte == 0x25:  # %
            escape = text[i : i + 3]
            if len(escape) < 3 or escape[1] not in _HEX or escape[2] not in _HEX:
                raise URLError(f"invalid URL escape {escape!r}")
            value = int(escape[1:], 16)
            if mode == _HOST and value < 0x80 and escape != b"%25":
                raise URLError(f"invalid URL escape {escape!r}")
            if (
                mode == _ZONE
                and escape != b"%25"
                and value != 0x20
                and _should_escape_in_host(value)
            ):
                raise URLError(f"invalid URL escape {escape!r}")
            out.append(value)
            i += 3
            continue
        if mode in (_HOST, _ZONE) and byte < 0x80 and _should_escape_in_host(byte):
            raise URLError(f"invalid character {chr(byte)!r} in host name")
        out.append(byte)
        i += 1
    return bytes(out)


def _valid_optional_port(port: bytes) -> bool:
    return not port or (port[:1] == b":" and all(0x30 <= b <= 0x39 for b in port[1:]))


def _parse_host(host: bytes) -> bytes:
    if host.startswith(b"["):
        close = host.rfind(b"]")
        if close < 0:
            raise URLError("missing ']' in host")
        if not _valid_optional_port(host[close + 1 :]):
            raise URLError(f"invalid port {host[close + 1 :]!r} after host")
        zone = host[:close].find(b"%25")
        if zone >= 0:
            return (
                _unescape(host[:zone], _HOST)
                + _unescape(host[zone:close], _ZONE)
                + _unescape(host[close:], _HOST)
            )
    else:
        colon = host.rfind(b":")
        if colon >= 0 and not _valid_optional_port(host[colon:]):
            raise URLError(f"invalid port {host[colon:]!r} after host")
    return _unescape(host, _HOST)


def _parse_authority(authority: bytes) -> bytes:
    at = authority.rfind(b"@")
    host = _parse_host(authority[at + 1 :])
    if at >= 0:
        userinfo = authority[:at]
        if any(b >= 0x80 or b not in _USERINFO_OK for b in userinfo):
            raise URLError("net/url: invalid userinfo")
        for part in userinfo.split(b":", 1):
            _unescape(part, _USERINFO)
    return host


def _scheme(raw: bytes) -> tuple[bytes, bytes]:
    """``getScheme``: the scheme and the rest (no scheme if none is spelt)."""
    for i, byte in enumerate(raw):
        if 0x61 <= byte <= 0x7A or 0x41 <= byte <= 0x5A:
            continue
        if 0x30 <= byte <= 0x39 or byte in b"+-.":
            if i == 0:
                return b"", raw
            continue
        if byte == 0x3A:
            if i == 0:
                raise URLError("missing protocol scheme")
            return raw[:i].lower(), raw[i + 1 :]
        return b"", raw
    return b"", raw


def parse_url(raw: bytes) -> ParsedURL:
    """``url.Parse(raw)``, reduced to the host and the decoded path.

    Raises
    ------
    URLError
        Where Go's parser returns an error.

    Examples
    --------
    >>> parse_url(b"https://quay.io/v1/")
    ParsedURL(host=b'quay.io', path=b'/v1/')
    >>> parse_url(b"https://bob:pw@registry:5000/a%2Fb?x#y")
    ParsedURL(host=b'registry:5000', path=b'/a/b')
    >>> parse_url(b"https://host:port")
    Traceback (most recent call last):
    ...
    simkit._go.url.URLError: invalid port b':port' after host
    """
    before, hash_sign, fragment = raw.partition(b"#")
    if before.translate(None, _NOT_CONTROL):
        raise URLError("net/url: invalid control character in URL")
    scheme, rest = _scheme(before)
    rest = rest.partition(b"?")[0]  # drop the query, a lone trailing "?" included
    host = b""
    if not rest.startswith(b"/"):
        if scheme:  # opaque URL: no host, no path
            rest = b""
        elif b":" in rest.partition(b"/")[0]:
            raise URLError("first path segment in URL cannot contain colon")
    elif rest.startswith(b"//") and (scheme or not rest.startswith(b"///")):
        authority, slash, tail = rest[2:].partition(b"/")
        host = _parse_authority(authority)
        rest = slash + tail
    path = _unescape(rest, _PATH)
    if hash_sign:
        _unescape(fragment, _FRAGMENT)
    return ParsedURL(host, path)


def split_host_port(hostport: bytes) -> tuple[bytes, bytes] | None:
    """``net.SplitHostPort``: ``(host, port)``, or None where Go returns an error.

    Examples
    --------
    >>> split_host_port(b"registry:5000"), split_host_port(b"[::1]:5000")
    ((b'registry', b'5000'), (b'::1', b'5000'))
    >>> split_host_port(b"quay.io") is None, split_host_port(b"r[0-9].io:5000") is None
    (True, True)
    """
    colon = hostport.rfind(b":")
    if colon < 0:
        return None
    if hostport.startswith(b"["):
        end = hostport.find(b"]")
        if end < 0 or end + 1 != colon:
            return None
        host, start, after_bracket = hostport[1:end], 1, end + 1
    else:
        host, start, after_bracket = hostport[:colon], 0, 0
        if b":" in host:
            return None
    if b"[" in hostport[start:] or b"]" in hostport[after_bracket:]:
        return None
    return host, hostport[colon + 1 :]
