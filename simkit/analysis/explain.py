"""Why a subject can (or cannot) pull an image stream or an external registry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pandas as pd

from simkit.analysis.registry_access import registry_coverage

if TYPE_CHECKING:
    from simkit.rules.rbac import Explanation
    from simkit.simulation import Simulation

__all__ = ["RegistryExplanation", "explain_pull"]


@dataclass(frozen=True)
class RegistryExplanation:
    """The ways a service account's pods get credentials for an external registry.

    ``ways`` holds the matching rows of :func:`~simkit.analysis.registry_coverage`;
    ``str()`` reads as a report.
    """

    subject: str
    registry: str
    private: bool
    ways: pd.DataFrame

    @property
    def allowed(self) -> bool:
        """Whether some way covers the registry (and its auth server, if delegated)."""
        return bool(len(self.ways)) and bool(self.ways["auth_covered"].all())

    def __str__(self) -> str:
        head = f'pods of "{self.subject}" pulling from {self.registry}'
        if not self.subject.startswith("system:serviceaccount:"):
            return (f"{head}: only pods pull from external registries, and pods run as "
                    "service accounts (system:serviceaccount:NS:NAME)")
        if not len(self.ways):
            why = ("no pull secret of the service account and no node pull secret has a "
                   "credential for it") if self.private else "the registry is unknown"
            return f"{head}: not covered ({why})"
        lines = [f"{head}: {'covered' if self.allowed else 'not fully covered'}"]
        for row in self.ways.itertuples(index=False):
            if row.via == "anonymous":
                lines.append("  anonymous: the registry is public")
                continue
            lines.append(f"  {row.via} {row.secret}: keys {row.keys}")
            if row.auth_server:
                state = "also covered" if row.auth_covered else "NOT covered"
                lines.append(f"    authentication delegated to {row.auth_server}: {state}")
        return "\n".join(lines)


def explain_pull(sim: Simulation, subject: str, target: str) -> Explanation | RegistryExplanation:
    """Why ``subject`` may pull ``target``, or why not.

    Parameters
    ----------
    sim : Simulation
    subject : str
        A user name or ``system:serviceaccount:NS:NAME``.
    target : str
        An image stream (``"ns/stream"``, ``"ns/stream:tag"``, or a who-can-pull node
        id ``"imagestream:ns/stream"``), or an external registry host (``"quay.io"`` or
        ``"registry:quay.io"``).

    Returns
    -------
    simkit.rules.rbac.Explanation or RegistryExplanation
        For a stream, RBAC's chain of group, binding, role and rule
        (:meth:`simkit.Simulation.explain_pull`); for a registry, the pull secrets that
        cover it.  Both have ``allowed`` and print as a report.

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
    if target.startswith("imagestream:"):
        target = target[len("imagestream:"):]
    host = target[len("registry:"):] if target.startswith("registry:") else target
    if target.startswith("registry:") or host in sim.registries or "/" not in host:
        coverage = registry_coverage(sim)
        ways = coverage[(coverage["service_account"] == subject)
                        & (coverage["registry"] == host)].reset_index(drop=True)
        registry = sim.registries.get(host)
        return RegistryExplanation(subject, host, registry is None or registry.private, ways)
    return sim.explain_pull(subject, target)
