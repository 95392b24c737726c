"""Go's ``path.Match`` and ``filepath.Match`` (Unix): one shell-pattern matcher.

Pattern syntax: ``*`` matches any run of non-``/`` bytes, ``?`` one non-``/`` character,
``[...]`` one character from a class (``^`` negates, ``lo-hi`` ranges, ``\\`` escapes),
``\\c`` the character ``c``.  There is no ``**``.

Two upstream callers, two entry points over the one matcher:

* :func:`path_match` - ``path.Match``, which ``distribution/reference.FamiliarMatch``
  calls (simkit.refs.distribution.familiar_match);
* :func:`filepath_match` - ``filepath.Match``, which the kubelet's ``URLsMatch``
  (``pkg/credentialprovider/keyring.go``) calls per host label.

On Unix the two Go functions are the same algorithm (``filepath`` differs only on
Windows, where ``\\`` is a separator and not an escape), so they agree here too.

Like Go, matching works on UTF-8 bytes: a ``*`` may stop in the middle of a multi-byte
character, after which ``?`` and classes see the stray bytes as U+FFFD.  Chunks between
stars are matched at the leftmost place that fits, which (each chunk having a fixed
width) is exact.  A malformed pattern raises :class:`BadPattern`, also when the
mismatch is found before the malformed part (Go >= 1.16).

Upstream: ``src/path/match.go`` and ``src/path/filepath/match.go`` (``Match``,
``scanChunk``, ``matchChunk``, ``getEsc``), golang/go; tested on ``match_test.go``
(``matchTests``) in tests/test_go_path.py.
"""

from __future__ import annotations

from simkit._go.strings import go_bytes

__all__ = ["BadPattern", "filepath_match", "path_match"]

_RUNE_ERROR = 0xFFFD


class BadPattern(ValueError):
    """The pattern is malformed (Go's ``path.ErrBadPattern`` / ``filepath.ErrBadPattern``).

    Examples
    --------
    >>> str(BadPattern()), issubclass(BadPattern, ValueError)
    ('syntax error in pattern', True)
    """

    def __init__(self) -> None:
        super().__init__("syntax error in pattern")


def _rune(data: bytes) -> tuple[int, int]:
    """``utf8.DecodeRune``: the first code point and its width, (U+FFFD, 1) if invalid."""
    if not data:
        return _RUNE_ERROR, 0
    lead = data[0]
    if lead < 0x80:
        return lead, 1
    width = 2 if lead < 0xE0 else 3 if lead < 0xF0 else 4
    try:
        return ord(data[:width].decode("utf-8")), width
    except (UnicodeDecodeError, TypeError):
        return _RUNE_ERROR, 1


def _scan_chunk(pattern: bytes) -> tuple[bool, bytes, bytes]:
    """Split off leading stars and the chunk up to the next star outside a class."""
    stripped = pattern.lstrip(b"*")
    star = len(stripped) != len(pattern)
    in_class = False
    i = 0
    while i < len(stripped):
        byte = stripped[i]
        if byte == 0x5C:  # backslash: skip the escaped byte
            if i + 1 < len(stripped):
                i += 1
        elif byte == 0x5B:
            in_class = True
        elif byte == 0x5D:
            in_class = False
        elif byte == 0x2A and not in_class:
            break
        i += 1
    return star, stripped[:i], stripped[i:]


def _class_char(chunk: bytes) -> tuple[int, bytes]:
    """One (possibly escaped) character of a class, and the rest of the chunk."""
    if not chunk or chunk[0] in b"-]":
        raise BadPattern()
    if chunk[0] == 0x5C:
        chunk = chunk[1:]
        if not chunk:
            raise BadPattern()
    rune, width = _rune(chunk)
    if (rune == _RUNE_ERROR and width == 1) or len(chunk) == width:
        raise BadPattern()
    return rune, chunk[width:]


def _match_chunk(chunk: bytes, text: bytes) -> bytes | None:
    """Match ``chunk`` at the start of ``text``: the rest of ``text``, or None.

    The whole chunk is scanned even after a mismatch, so a malformed one raises.
    """
    failed = False
    while chunk:
        if not failed and not text:
            failed = True
        head = chunk[0]
        if head == 0x5B:  # [class]
            rune = 0
            if not failed:
                rune, width = _rune(text)
                text = text[width:]
            chunk = chunk[1:]
            negated = chunk[:1] == b"^"
            if negated:
                chunk = chunk[1:]
            matched = False
            ranges = 0
            while True:
                if chunk[:1] == b"]" and ranges > 0:
                    chunk = chunk[1:]
                    break
                low, chunk = _class_char(chunk)
                high = low
                if chunk[0] == 0x2D:
                    high, chunk = _class_char(chunk[1:])
                if low <= rune <= high:
                    matched = True
                ranges += 1
            if matched == negated:
                failed = True
        elif head == 0x3F:  # ?
            if not failed:
                if text[0] == 0x2F:
                    failed = True
                text = text[_rune(text)[1] :]
            chunk = chunk[1:]
        else:
            if head == 0x5C:
                chunk = chunk[1:]
                if not chunk:
                    raise BadPattern()
            if not failed:
                if chunk[0] != text[0]:
                    failed = True
                text = text[1:]
            chunk = chunk[1:]
    return None if failed else text


def _match(pattern: bytes, name: bytes) -> bool:
    while pattern:
        star, chunk, pattern = _scan_chunk(pattern)
        if star and not chunk:
            return b"/" not in name
        rest = _match_chunk(chunk, name)
        if rest is not None and (not rest or pattern):
            name = rest
            continue
        if star:
            found = False
            i = 0
            while i < len(name) and name[i] != 0x2F:
                rest = _match_chunk(chunk, name[i + 1 :])
                i += 1
                if rest is not None:
                    if not pattern and rest:
                        continue
                    name, found = rest, True
                    break
            if found:
                continue
        while pattern:  # report a malformed remainder, as Go does
            _, chunk, pattern = _scan_chunk(pattern)
            _match_chunk(chunk, b"")
        return False
    return not name


def path_match(pattern: str, name: str) -> bool:
    """Does all of ``name`` match the shell ``pattern`` (Go's ``path.Match``)?

    Parameters
    ----------
    pattern, name : str
        Go strings (see :func:`simkit._go.strings.go_bytes`).

    Returns
    -------
    bool
        ``True`` if the pattern matches all of ``name``.

    Raises
    ------
    BadPattern
        If the pattern is malformed.

    Examples
    --------
    >>> path_match("foo/*/baz:tag", "foo/c/baz:tag"), path_match("*", "a/b")
    (True, False)
    >>> path_match("a?b", "a\u263ab"), path_match("a???b", "a\u263ab")
    (True, False)
    >>> path_match("[-x]", "foo")
    Traceback (most recent call last):
    ...
    simkit._go.path.BadPattern: syntax error in pattern
    """
    return _match(go_bytes(pattern), go_bytes(name))


def filepath_match(pattern: str, name: str) -> bool:
    """Does all of ``name`` match the shell ``pattern`` (Go's ``filepath.Match``, Unix)?

    The same matcher as :func:`path_match` (Go's two functions agree on Unix).

    Parameters
    ----------
    pattern, name : str
        Go strings (see :func:`simkit._go.strings.go_bytes`).

    Returns
    -------
    bool
        ``True`` if the pattern matches all of ``name``.

    Raises
    ------
    BadPattern
        If the pattern is malformed.

    Examples
    --------
    >>> filepath_match("*-good", "prefix-good"), filepath_match("k*", "quay")
    (True, False)
    >>> filepath_match("registry[0-9]", "registry7"), filepath_match("[^a]?", "ab")
    (True, False)
    >>> filepath_match("[]a]", "a")
    Traceback (most recent call last):
    ...
    simkit._go.path.BadPattern: syntax error in pattern
    """
    return _match(go_bytes(pattern), go_bytes(name))
