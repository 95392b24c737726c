"""Tag naming conventions: which row of OpenShift's tag-convention table a tag follows.

OpenShift's "Image tag conventions" (Images > Tagging images) lists, as
``<image_name>:<image_tag>``:

=============================  =========================
Revision                       ``myimage:v2.0.1``
Architecture                   ``myimage:v2.0-x86_64``
Base image                     ``myimage:v1.2-centos7``
Latest (potentially unstable)  ``myimage:latest``
Latest stable                  ``myimage:stable``
=============================  =========================

and warns that a tag with too much information in it, like ``v2.0.1-may-2019``, points
at one revision only, is never updated, and so is never pruned with the default options:
dated tags need periodic, manual pruning.  A tag named ``v2.0`` gets new revisions and a
longer history, which the pruner can trim.

:func:`classify_tag` names the row, :func:`semver_level` how specific a version is, and
:func:`tag_flags` the lint findings; :func:`simkit.analysis.lint.lint_image_streams`
applies them to image streams.
"""

from __future__ import annotations

import re
from typing import TypedDict

__all__ = [
    "ARCHITECTURES",
    "BASE_IMAGES",
    "CATEGORIES",
    "classify_tag",
    "parse_tag",
    "semver_level",
    "tag_flags",
]

CATEGORIES = ("revision", "architecture", "base-image", "latest", "stable", "dated", "other")
"""What :func:`classify_tag` returns, in the order of the convention table."""

ARCHITECTURES = frozenset(
    {
        "x86_64",
        "amd64",
        "x86-64",
        "i386",
        "i686",
        "386",
        "aarch64",
        "arm64",
        "arm64v8",
        "arm",
        "armhf",
        "armel",
        "armv6",
        "armv7",
        "arm32v7",
        "ppc64le",
        "ppc64",
        "s390x",
        "riscv64",
        "mips64le",
        "multiarch",
        "multi-arch",
    }
)
"""Architecture names as they appear in tags (Go's GOARCH names and the uname ones)."""

_BASE_WORDS = (
    "centos",
    "rhel",
    "el",
    "ubi",
    "fedora",
    "alpine",
    "debian",
    "ubuntu",
    "bookworm",
    "bullseye",
    "buster",
    "stretch",
    "jessie",
    "trixie",
    "focal",
    "jammy",
    "noble",
    "bionic",
    "xenial",
    "distroless",
    "scratch",
    "busybox",
    "windowsservercore",
    "nanoserver",
    "ltsc",
    "sles",
    "opensuse",
    "leap",
    "amazonlinux",
    "al",
    "oraclelinux",
    "ol",
    "rocky",
    "rockylinux",
    "alma",
    "almalinux",
    "stream",
    "jdk",
    "jre",
    "openjdk",
    "java",
    "temurin",
    "corretto",
    "node",
    "nodejs",
    "python",
    "musl",
    "glibc",
    "slim",
    "minimal",
    "micro",
)
BASE_IMAGES = frozenset(_BASE_WORDS)
"""Words that name a base image or runtime a tag was built on (``centos7``, ``ubi9``,
``el8``, ``alpine3.19``, ``jdk17``, ``minimal`` ...), optionally followed by a version."""

_BASE_TOKEN = re.compile(
    r"(?P<word>" + "|".join(sorted(_BASE_WORDS, key=len, reverse=True)) + r")"
    r"(?P<version>\d+(?:\.\d+)*)?\Z"
)
_VERSION = re.compile(r"v?(?P<core>\d+(?:\.\d+)*)\Z", re.IGNORECASE)
_PRERELEASE = re.compile(
    r"(?:alpha|beta|rc|pre|dev|snapshot|preview|ea|m)\.?\d*\Z"
    r"|(?:ga|final|release|fp)\d*\Z",
    re.IGNORECASE,
)
_MONTHS = (
    "jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|june|"
    "july|august|september|october|november|december"
)
_YEAR = r"(?:19|20)\d\d"
_MONTH_NUM = r"(?:0[1-9]|1[0-2])"
_DAY = r"(?:0[1-9]|[12]\d|3[01])"
_DATE_PATTERNS = (
    # 20190501, 20190501T120000, 201905011200 (a build timestamp)
    re.compile(rf"(?<!\d){_YEAR}{_MONTH_NUM}{_DAY}(?:t?\d{{4,6}}z?)?(?!\d)"),
    # 2019-05-01, 2019.05.01, 2019_05_01
    re.compile(rf"(?<!\d){_YEAR}[-._]{_MONTH_NUM}[-._]{_DAY}(?!\d)"),
    # may-2019, 2019-may, may2019
    re.compile(rf"(?<![a-z])(?:{_MONTHS})[-._]?{_YEAR}(?!\d)"),
    re.compile(rf"(?<!\d){_YEAR}[-._]?(?:{_MONTHS})(?![a-z])"),
    # 2019-05, 201905 after a separator (a monthly build)
    re.compile(rf"(?:^|[-._]){_YEAR}[-._]?{_MONTH_NUM}(?:$|[-._])"),
)
_SPLIT = re.compile(r"[-_]")
_RELEASED = re.compile(r"(?:ga|final|release|fp)\d*")
_DOTTED_QUALIFIER = re.compile(r"(?P<core>v?\d+(?:\.\d+)*)\.(?P<qualifier>[A-Za-z]+\d*)\Z")
_ARCH_BY_LENGTH = sorted(ARCHITECTURES, key=len, reverse=True)


def _is_date(tag: str) -> bool:
    lowered = tag.lower()
    return any(pattern.search(lowered) for pattern in _DATE_PATTERNS)


class ParsedTag(TypedDict):
    """What :func:`parse_tag` finds in a tag."""

    version: str
    parts: int
    arch: str
    base: str
    prerelease: str
    dated: bool
    rest: str


def parse_tag(tag: str) -> ParsedTag:
    """Split a tag into its version, qualifier words, architecture and base image.

    Parameters
    ----------
    tag : str
        A tag name (``v2.0.1``, ``1.18-ubi8``, ``v2.0-x86_64`` ...).

    Returns
    -------
    dict
        ``version`` (the leading dotted number without ``v``, or ``""``), ``parts`` (how
        many numbers it has), ``arch`` and ``base`` (the words found, or ``""``),
        ``prerelease`` (a ``-rc1``/``.GA``-like qualifier), ``dated`` (a date in it),
        ``rest`` (the words that are none of these).

    Examples
    --------
    >>> parse_tag("v2.0-x86_64")["arch"]
    'x86_64'
    >>> p = parse_tag("22-minimal-ubi9")
    >>> p["version"], p["base"]
    ('22', 'minimal-ubi9')
    >>> parse_tag("2.1.0.GA")["prerelease"]
    'GA'
    >>> parse_tag("openjdk-11-ubi8")["version"]
    '11'
    """
    out: ParsedTag = {
        "version": "",
        "parts": 0,
        "arch": "",
        "base": "",
        "prerelease": "",
        "dated": _is_date(tag),
        "rest": "",
    }
    text = tag
    lowered_tag = text.lower()
    for name in _ARCH_BY_LENGTH:
        if name not in lowered_tag:  # cheap test first: thousands of tags per report
            continue
        # x86_64 and arm64v8 hold separators: take whole architecture names out first
        match = re.search(rf"(?:^|[-_.]){re.escape(name)}(?:$|[-_.])", lowered_tag)
        if match:
            out["arch"] = name
            text = (text[: match.start()] + "-" + text[match.end() :]).strip("-")
            break
    base, rest, prerelease = [], [], []
    for word in (w for w in _SPLIT.split(text) if w):
        lowered = word.lower()
        if not out["version"]:
            match = _VERSION.match(lowered)
            if match:
                out["version"] = match["core"]
                continue
            dotted = _DOTTED_QUALIFIER.match(word)
            if dotted:  # 2.1.0.GA: the last dotted part is a qualifier
                out["version"] = dotted["core"].lstrip("vV")
                prerelease.append(dotted["qualifier"])
                continue
        if _BASE_TOKEN.match(lowered):
            base.append(lowered)
        elif out["version"] and _PRERELEASE.match(lowered):
            prerelease.append(word)
        else:
            rest.append(lowered)
    version = str(out["version"])
    out["parts"] = len(version.split(".")) if version else 0
    out["base"] = "-".join(base)
    out["prerelease"] = "-".join(prerelease)
    out["rest"] = "-".join(rest)
    return out


def classify_tag(tag: str) -> str:
    """The naming convention ``tag`` follows, from OpenShift's tag-convention table.

    Parameters
    ----------
    tag : str
        A tag name, without the image name (``myimage:v2.0.1`` is ``v2.0.1``; a leading
        ``name:`` is ignored).

    Returns
    -------
    str
        ``"dated"`` when the tag holds a date (``v2.0.1-may-2019``, ``20190501``,
        ``1.2-2019-05-01``): too much information, a tag that is never updated and needs
        pruning by hand; else ``"latest"`` (``latest``, ``latest-jdk17``),
        ``"stable"``, ``"architecture"`` (a version and an architecture:
        ``v2.0-x86_64``), ``"base-image"`` (a version and the base it is built on:
        ``v1.2-centos7``, ``1.18-ubi8``, ``openjdk-11-ubi8``), ``"revision"`` (a version
        only, ``v2.0.1``, ``2.0``, ``11``, ``2.1.0.GA``, ``1.0-rc1``), else ``"other"``.

    Examples
    --------
    >>> [classify_tag(t) for t in ["v2.0.1", "v2.0-x86_64", "v1.2-centos7", "latest",
    ...                            "stable", "v2.0.1-may-2019", "20190501", "nightly"]]
    ['revision', 'architecture', 'base-image', 'latest', 'stable', 'dated', 'dated', 'other']
    >>> classify_tag("myimage:v2.0.1"), classify_tag("3.12-minimal-ubi9")
    ('revision', 'base-image')
    """
    tag = tag.rsplit(":", 1)[-1] if ":" in tag else tag
    if not tag:
        return "other"
    if _is_date(tag):
        return "dated"
    lowered = tag.lower()
    first = _SPLIT.split(lowered, 1)[0]
    if first == "latest":
        return "latest"
    if first == "stable":
        return "stable"
    parsed = parse_tag(tag)
    if parsed["rest"]:
        return "other"
    if parsed["arch"] and (parsed["version"] or parsed["base"]):
        return "architecture"
    if parsed["base"] and parsed["version"]:
        return "base-image"
    if parsed["version"] and not parsed["base"] and not parsed["arch"]:
        return "revision"
    return "other"


def semver_level(tag: str) -> str:
    """How specific the version in ``tag`` is: ``"major"``, ``"minor"``, ``"patch"`` or
    ``"none"``.

    ``v2`` or ``11`` name a major version (they float over minors and patches), ``v2.0``
    a minor one (floats over patches), ``v2.0.1`` (or more numbers, ``26.0.0.7``) a patch
    level; a tag without a leading version number has ``"none"``.

    Examples
    --------
    >>> [semver_level(t) for t in ["11", "v2.0", "2.0.1", "26.0.0.7-java17", "latest"]]
    ['major', 'minor', 'patch', 'patch', 'none']
    >>> semver_level("v2.0.1-may-2019"), semver_level("20190501")
    ('patch', 'none')
    """
    parsed = parse_tag(tag.rsplit(":", 1)[-1])
    version = str(parsed["version"])
    if parsed["dated"] and (_is_date(version) or re.fullmatch(_YEAR, version)):
        return "none"  # the leading number is a date (20190501), not a version
    return {0: "none", 1: "major", 2: "minor"}.get(int(parsed["parts"]), "patch")


def tag_flags(tag: str, category: str | None = None) -> list[str]:
    """Lint findings for one tag name.

    * ``"dated: too much information, prune"``: the tag embeds a date; it points at one
      revision only, is never updated, and default pruning never removes its image;
    * ``"floating"``: the tag is expected to move to newer images (``latest``,
      ``stable``, a major or minor version);
    * ``"specific"``: a patch-level version, expected to keep its image;
    * ``"prerelease"``: ``rc``, ``beta`` and the like;
    * ``"unconventional"``: none of the table's rows.

    Examples
    --------
    >>> tag_flags("v2.0.1-may-2019")
    ['dated: too much information, prune', 'specific']
    >>> tag_flags("v2.0"), tag_flags("latest"), tag_flags("nightly")
    (['floating'], ['floating'], ['unconventional'])
    """
    category = category or classify_tag(tag)
    flags = []
    if category == "dated":
        flags.append("dated: too much information, prune")
    level = semver_level(tag)
    if category in ("latest", "stable") or (category != "dated" and level in ("major", "minor")):
        flags.append("floating")
    elif level == "patch":
        flags.append("specific")
    prerelease = str(parse_tag(tag.rsplit(":", 1)[-1])["prerelease"]).lower()
    if prerelease and category != "other" and not _RELEASED.fullmatch(prerelease):
        flags.append("prerelease")
    if category == "other":
        flags.append("unconventional")
    return flags
