"""The orders in which OpenShift lists the tags of an image stream.

* :func:`prioritize_tags` - library-go ``imageutil.PrioritizeTags``, used by ``oc describe
  is``: ``latest`` first, then minor versions (``5.1``, ``v5.1``, ``5.1-rc1``) newest first,
  then full semantic versions (``5.1.3``) newest first, then the rest alphabetically.
* :func:`sort_status_tags` - openshift-apiserver ``SortStatusTags``, used by the ``oc get
  is`` table: most recently updated first, ties by name.

Versions are compared as ``blang/semver`` does (:func:`parse_semver`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from simkit.state.images import ImageStream

__all__ = ["Semver", "parse_semver", "prioritize_tags", "sort_status_tags"]

_NUMBERS = frozenset("0123456789")
_ALPHANUM = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-0123456789")
_MINOR = re.compile(r"[0-9]+\.[0-9]+")
_MINOR_WITH_PATCH = re.compile(r"([0-9]+\.[0-9]+)-[0-9A-Za-z_]+")
_UINT64_MAX = 2**64 - 1

_LATEST, _MINOR_PRIORITY, _FULL, _OTHER = range(4)


@dataclass(frozen=True, slots=True)
class Semver:
    """A parsed semantic version; ``pre`` holds ints (numeric) and strs (alphanumeric)."""

    major: int
    minor: int
    patch: int
    pre: tuple[int | str, ...] = ()

    def compare(self, other: Semver) -> int:
        """``Version.Compare``: -1, 0 or 1; build metadata never counts.

        Examples
        --------
        >>> parse_semver("1.0.0-rc.1").compare(parse_semver("1.0.0"))
        -1
        >>> parse_semver("1.0.0-alpha.10").compare(parse_semver("1.0.0-alpha.9"))
        1
        """
        mine = (self.major, self.minor, self.patch)
        theirs = (other.major, other.minor, other.patch)
        if mine != theirs:
            return 1 if mine > theirs else -1
        if not self.pre or not other.pre:
            return (not self.pre) - (not other.pre)
        for a, b in zip(self.pre, other.pre, strict=False):
            result = _compare_pre(a, b)
            if result:
                return result
        return (len(self.pre) > len(other.pre)) - (len(self.pre) < len(other.pre))


def _compare_pre(a: int | str, b: int | str) -> int:
    if isinstance(a, int) != isinstance(b, int):
        return -1 if isinstance(a, int) else 1
    return (a > b) - (a < b)  # type: ignore[operator]


def _number(text: str) -> int | None:
    if not text or not set(text) <= _NUMBERS or (len(text) > 1 and text[0] == "0"):
        return None
    value = int(text)
    return value if value <= _UINT64_MAX else None


def parse_semver(text: str) -> Semver | None:
    """``semver.Parse`` (strict ``MAJOR.MINOR.PATCH[-pre][+build]``), or None if invalid.

    Examples
    --------
    >>> parse_semver("5.1.3")
    Semver(major=5, minor=1, patch=3, pre=())
    >>> parse_semver("5.1.0-rc1").pre
    ('rc1',)
    >>> parse_semver("5.1") is None, parse_semver("05.1.0") is None
    (True, True)
    """
    parts = text.split(".", 2)
    if len(parts) != 3:
        return None
    major, minor = _number(parts[0]), _number(parts[1])
    rest, _, build = parts[2].partition("+")
    if "+" in parts[2] and any(not b or not set(b) <= _ALPHANUM for b in build.split(".")):
        return None
    patch_text, dash, pre_text = rest.partition("-")
    patch = _number(patch_text)
    if major is None or minor is None or patch is None:
        return None
    pre: list[int | str] = []
    if dash:
        for item in pre_text.split("."):
            if not item:
                return None
            if set(item) <= _NUMBERS:
                number = _number(item)
                if number is None:
                    return None
                pre.append(number)
            elif set(item) <= _ALPHANUM:
                pre.append(item)
            else:
                return None
    return Semver(major, minor, patch, tuple(pre))


def _priority(tag: str) -> tuple[int, Semver | None, str]:
    if tag == "latest":
        return _LATEST, None, ""
    prefix, short = ("v", tag[1:]) if tag.startswith("v") else ("", tag)
    version = parse_semver(short)
    if version is not None:
        return _FULL, version, prefix
    if _MINOR.fullmatch(short):
        version = parse_semver(short + ".0")
        if version is not None:
            return _MINOR_PRIORITY, version, prefix
    match = _MINOR_WITH_PATCH.fullmatch(short)
    if match:
        version = parse_semver(short.replace(match.group(1), match.group(1) + ".0", 1))
        if version is not None:
            return _MINOR_PRIORITY, version, prefix
    return _OTHER, None, prefix


class _Key:
    """A sort key with ``prioritizedTags.Less``; the tag name breaks remaining ties."""

    __slots__ = ("tag", "priority", "version", "prefix")

    def __init__(self, tag: str) -> None:
        self.tag = tag
        self.priority, self.version, self.prefix = _priority(tag)

    def __lt__(self, other: _Key) -> bool:
        if self.priority != other.priority:
            return self.priority < other.priority
        if self.version is None or other.version is None:
            return self.tag < other.tag
        result = self.version.compare(other.version)
        if result:
            return result > 0  # the newer version first
        if self.prefix != other.prefix:
            return self.prefix < other.prefix
        return self.tag < other.tag


def prioritize_tags(tags: list[str]) -> list[str]:
    """Tags in ``PrioritizeTags`` order (a new list).

    Examples
    --------
    >>> prioritize_tags(["1.0.1", "dev", "latest", "v2.0", "2.1", "1.0.0", "beta"])
    ['latest', '2.1', 'v2.0', '1.0.1', '1.0.0', 'beta', 'dev']
    """
    return sorted(tags, key=_Key)


def sort_status_tags(stream: ImageStream) -> list[str]:
    """Status tags newest first (``SortStatusTags``): by the second of ``items[0].created``,
    descending, then by name; tags without history count as the oldest.

    Examples
    --------
    >>> from simkit.state.images import NamedTagEventList, TagEvent
    >>> s = ImageStream("ns", "app")
    >>> for name, t in [("a", 10.0), ("b", 30.0), ("c", 10.4)]:
    ...     s.status_tags[name] = NamedTagEventList(name, [TagEvent(t, "r", "i")])
    >>> s.status_tags["failed"] = NamedTagEventList("failed")
    >>> sort_status_tags(s)
    ['b', 'a', 'c', 'failed']
    """

    def key(name: str) -> tuple[float, str]:
        items = stream.status_tags[name].items
        created = math.floor(items[0].created) if items else -math.inf
        return (-created, name)

    return sorted(stream.status_tags, key=key)
