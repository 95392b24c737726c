"""Go's ``path.Match`` shell-pattern matcher, used by ``reference.FamiliarMatch``.

Pattern syntax: ``*`` matches any run of non-``/`` characters, ``?`` one non-``/``
character, ``[...]`` a character class (``^`` negates, ``lo-hi`` ranges, ``\\`` escapes)
and ``\\c`` the character ``c``. A malformed pattern raises :class:`BadPattern`, also
when the mismatch is found before the malformed part (Go >= 1.16 behaviour).
"""

from __future__ import annotations

__all__ = ["BadPattern", "path_match"]


class BadPattern(ValueError):
    """The pattern is malformed (Go's ``path.ErrBadPattern``).

    Examples
    --------
    >>> str(BadPattern()), issubclass(BadPattern, ValueError)
    ('syntax error in pattern', True)
    """

    def __init__(self) -> None:
        super().__init__("syntax error in pattern")


def _scan_chunk(pattern: str) -> tuple[bool, str, str]:
    star = False
    while pattern.startswith("*"):
        pattern = pattern[1:]
        star = True
    in_range = False
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            if i + 1 < len(pattern):
                i += 1
        elif ch == "[":
            in_range = True
        elif ch == "]":
            in_range = False
        elif ch == "*" and not in_range:
            break
        i += 1
    return star, pattern[:i], pattern[i:]


def _class_char(chunk: str) -> tuple[str, str]:
    if not chunk or chunk[0] in "-]":
        raise BadPattern()
    if chunk[0] == "\\":
        chunk = chunk[1:]
        if not chunk:
            raise BadPattern()
    char, rest = chunk[0], chunk[1:]
    if not rest:
        raise BadPattern()
    return char, rest


def _match_chunk(chunk: str, text: str) -> str | None:
    """Match ``chunk`` at the start of ``text``; return the rest, or ``None``.

    The whole chunk is always scanned so that a malformed one raises.
    """
    failed = False
    while chunk:
        if not failed and not text:
            failed = True
        head = chunk[0]
        if head == "[":
            char = ""
            if not failed:
                char, text = text[0], text[1:]
            chunk = chunk[1:]
            negated = chunk.startswith("^")
            if negated:
                chunk = chunk[1:]
            matched = False
            ranges = 0
            while True:
                if chunk.startswith("]") and ranges > 0:
                    chunk = chunk[1:]
                    break
                low, chunk = _class_char(chunk)
                high = low
                if chunk[0] == "-":
                    high, chunk = _class_char(chunk[1:])
                if char and low <= char <= high:
                    matched = True
                ranges += 1
            if matched == negated:
                failed = True
        elif head == "?":
            if not failed:
                if text[0] == "/":
                    failed = True
                text = text[1:]
            chunk = chunk[1:]
        else:
            if head == "\\":
                chunk = chunk[1:]
                if not chunk:
                    raise BadPattern()
            if not failed:
                if chunk[0] != text[0]:
                    failed = True
                text = text[1:]
            chunk = chunk[1:]
    return None if failed else text


def path_match(pattern: str, name: str) -> bool:
    """Report whether ``name`` matches the shell pattern, like Go's ``path.Match``.

    Parameters
    ----------
    pattern : str
        Shell pattern (see the module docstring).
    name : str
        The whole string to match.

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
    >>> path_match("foo/*/baz:tag", "foo/c/baz:tag")
    True
    >>> path_match("*", "a/b")
    False
    >>> path_match("[-x]", "foo")
    Traceback (most recent call last):
    ...
    simkit.refs.pathmatch.BadPattern: syntax error in pattern
    """
    while pattern:
        star, chunk, pattern = _scan_chunk(pattern)
        if star and not chunk:
            # A trailing star matches the rest of the name unless it has a "/".
            return "/" not in name
        rest = _match_chunk(chunk, name)
        if rest is not None and (not rest or pattern):
            name = rest
            continue
        if star:
            advanced = False
            i = 0
            while i < len(name) and name[i] != "/":
                rest = _match_chunk(chunk, name[i + 1 :])
                i += 1
                if rest is not None:
                    if not pattern and rest:
                        continue
                    name = rest
                    advanced = True
                    break
            if advanced:
                continue
        while pattern:
            _, chunk, pattern = _scan_chunk(pattern)
            _match_chunk(chunk, "")
        return False
    return not name
