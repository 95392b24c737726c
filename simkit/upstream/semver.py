"""An upstream project that releases semantic versions and moves its tags, over time.

:class:`SemverReleases` pushes ``MAJOR.MINOR.PATCH`` images to a
:class:`~simkit.state.registries.Registry` on three independent cadences (patch, minor,
major), and keeps the project's *moving* tags where the OpenShift tag conventions put
them (``latest``, ``stable``, ``1``, ``1.2``, ``1.2-centos7``, ``1.2-x86_64``).  It can
also rebuild its current releases (a base-image update: same tags, new digests), which
carries every moving tag that pointed at the old image along.

Tag conventions (OpenShift "Image tagging conventions"): revision ``v2.0.1``,
architecture ``v2.0-x86_64``, base image ``v1.2-centos7``, ``latest``, ``stable``,
dated ``v2.0.1-20190501``.
"""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from simkit.refs import is_valid_tag_name
from simkit.state.registries import Registry
from simkit.upstream.cadence import Cadence, Recurring, jitter_parameter

if TYPE_CHECKING:
    from simkit.simulation import Simulation

LEVELS = ("major", "minor", "patch")
STABLE = "stable"
_VERSION = re.compile(r"^(v?)(\d+)\.(\d+)\.(\d+)$")
_PLACEHOLDERS = frozenset({"major", "minor", "patch", "prefix"})


@dataclass(frozen=True, slots=True, order=True)
class Version:
    """``MAJOR.MINOR.PATCH``, ordered numerically; ``prefix`` is ``""`` or ``"v"``.

    Examples
    --------
    >>> v = Version.parse("v1.2.3")
    >>> str(v), str(v.bump("minor")), str(v.bump("major"))
    ('v1.2.3', 'v1.3.0', 'v2.0.0')
    """

    major: int
    minor: int
    patch: int
    prefix: str = ""

    @classmethod
    def parse(cls, text: str, name: str = "start") -> Version:
        """``"1.2.3"`` or ``"v1.2.3"``; a ``ValueError`` naming parameter ``name`` otherwise."""
        match = _VERSION.match(text) if isinstance(text, str) else None
        if match is None:
            raise ValueError(
                f"{name}: expected a version such as '1.0.0' or 'v1.0.0', got {text!r}"
            )
        prefix, major, minor, patch = match.groups()
        return cls(int(major), int(minor), int(patch), prefix)

    def bump(self, level: str) -> Version:
        """The next version at ``level`` (``major``, ``minor`` or ``patch``)."""
        if level == "major":
            return Version(self.major + 1, 0, 0, self.prefix)
        if level == "minor":
            return Version(self.major, self.minor + 1, 0, self.prefix)
        if level == "patch":
            return Version(self.major, self.minor, self.patch + 1, self.prefix)
        raise ValueError(f"level: expected one of {', '.join(LEVELS)}, got {level!r}")

    def fields(self) -> dict[str, object]:
        """The placeholders a tag template may use."""
        return {
            "major": self.major,
            "minor": self.minor,
            "patch": self.patch,
            "prefix": self.prefix,
        }

    @property
    def number(self) -> str:
        """``1.2.3``, without the prefix (the ``version`` label)."""
        return f"{self.major}.{self.minor}.{self.patch}"

    def __str__(self) -> str:
        return self.prefix + self.number


def _tag_templates(name: str, value: object) -> tuple[str, ...]:
    """Validate a sequence of tag templates such as ``"{major}.{minor}"``."""
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise ValueError(f"{name}: expected a list of tags, got {value!r}")
    sample = Version(1, 2, 3, "v").fields()
    out = []
    for template in value:
        if not isinstance(template, str):
            raise ValueError(f"{name}: expected tag strings, got {template!r}")
        try:
            used = {f for _, f, _, _ in string.Formatter().parse(template) if f is not None}
        except ValueError as exc:
            raise ValueError(f"{name}: bad template {template!r}: {exc}") from None
        unknown = used - _PLACEHOLDERS
        if unknown:
            raise ValueError(
                f"{name}: template {template!r} uses {sorted(unknown)}; "
                f"allowed placeholders are {{major}}, {{minor}}, {{patch}}, {{prefix}}"
            )
        if not is_valid_tag_name(template.format(**sample)):
            raise ValueError(f"{name}: {template!r} does not make a valid tag name")
        out.append(template)
    return tuple(out)


def _suffixes(name: str, value: object) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        raise ValueError(f"{name}: expected a list of tag suffixes, got {value!r}")
    for suffix in value:
        if not isinstance(suffix, str) or not is_valid_tag_name(f"1.2.3-{suffix}"):
            raise ValueError(f"{name}: {suffix!r} is not a valid tag suffix")
    if len(set(value)) != len(value):
        raise ValueError(f"{name}: duplicate suffixes in {list(value)!r}")
    return tuple(value)


class SemverReleases:
    """Semantic-version releases of ``repository`` on ``registry``, pushed over simulated time.

    At construction it releases ``start`` now; then patch, minor and major releases
    follow on their own cadences (each ``None`` to switch it off), every interval drawn
    from ``sim.rng``.  A release of version ``M.m.p``:

    * pushes ``M.m.p`` (labels ``version``, ``architecture``, ``base-image``);
    * for each architecture suffix ``a``, ``M.m.p-a`` (the same image when ``a`` is
      ``architecture``, else its own image labelled with that architecture), and for
      each base suffix ``b``, ``M.m.p-b`` likewise; each suffix ``s`` also moves
      ``M.m-s`` (``variant_moving_tags``);
    * with ``dated_tags``, tags the image ``M.m.p-YYYYMMDD`` (the release date);
    * moves the ``moving_tags``: a template such as ``"{major}.{minor}"`` names a series,
      and its tag always points at the newest release of that series (``latest``:
      all releases, ``1``: 1.x.y, ``1.2``: 1.2.x); ``stable`` lags one release: it
      points at the release before the newest (the first release until there is a
      second).

    With ``rebuild_every``, the newest release and the one ``stable`` points at are
    rebuilt on that cadence: new digests under the same revision and variant tags, a
    ``fixes`` label, a new dated tag, and every moving tag that pointed at the old image
    moved to the new one.

    Parameters
    ----------
    sim : Simulation
        Supplies the engine, the clock, the RNG and the event log.
    registry : Registry
        Where the images are pushed.
    repository : str
        ``acme/app``.
    start : str
        The first version, ``"1.0.0"`` or ``"v1.0.0"`` (then revision tags keep the ``v``).
    patch_every, minor_every, major_every : str, float or None
        Mean time between releases of each kind (``"14d"`` ...); None: never.
    moving_tags : sequence of str
        Tag templates with ``{major}``, ``{minor}``, ``{patch}``, ``{prefix}``, plus
        ``stable``.
    arch_suffixes, base_suffixes : sequence of str
        Variant suffixes (``x86_64``, ``centos7`` ...).
    dated_tags : bool
        Also tag each release (and rebuild) ``M.m.p-YYYYMMDD``.
    jitter : float or "exponential"
        See :class:`~simkit.upstream.cadence.Cadence`: 0 strictly periodic, 1 anywhere
        in each period, ``"exponential"`` a Poisson process.
    keep_going : bool
        Schedule releases (True), or only push ``start`` and leave further releases
        to :meth:`release` calls (False).
    architecture, base_image : str
        Labels of the plain (unsuffixed) images.
    variant_moving_tags : sequence of str
        Templates moved for each variant suffix, with ``-SUFFIX`` appended.
    rebuild_every : str, float or None
        Mean time between rebuilds of the current releases; None: never.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation(seed=3)
    >>> quay = sim.registry("quay.io")
    >>> app = SemverReleases(sim, quay, "acme/app", patch_every="7d", minor_every=None,
    ...                      major_every=None, jitter=0)
    >>> sim.advance("15d")
    >>> [str(v) for v in app.versions]
    ['1.0.0', '1.0.1', '1.0.2']
    >>> tags = quay.tags("acme/app")
    >>> tags["latest"] == tags["1"] == tags["1.0"] == tags["1.0.2"], tags["stable"] == tags["1.0.1"]
    (True, True)
    """

    kind = "semver"

    def __init__(
        self,
        sim: Simulation,
        registry: Registry,
        repository: str,
        *,
        start: str = "1.0.0",
        patch_every: str | float | None = "14d",
        minor_every: str | float | None = "90d",
        major_every: str | float | None = "730d",
        moving_tags: Sequence[str] = ("latest", "stable", "{major}", "{major}.{minor}"),
        arch_suffixes: Sequence[str] = (),
        base_suffixes: Sequence[str] = (),
        dated_tags: bool = False,
        jitter: float | str = 0.3,
        keep_going: bool = True,
        architecture: str = "x86_64",
        base_image: str = "ubi9",
        variant_moving_tags: Sequence[str] = ("{major}.{minor}",),
        rebuild_every: str | float | None = None,
    ) -> None:
        if not isinstance(registry, Registry):
            raise ValueError(f"registry: expected a Registry, got {registry!r}")
        if not isinstance(repository, str) or not repository:
            raise ValueError(
                f"repository: expected a repository such as 'acme/app', got {repository!r}"
            )
        self.sim = sim
        self.registry = registry
        self.repository = repository
        self.version = Version.parse(start)
        self.jitter = jitter_parameter("jitter", jitter)
        cadences = {}
        for level, every in (
            ("patch", patch_every),
            ("minor", minor_every),
            ("major", major_every),
            ("rebuild", rebuild_every),
        ):
            if every is not None:
                cadences[level] = Cadence.parse(f"{level}_every", every, "jitter", self.jitter)
        self.cadences = cadences
        self.moving_tags = _tag_templates("moving_tags", moving_tags)
        self.variant_moving_tags = _tag_templates("variant_moving_tags", variant_moving_tags)
        self.arch_suffixes = _suffixes("arch_suffixes", arch_suffixes)
        self.base_suffixes = _suffixes("base_suffixes", base_suffixes)
        clash = set(self.arch_suffixes) & set(self.base_suffixes)
        if clash:
            raise ValueError(f"base_suffixes: {sorted(clash)} are also architecture suffixes")
        for name, value in (("architecture", architecture), ("base_image", base_image)):
            if not isinstance(value, str) or not value:
                raise ValueError(f"{name}: expected a non-empty string, got {value!r}")
        if not isinstance(dated_tags, bool):
            raise ValueError(f"dated_tags: expected True or False, got {dated_tags!r}")
        if not isinstance(keep_going, bool):
            raise ValueError(f"keep_going: expected True or False, got {keep_going!r}")
        self.dated_tags = dated_tags
        self.architecture = architecture
        self.base_image = base_image
        self.versions: list[Version] = []
        self.released: list[float] = []
        self.rebuilds = 0
        # moving tag -> the revision tag it points at (so rebuilds can carry it along)
        self.moving: dict[str, str] = {}
        self._timers: list[Recurring] = []
        self._publish(self.version, "start")
        if keep_going:
            self.resume()

    def __repr__(self) -> str:
        return (
            f"<SemverReleases {self.registry.host}/{self.repository} at {self.version}, "
            f"{len(self.versions)} releases, {self.rebuilds} rebuilds>"
        )

    # -- control ------------------------------------------------------------------------
    def resume(self) -> None:
        """Schedule the cadences from now (a no-op if already running)."""
        if self._timers:
            return
        for level, cadence in self.cadences.items():
            action = self.rebuild if level == "rebuild" else self._releaser(level)
            self._timers.append(Recurring(self.sim.engine, self.sim.rng, cadence, action))

    def _releaser(self, level: str):
        return lambda: self.release(level)

    def stop(self) -> None:
        """No more scheduled releases or rebuilds."""
        for timer in self._timers:
            timer.cancel()
        self._timers = []

    # -- what a release does ------------------------------------------------------------
    def release(self, level: str = "patch") -> Version:
        """Release the next ``level`` version now; returns it."""
        version = self.version.bump(level)
        self._publish(version, level)
        return version

    def tag_of(self, version: Version, suffix: str = "") -> str:
        """The revision tag of ``version`` (``1.2.3``, or ``1.2.3-SUFFIX``)."""
        return f"{version}-{suffix}" if suffix else str(version)

    def _labels(self, version: Version, architecture: str, base: str) -> dict[str, str]:
        return {"version": version.number, "architecture": architecture, "base-image": base}

    def _variants(self) -> list[tuple[str, str, str]]:
        """``(suffix, architecture, base image)`` of every suffixed variant."""
        out = [(a, a, self.base_image) for a in self.arch_suffixes]
        out += [(b, self.architecture, b) for b in self.base_suffixes]
        return out

    def _push_images(self, version: Version, extra: dict[str, str]) -> str:
        """Push (or re-push) the revision tag and its variants; returns the revision tag."""
        repo, registry = self.repository, self.registry
        revision = self.tag_of(version)
        plain = {**self._labels(version, self.architecture, self.base_image), **extra}
        registry.push(repo, revision, labels=plain)
        for suffix, arch, base in self._variants():
            tag = self.tag_of(version, suffix)
            if arch == self.architecture and base == self.base_image:
                registry.tag(repo, revision, tag)
            else:
                registry.push(repo, tag, labels={**self._labels(version, arch, base), **extra})
        if self.dated_tags:
            registry.tag(repo, revision, f"{revision}-{self.sim.clock.strftime('%Y%m%d')}")
        return revision

    def _move(self, tag: str, revision: str) -> None:
        self.moving[tag] = revision
        self.registry.tag(self.repository, revision, tag)

    def _publish(self, version: Version, level: str) -> None:
        revision = self._push_images(version, {})
        previous = self.versions[-1] if self.versions else None
        self.version = version
        self.versions.append(version)
        self.released.append(self.sim.now)
        fields = version.fields()
        for template in self.moving_tags:
            if template == STABLE:
                self._move(STABLE, self.tag_of(previous if previous is not None else version))
            else:
                self._move(template.format(**fields), revision)
        for suffix, _, _ in self._variants():
            for template in self.variant_moving_tags:
                self._move(f"{template.format(**fields)}-{suffix}", self.tag_of(version, suffix))
        self.sim.record(
            "upstream_release",
            registry=self.registry.host,
            repository=self.repository,
            version=str(version),
            level=level,
            tag=revision,
        )

    def rebuild(self) -> list[Version]:
        """Rebuild the newest release and the one ``stable`` points at, now."""
        targets = [self.version]
        stable = self.moving.get(STABLE)
        if stable is not None and stable != self.tag_of(self.version):
            targets.insert(0, Version.parse(stable))
        fixes = f"CVE-{self.sim.clock.year}-{int(self.sim.rng.integers(1000, 60000))}"
        for version in targets:
            revision = self._push_images(version, {"fixes": fixes})
            suffixed = {self.tag_of(version, s) for s, _, _ in self._variants()} | {revision}
            for tag, target in list(self.moving.items()):
                if target in suffixed:
                    self._move(tag, target)
            self.rebuilds += 1
            self.sim.record(
                "upstream_rebuild",
                registry=self.registry.host,
                repository=self.repository,
                tag=revision,
                fixes=fixes,
            )
        return targets
