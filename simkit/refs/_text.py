"""Small string helpers that reproduce Go semantics (internal)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import TypeVar

from simkit.refs.errors import InvalidReference

T = TypeVar("T")

#: Cache size of every memoised ``str -> value`` parser in :mod:`simkit.refs`.
PARSE_CACHE_SIZE = 65536

# U+0130 LATIN CAPITAL LETTER I WITH DOT ABOVE lowercases to "i" in Go's simple case
# mapping but to "i" + U+0307 in Python's full mapping; it is the only character whose
# lowercase differs in a way that can turn a string into ASCII.
_DOTTED_CAPITAL_I = "\u0130"


def go_lower(text: str) -> str:
    """Lowercase like Go's ``strings.ToLower`` (simple, per-rune case mapping)."""
    if text.isascii():
        return text.lower()
    return text.replace(_DOTTED_CAPITAL_I, "i").lower()


def go_len(text: str) -> int:
    """Length in bytes, as Go's ``len`` on a string (UTF-8)."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-8", "surrogatepass"))


def memoize_parser(func: Callable[[str], T]) -> Callable[[str], T]:
    """Memoise a pure ``str -> T`` parser, including the errors it raises.

    Results and :class:`InvalidReference` messages are both cached (LRU,
    :data:`PARSE_CACHE_SIZE` entries); a cached failure raises a fresh exception
    with the same message. The wrapper exposes ``cache_info`` and ``cache_clear``.
    """

    @lru_cache(maxsize=PARSE_CACHE_SIZE)
    def cached(text: str) -> tuple[bool, object]:
        try:
            return True, func(text)
        except InvalidReference as exc:
            return False, str(exc)

    signature = inspect.signature(func)

    @wraps(func)
    def wrapper(*args: str, **kwargs: str) -> T:
        if kwargs or len(args) != 1:
            # Called by keyword: bind to the parser's own parameter name.
            (text,) = signature.bind(*args, **kwargs).arguments.values()
        else:
            (text,) = args
        ok, value = cached(text)
        if ok:
            return value  # type: ignore[return-value]
        raise InvalidReference(value)

    wrapper.cache_info = cached.cache_info  # type: ignore[attr-defined]
    wrapper.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return wrapper
