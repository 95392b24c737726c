"""Projects (namespaces) as plain data."""

from __future__ import annotations

import copy
from dataclasses import dataclass, field

DEFAULT_PROJECTS = ("default", "openshift", "openshift-config")
"""The projects every simulated cluster starts with."""


@dataclass(slots=True)
class Project:
    """A ``Namespace``/``Project``: a name, who asked for it, when it was made."""

    name: str
    created: float = 0.0
    requester: str = ""
    display_name: str = ""
    description: str = ""
    labels: dict[str, str] = field(default_factory=dict)
    annotations: dict[str, str] = field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str]:
        """``("", name)``: projects are cluster-scoped."""
        return ("", self.name)

    def copy(self) -> Project:
        """A deep copy, for copy-on-write edits."""
        return copy.deepcopy(self)
