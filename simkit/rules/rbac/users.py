"""Who is asking: users as the authenticators build them, and the request's attributes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from simkit.state.rbac import SERVICE_ACCOUNT_USER_PREFIX

ALL_AUTHENTICATED = "system:authenticated"
ALL_UNAUTHENTICATED = "system:unauthenticated"
ANONYMOUS = "system:anonymous"
SERVICE_ACCOUNTS_GROUP = "system:serviceaccounts"


@dataclass(frozen=True, slots=True)
class User:
    """An authenticated identity: a user name and its groups (``user.Info``)."""

    name: str
    groups: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if isinstance(self.groups, str):
            raise TypeError("groups must be a sequence of strings, not a string")
        object.__setattr__(self, "groups", tuple(self.groups))


def service_account_user(namespace: str, name: str) -> User:
    """The user a ServiceAccount token authenticates as.

    ``serviceaccount.UserInfo`` gives the name ``system:serviceaccount:<ns>:<name>`` and
    the groups ``system:serviceaccounts`` and ``system:serviceaccounts:<ns>``; the
    authenticator then adds ``system:authenticated``.

    Examples
    --------
    >>> service_account_user("a", "default")
    User(name='system:serviceaccount:a:default', groups=('system:serviceaccounts', \
'system:serviceaccounts:a', 'system:authenticated'))
    """
    return User(
        f"{SERVICE_ACCOUNT_USER_PREFIX}{namespace}:{name}",
        (SERVICE_ACCOUNTS_GROUP, f"{SERVICE_ACCOUNTS_GROUP}:{namespace}", ALL_AUTHENTICATED),
    )


def authenticated_user(name: str, groups: Iterable[str] = ()) -> User:
    """A user as the authenticator chain returns it: ``system:authenticated`` added.

    Like ``AuthenticatedGroupAdder``, nothing is added when the groups already hold
    ``system:authenticated`` or ``system:unauthenticated``.

    Examples
    --------
    >>> authenticated_user("alice", ["developers"])
    User(name='alice', groups=('developers', 'system:authenticated'))
    """
    groups = tuple(groups)
    if ALL_AUTHENTICATED in groups or ALL_UNAUTHENTICATED in groups:
        return User(name, groups)
    return User(name, (*groups, ALL_AUTHENTICATED))


def anonymous_user() -> User:
    """``system:anonymous`` in ``system:unauthenticated`` (the anonymous authenticator).

    Examples
    --------
    >>> anonymous_user()
    User(name='system:anonymous', groups=('system:unauthenticated',))
    """
    return User(ANONYMOUS, (ALL_UNAUTHENTICATED,))


@dataclass(frozen=True, slots=True)
class Attributes:
    """An authorization request (``authorizer.Attributes``).

    ``resource_request`` False makes it a non-resource request for ``path``.

    Examples
    --------
    >>> attrs = Attributes.for_user(service_account_user("a", "default"), "get",
    ...     "imagestreams", subresource="layers", api_group="image.openshift.io",
    ...     namespace="b", name="ruby")
    >>> attrs.combined_resource
    'imagestreams/layers'
    >>> attrs.describe()
    '"get" resource "imagestreams.image.openshift.io/layers" named "ruby" in namespace "b"'
    """

    user: str
    groups: tuple[str, ...] = ()
    verb: str = ""
    namespace: str = ""
    api_group: str = ""
    resource: str = ""
    subresource: str = ""
    name: str = ""
    path: str = ""
    resource_request: bool = True

    def __post_init__(self) -> None:
        if isinstance(self.groups, str):
            raise TypeError("groups must be a sequence of strings, not a string")
        object.__setattr__(self, "groups", tuple(self.groups))

    @classmethod
    def for_user(
        cls,
        user: User,
        verb: str,
        resource: str,
        *,
        subresource: str = "",
        api_group: str = "",
        namespace: str = "",
        name: str = "",
    ) -> Attributes:
        """A resource request by ``user``."""
        return cls(user.name, user.groups, verb, namespace, api_group, resource, subresource, name)

    @classmethod
    def non_resource(cls, user: User, verb: str, path: str) -> Attributes:
        """A non-resource request (``/healthz``, ``/apis``...) by ``user``."""
        return cls(user.name, user.groups, verb, path=path, resource_request=False)

    @property
    def user_info(self) -> User:
        """The requesting :class:`User`."""
        return User(self.user, self.groups)

    @property
    def combined_resource(self) -> str:
        """``resource/subresource``, or ``resource`` when there is no subresource."""
        return f"{self.resource}/{self.subresource}" if self.subresource else self.resource

    def describe(self) -> str:
        """The operation and scope as the RBAC authorizer logs a denial."""
        if not self.resource_request:
            return f'"{self.verb}" nonResourceURL "{self.path}"'
        text = f'"{self.verb}" resource "{self.resource}'
        if self.api_group:
            text += f".{self.api_group}"
        if self.subresource:
            text += f"/{self.subresource}"
        text += '"'
        if self.name:
            text += f' named "{self.name}"'
        scope = f'in namespace "{self.namespace}"' if self.namespace else "cluster-wide"
        return f"{text} {scope}"
