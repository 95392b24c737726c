"""Upstream rebuilds: existing tags re-pushed with new digests when their base image changes.

A rebuild keeps the tag and the image's labels (``version``, ``architecture``,
``base-image``) and adds a ``fixes`` label (the CVE the new base fixes).  It is what
makes a scheduled import worth having: the tag's name never changes, its digest does.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from simkit.state.registries import ManifestUnknown, Registry
from simkit.upstream.cadence import Cadence, Recurring, duration_parameter

if TYPE_CHECKING:
    from simkit.simulation import Simulation


class Rebuilds:
    """Re-push ``tags`` of ``repository`` about every ``every``, each time with new digests.

    All the tags are rebuilt together (one base-image change), at the times of a
    :class:`~simkit.upstream.cadence.Cadence` drawn from ``sim.rng``.  The default
    ``jitter=1`` rebuilds once per period at a uniformly random time of it ("daily, at a
    random time").

    Parameters
    ----------
    sim : Simulation
        Supplies the engine, the clock, the RNG and the event log.
    registry : Registry
        Holds the repository; every tag must exist when the model starts.
    repository : str
        ``acme/app``.
    tags : str or sequence of str
        The tags to rebuild.
    every : str or float
        Mean time between rebuilds (``"1d"``).
    jitter : float or "exponential"
        0: strictly periodic (mid-period), 1: anywhere in each period, ``"exponential"``:
        a Poisson process.
    start : str or float, optional
        Delay before the first period begins (default: now).
    follow : bool
        Also move every other tag that pointed at a rebuilt tag's old image (aliases,
        moving tags; date-stamped tags too, so leave it off for those).
    fixes : bool
        Label each rebuild with a ``fixes: CVE-YEAR-N`` label.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation(seed=0)
    >>> quay = sim.registry("quay.io")
    >>> first = quay.push("acme/base", "9")
    >>> daily = Rebuilds(sim, quay, "acme/base", "9", every="1d")
    >>> sim.advance("3d")
    >>> daily.count, quay.tags("acme/base")["9"] != first
    (3, True)
    """

    kind = "rebuilds"

    def __init__(
        self,
        sim: Simulation,
        registry: Registry,
        repository: str,
        tags: str | Sequence[str],
        every: str | float = "1d",
        jitter: float | str = 1.0,
        *,
        start: str | float | None = None,
        follow: bool = False,
        fixes: bool = True,
    ) -> None:
        if not isinstance(registry, Registry):
            raise ValueError(f"registry: expected a Registry, got {registry!r}")
        if isinstance(tags, str):
            tags = (tags,)
        if not isinstance(tags, Sequence) or not tags:
            raise ValueError(f"tags: expected a tag or a non-empty list of tags, got {tags!r}")
        existing = registry.tags(repository)
        for tag in tags:
            if not isinstance(tag, str) or tag not in existing:
                raise ValueError(
                    f"tags: {registry.host}/{repository}:{tag} does not exist; push it first"
                )
        for name, value in (("follow", follow), ("fixes", fixes)):
            if not isinstance(value, bool):
                raise ValueError(f"{name}: expected True or False, got {value!r}")
        self.sim = sim
        self.registry = registry
        self.repository = repository
        self.tags = tuple(tags)
        self.cadence = Cadence.parse("every", every, "jitter", jitter)
        self.follow = follow
        self.fixes = fixes
        delay = duration_parameter("start", start, allow_none=True) or 0.0
        self._recurring = Recurring(
            sim.engine, sim.rng, self.cadence, self.rebuild, origin=sim.now + delay
        )

    def __repr__(self) -> str:
        return (
            f"<Rebuilds {self.registry.host}/{self.repository}:{','.join(self.tags)} "
            f"every {self.cadence.every:g}s, {self.count} rebuilds>"
        )

    @property
    def count(self) -> int:
        """Scheduled rebuilds so far."""
        return self._recurring.count

    def stop(self) -> None:
        """No more rebuilds."""
        self._recurring.cancel()

    def rebuild(self) -> dict[str, str]:
        """Rebuild every tag now; returns ``{tag: new digest}`` (missing tags are skipped)."""
        registry, repository = self.registry, self.repository
        extra = {}
        if self.fixes:
            year = self.sim.year()  # (no pandas Timestamp, no text formatted on most calls)
            extra["fixes"] = f"CVE-{year}-{int(self.sim.rng.integers(1000, 60000))}"
        digests = {}
        for tag in self.tags:
            aliases = self._aliases(tag) if self.follow else ()
            digest = registry.rebuild(repository, tag, labels=extra)
            if digest is None:  # the tag is gone
                continue
            digests[tag] = digest
            for alias in aliases:
                registry.tag(repository, tag, alias)
        return digests

    def _aliases(self, tag: str) -> list[str]:
        """The other tags (not rebuilt ones) that point at ``tag``'s image now."""
        registry, repository = self.registry, self.repository
        try:
            old = registry.resolve(repository, tag)
        except ManifestUnknown:
            return []
        return [
            t
            for t, d in registry.tags(repository).items()
            if d == old.digest and t != tag and t not in self.tags
        ]
