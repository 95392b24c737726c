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
    It takes the text positionally or by the parser's own parameter name.

    Examples
    --------
    >>> @memoize_parser
    ... def shout(word: str) -> str:
    ...     return word.upper()
    >>> shout("a"), shout(word="a"), shout.cache_info().hits
    ('A', 'A', 1)
    """

    @lru_cache(maxsize=PARSE_CACHE_SIZE)
    def cached(text: str) -> tuple[bool, object]:
        try:
            return True, func(text)
        except InvalidReference as exc:
            return False, str(exc)

    def wrapper(text: str) -> T:
        ok, value = cached(text)
        if ok:
            return value  # type: ignore[return-value]
        raise InvalidReference(value)

    # Parsers run a few hundred thousand times a simulated day, almost always on a cache
    # hit, so the wrapper is a plain one-parameter function (no *args/**kwargs packing,
    # no signature binding per call).  Keyword calls keep working because its parameter
    # takes the parser's own name; any other shape of call gets the generic binding.
    (param,) = inspect.signature(func).parameters.values()
    if param.kind is inspect.Parameter.POSITIONAL_OR_KEYWORD and param.default is param.empty:
        code = wrapper.__code__
        wrapper.__code__ = code.replace(co_varnames=(param.name, *code.co_varnames[1:]))
    else:  # pragma: no cover - every parser in simkit.refs takes one plain parameter
        raise TypeError(f"memoize_parser needs a one-parameter parser, not {func.__name__}")
    wrapper = wraps(func)(wrapper)
    wrapper.cache_info = cached.cache_info  # type: ignore[attr-defined]
    wrapper.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
    return wrapper
