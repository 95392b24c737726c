"""A declarative entry point: start a release model from plain values (a scenario's dict)."""

from __future__ import annotations

import inspect
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from simkit.state.registries import Registry
from simkit.upstream.rebuilds import Rebuilds
from simkit.upstream.semver import SemverReleases

if TYPE_CHECKING:
    from simkit.simulation import Simulation

RELEASE_MODELS: dict[str, type[SemverReleases] | type[Rebuilds]] = {
    "semver": SemverReleases,
    "rebuilds": Rebuilds,
}
"""Release model kinds by name."""

_FIXED = ("sim", "registry", "repository")


def model_parameters(kind: str) -> dict[str, inspect.Parameter]:
    """The parameters a release model of ``kind`` takes (besides sim, registry, repository).

    Examples
    --------
    >>> sorted(model_parameters("rebuilds"))
    ['every', 'fixes', 'follow', 'jitter', 'start', 'tags']
    """
    cls = _model_class(kind)
    params = inspect.signature(cls.__init__).parameters
    return {name: p for name, p in params.items() if name not in ("self", *_FIXED)}


def _model_class(kind: str) -> type[SemverReleases] | type[Rebuilds]:
    cls = RELEASE_MODELS.get(kind) if isinstance(kind, str) else None
    if cls is None:
        raise ValueError(
            f"kind: unknown release model {kind!r}; expected one of {', '.join(RELEASE_MODELS)}"
        )
    return cls


def start_release_model(
    sim: Simulation,
    registry: Registry | str,
    repository: str,
    kind: str,
    params: Mapping[str, Any] | None = None,
    **more: Any,
) -> SemverReleases | Rebuilds:
    """Start the release model ``kind`` on ``registry/repository``, now.

    Parameters come as a mapping (``params``, e.g. straight from a scenario file) and/or
    keywords; lists become tuples.  Unknown or missing parameters, and bad values, raise
    ``ValueError`` naming the parameter.

    Parameters
    ----------
    sim : Simulation
        The simulation to schedule on.
    registry : Registry or str
        The registry, or its host (made with ``sim.registry(host)`` if needed).
    repository : str
        ``acme/app``.
    kind : str
        ``"semver"`` (:class:`SemverReleases`) or ``"rebuilds"`` (:class:`Rebuilds`).
    params : mapping, optional
        The model's parameters.
    **more
        More parameters (override ``params``).

    Returns
    -------
    SemverReleases or Rebuilds
        The running model.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation(seed=0)
    >>> app = start_release_model(sim, "quay.io", "acme/app", "semver",
    ...                           {"patch_every": "7d", "arch_suffixes": ["x86_64"]})
    >>> sorted(sim.registry("quay.io").tags("acme/app"))
    ['1', '1.0', '1.0-x86_64', '1.0.0', '1.0.0-x86_64', 'latest', 'stable']
    >>> start_release_model(sim, "quay.io", "acme/app", "semver", {"patch_evry": "7d"})
    Traceback (most recent call last):
    ...
    ValueError: patch_evry: unknown parameter of release model 'semver'; expected one of \
start, patch_every, minor_every, major_every, moving_tags, arch_suffixes, base_suffixes, \
dated_tags, jitter, keep_going, architecture, base_image, variant_moving_tags, rebuild_every
    """
    accepted = model_parameters(kind)
    given = {**(dict(params) if params is not None else {}), **more}
    for name in given:
        if name not in accepted:
            raise ValueError(
                f"{name}: unknown parameter of release model {kind!r}; "
                f"expected one of {', '.join(accepted)}"
            )
    for name, parameter in accepted.items():
        if parameter.default is inspect.Parameter.empty and name not in given:
            raise ValueError(f"{name}: required by release model {kind!r}")
    # user values: each model validates its own, naming the parameter
    values: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in given.items()}
    if isinstance(registry, str):
        registry = sim.registry(registry)
    return _model_class(kind)(sim, registry, repository, **values)
