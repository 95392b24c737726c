"""OpenShift ``User`` objects (``user.openshift.io/v1``) as plain data.

A user object exists once someone has logged in through an identity provider (or an
admin created it); RBAC does not need it, but ``oc policy add-role-to-user`` warns
when the user it binds does not exist.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field


@dataclass(slots=True)
class User:
    """A ``User``: a name, a display name and the identities mapped to it.

    Examples
    --------
    >>> User("alice", identities=["htpasswd:alice"]).key
    ('', 'alice')
    """

    name: str
    full_name: str = ""
    identities: list[str] = field(default_factory=list)

    @property
    def key(self) -> tuple[str, str]:
        """``("", name)``: users are cluster-scoped."""
        return ("", self.name)

    def copy(self) -> User:
        """A copy, for copy-on-write edits."""
        return copy.deepcopy(self)
