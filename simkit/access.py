"""Who may pull from the integrated registry: RBAC over the cluster's roles and bindings.

The registry authorises a pull of ``<ns>/<stream>`` with a subject access review of
``get`` on ``imagestreams/layers`` (group ``image.openshift.io``) named ``<stream>`` in
``<ns>`` (image-registry ``pkg/dockerregistry/server/auth.go``).  These helpers build
that request for a subject name and evaluate it with :mod:`simkit.rules.rbac`.
"""

from __future__ import annotations

from simkit.rules.rbac import (
    ANONYMOUS,
    Attributes,
    User,
    anonymous_user,
    authenticated_user,
    authorize,
    explain,
    service_account_user,
)
from simkit.state.cluster import Cluster

SA_PREFIX = "system:serviceaccount:"


def user_info(cluster: Cluster, subject: str) -> User:
    """The identity ``subject`` authenticates as: its name and groups.

    ``system:serviceaccount:NS:NAME`` gets the service-account groups; ``system:anonymous``
    is unauthenticated; any other name is an authenticated user plus its ``Group``s.

    Examples
    --------
    >>> user_info(Cluster(), "system:serviceaccount:a:default").groups
    ('system:serviceaccounts', 'system:serviceaccounts:a', 'system:authenticated')
    """
    if subject == ANONYMOUS:
        return anonymous_user()
    if subject.startswith(SA_PREFIX):
        namespace, _, name = subject[len(SA_PREFIX) :].partition(":")
        if not namespace or not name:
            raise ValueError(f"{subject!r}: expected system:serviceaccount:NAMESPACE:NAME")
        return service_account_user(namespace, name)
    if not subject:
        raise ValueError("subject: a user name or system:serviceaccount:NS:NAME is required")
    groups = [g.name for g in cluster.list("Group") if subject in g.users]
    return authenticated_user(subject, groups)


def pull_request(user: User, target: str) -> Attributes:
    """The subject access review of a pull of ``"ns/stream"``."""
    namespace, _, stream = target.partition("/")
    if not namespace or not stream or "/" in stream:
        raise ValueError(f"{target!r}: expected NAMESPACE/STREAM")
    stream = stream.split(":")[0].split("@")[0]
    return Attributes.for_user(
        user,
        "get",
        "imagestreams",
        subresource="layers",
        api_group="image.openshift.io",
        namespace=namespace,
        name=stream,
    )


def policy(cluster: Cluster) -> tuple[dict, list]:
    """Every Role and ClusterRole by key, and every binding (cluster ones first)."""
    roles = {**cluster.store("ClusterRole"), **cluster.store("Role")}
    bindings = [
        *cluster.store("ClusterRoleBinding").values(),
        *cluster.store("RoleBinding").values(),
    ]
    return roles, bindings


def can_pull(cluster: Cluster, subject: str, target: str) -> bool:
    """Whether ``subject`` may ``get imagestreams/layers`` on ``target`` (``"ns/stream"``)."""
    roles, bindings = policy(cluster)
    return authorize(roles, bindings, pull_request(user_info(cluster, subject), target)).allowed


def explain_pull(cluster: Cluster, subject: str, target: str):
    """Every chain of group, binding, role and rule that lets ``subject`` pull ``target``,
    or why none does."""
    roles, bindings = policy(cluster)
    return explain(roles, bindings, pull_request(user_info(cluster, subject), target))
