"""Why a subject can (or cannot) pull an image stream or an external registry."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, cast

import pandas as pd

from simkit.analysis.registry_access import registry_coverage
from simkit.rules.pull_access import PullPrediction, classify_target

if TYPE_CHECKING:
    from simkit.simulation import Simulation

__all__ = ["RegistryExplanation", "explain_pull"]


class _Way(Protocol):
    """A row of :func:`~simkit.analysis.registry_coverage` (the columns read here)."""

    via: str
    secret: str
    keys: str  # comma-separated
    auth_server: str
    auth_covered: bool


@dataclass(frozen=True)
class RegistryExplanation:
    """The ways a service account's pods get credentials for an external registry, and
    what the kubelet then does.

    ``ways`` holds the matching rows of :func:`~simkit.analysis.registry_coverage`;
    ``prediction`` is :meth:`simkit.Simulation.explain_pull`'s answer for the registry
    (the one rule the kubelet pulls through); ``str()`` reads as a report.
    """

    subject: str
    registry: str
    private: bool
    ways: pd.DataFrame
    prediction: PullPrediction | None = None

    @property
    def allowed(self) -> bool:
        """Whether the service account's pods get a pull from the registry in, on every
        node (the kubelet's answer, not only whether some key matches)."""
        return self.prediction is not None and self.prediction.allowed

    def __str__(self) -> str:
        head = f'pods of "{self.subject}" pulling from {self.registry}'
        if not self.subject.startswith("system:serviceaccount:"):
            return (
                f"{head}: only pods pull from external registries, and pods run as "
                "service accounts (system:serviceaccount:NS:NAME)"
            )
        if not len(self.ways):
            why = (
                (
                    "no pull secret of the service account and no node pull secret has a "
                    "credential for it"
                )
                if self.private
                else "the registry is unknown"
            )
            return f"{head}: not covered ({why})"
        lines = [f"{head}: {'covered' if self.allowed else 'not covered'}"]
        for row in cast("Iterable[_Way]", self.ways.itertuples(index=False)):
            if row.via == "anonymous":
                lines.append("  anonymous: the registry is public")
                continue
            lines.append(f"  {row.via} {row.secret}: keys {row.keys}")
            if row.auth_server:
                state = "also covered" if row.auth_covered else "NOT covered"
                lines.append(f"    authentication delegated to {row.auth_server}: {state}")
        if self.prediction is not None:
            lines.append("what the kubelet does:")
            lines.extend(str(self.prediction).splitlines()[1:])
        return "\n".join(lines)


def explain_pull(sim: Simulation, subject: str, target: str, *, node: str | None = None):
    """Why ``subject`` may pull ``target``, or why not: what the kubelet then does.

    Parameters
    ----------
    sim : Simulation
    subject : str
        A user name, ``system:serviceaccount:NS:NAME``, or ``pod:NS/NAME``.
    target : str
        An image stream (``"ns/stream"``, ``"ns/stream:tag"``, or a who-can-pull node
        id ``"imagestream:ns/stream"``), an external registry host (``"quay.io"`` or
        ``"registry:quay.io"``), or an image (``"quay.io/acme/app:1"``, or one on the
        integrated registry).  The same targets as
        :meth:`simkit.Simulation.explain_pull`, with the same answer.
    node : str, optional
        For a registry or an image: predict for that node only.

    Returns
    -------
    simkit.rules.rbac.Explanation, RegistryExplanation or PullPrediction
        For a stream, RBAC's chain of group, binding, role and rule; for a registry
        host, the pull secrets that cover it and the prediction; for an image, the
        prediction (:class:`simkit.rules.pull_access.PullPrediction`).  All have
        ``allowed`` and print as a report.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation()
    >>> _ = sim.oc("tag --reference quay.io/acme/ruby:3.1 ruby:3.1")
    >>> explain_pull(sim, "system:serviceaccount:default:builder", "default/ruby").allowed
    True
    >>> _ = sim.registry("quay.io", users={"bot": "pw"})
    >>> print(explain_pull(sim, "system:serviceaccount:default:builder", "quay.io"))
    pods of "system:serviceaccount:default:builder" pulling from quay.io: not covered (no \
pull secret of the service account and no node pull secret has a credential for it)
    """
    kind, value = classify_target(target, sim.registries)
    if kind == "stream":
        return sim.explain_pull(subject, value)
    prediction = sim.explain_pull(
        subject, f"registry:{value}" if kind == "registry" else value, node=node
    )
    if kind == "image" or subject.startswith("pod:"):
        return prediction
    coverage = registry_coverage(sim)
    ways = coverage[
        (coverage["service_account"] == subject) & (coverage["registry"] == value)
    ].reset_index(drop=True)
    registry = sim.registries.get(value)
    return RegistryExplanation(
        subject, value, registry is None or registry.private, ways, prediction
    )
