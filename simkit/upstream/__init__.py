"""Upstream projects over simulated time: releases, moving tags and rebuilds in a registry.

* :class:`SemverReleases` - semantic-version releases on patch/minor/major cadences, with
  the conventional moving tags (``latest``, ``stable``, ``1``, ``1.2``), architecture and
  base-image variants and date-stamped tags.
* :class:`Rebuilds` - existing tags re-pushed with new digests (base-image updates).
* :func:`start_release_model` - either of them from plain values, for scenario files.

Every random draw comes from ``sim.rng``, so the same seed gives the same pushes.

Examples
--------
>>> import simkit as sk
>>> from simkit.upstream import start_release_model
>>> sim = sk.Simulation(seed=0)
>>> _ = start_release_model(sim, "quay.io", "acme/app", "semver", {"minor_every": "30d"})
>>> sim.advance("365d")
>>> sim.registry("quay.io").resolve("acme/app", "latest").labels["version"] != "1.0.0"
True
"""

from simkit.upstream.cadence import Cadence, Recurring
from simkit.upstream.models import RELEASE_MODELS, model_parameters, start_release_model
from simkit.upstream.rebuilds import Rebuilds
from simkit.upstream.semver import SemverReleases, Version

__all__ = [
    "Cadence",
    "RELEASE_MODELS",
    "Rebuilds",
    "Recurring",
    "SemverReleases",
    "Version",
    "model_parameters",
    "start_release_model",
]
