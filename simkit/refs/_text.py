"""Memoised parsers for simkit.refs (internal)."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import lru_cache, wraps
from typing import TypeVar

from simkit.refs.errors import InvalidReference

T = TypeVar("T")

#: Cache size of every memoised ``str -> value`` parser in :mod:`simkit.refs`.
PARSE_CACHE_SIZE = 65536


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
