"""OpenShift's default roles and bindings, and the bindings every new project gets.

:func:`load_bootstrap_policy` reads the packaged copy of openshift/origin's
``test/testdata/bootstrappolicy`` (``simkit/data/openshift-bootstrap``, see its SOURCE.md)
and applies ClusterRole aggregation, so ``admin``, ``edit`` and ``view`` hold the rules the
aggregation controller gives them.

:func:`project_default_bindings` restates what a new project receives:

- from the project request template (openshift-apiserver
  ``pkg/project/apiserver/registry/projectrequest/delegated/sample_template.go``): RoleBinding
  ``admin`` of ClusterRole ``admin`` to the requesting user;
- from the default-rolebindings controllers (openshift-controller-manager
  ``pkg/authorization/defaultrolebindings/project_policy.go``): ``system:image-pullers``
  (``system:image-puller`` to Group ``system:serviceaccounts:<ns>``), ``system:image-builders``
  (``system:image-builder`` to SA ``builder``) and ``system:deployers`` (``system:deployer``
  to SA ``deployer``).  These three are the packaged
  ``bootstrap_service_account_project_role_bindings.yaml``, recorded for namespace
  ``myproject``, re-targeted to the new namespace.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any, NamedTuple

import yaml

from simkit.manifests.rbac import binding_from_dict, role_from_dict
from simkit.rules.rbac.aggregation import aggregate_cluster_roles
from simkit.state.rbac import (
    CLUSTER_ROLE,
    GROUP,
    SERVICE_ACCOUNT,
    USER,
    Role,
    RoleBinding,
    RoleRef,
    Subject,
)

DATA_DIR = "data/openshift-bootstrap"
"""The packaged folder, relative to the ``simkit`` package."""

CLUSTER_ROLES_FILE = "bootstrap_cluster_roles.yaml"
CLUSTER_ROLE_BINDINGS_FILE = "bootstrap_cluster_role_bindings.yaml"
NAMESPACE_ROLES_FILE = "bootstrap_namespace_roles.yaml"
NAMESPACE_ROLE_BINDINGS_FILE = "bootstrap_namespace_role_bindings.yaml"
SA_PROJECT_BINDINGS_FILE = "bootstrap_service_account_project_role_bindings.yaml"

TEMPLATE_NAMESPACE = "myproject"
"""The namespace the per-project bindings were recorded in."""

ADMIN_ROLE = "admin"
"""``bootstrappolicy.AdminRoleName``: the role and binding name of the project template."""


class BootstrapPolicy(NamedTuple):
    """The five packaged lists; unpacks like the tuple :func:`load_bootstrap_policy` returns."""

    cluster_roles: list[Role]
    cluster_role_bindings: list[RoleBinding]
    namespace_roles: list[Role]
    namespace_role_bindings: list[RoleBinding]
    sa_project_bindings: list[RoleBinding]

    @property
    def roles_by_key(self) -> dict[tuple[str, str], Role]:
        """Every ClusterRole and Role by ``(namespace, name)``."""
        return {role.key: role for role in (*self.cluster_roles, *self.namespace_roles)}

    @property
    def bindings(self) -> list[RoleBinding]:
        """ClusterRoleBindings, then the namespaced RoleBindings (not the per-project ones)."""
        return [*self.cluster_role_bindings, *self.namespace_role_bindings]


def _load_items(filename: str) -> list[Any]:
    text = resources.files("simkit").joinpath(DATA_DIR, filename).read_text(encoding="utf-8")
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    document = yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    if not isinstance(document, dict) or not isinstance(document.get("items"), list):
        raise ValueError(f"{filename}: expected a List with items")
    return document["items"]


def _parse(filename: str, parse: Any) -> list[Any]:
    out = []
    for i, item in enumerate(_load_items(filename)):
        try:
            out.append(parse(item))
        except ValueError as exc:
            raise ValueError(f"{filename}: items[{i}]: {exc}") from exc
    return out


@functools.cache
def _policy() -> BootstrapPolicy:
    return BootstrapPolicy(
        aggregate_cluster_roles(_parse(CLUSTER_ROLES_FILE, role_from_dict)),
        _parse(CLUSTER_ROLE_BINDINGS_FILE, binding_from_dict),
        _parse(NAMESPACE_ROLES_FILE, role_from_dict),
        _parse(NAMESPACE_ROLE_BINDINGS_FILE, binding_from_dict),
        _parse(SA_PROJECT_BINDINGS_FILE, binding_from_dict),
    )


def load_bootstrap_policy() -> BootstrapPolicy:
    """OpenShift's default policy from the packaged files, with aggregation applied.

    Returns
    -------
    BootstrapPolicy
        ``(cluster_roles, cluster_role_bindings, namespace_roles, namespace_role_bindings,
        sa_project_bindings)``, fresh copies on every call (the files are parsed once).
        ``sa_project_bindings`` are the per-project templates in namespace ``myproject``;
        use :func:`project_default_bindings` for a real project.

    Examples
    --------
    >>> policy = load_bootstrap_policy()
    >>> [len(part) for part in policy]
    [124, 83, 9, 8, 3]
    >>> admin = policy.roles_by_key[("", "admin")]
    >>> any("imagestreams/layers" in rule.resources for rule in admin.rules)
    True
    """
    policy = _policy()
    return BootstrapPolicy._make([obj.copy() for obj in part] for part in policy)


def project_default_bindings(namespace: str, requester: str = "") -> list[RoleBinding]:
    """The RoleBindings a project created through ``oc new-project`` starts with.

    Parameters
    ----------
    namespace : str
        The new project.
    requester : str
        The requesting user, who becomes ``admin``; empty (``oc adm new-project`` without
        ``--admin``) gives no admin binding.

    Returns
    -------
    list of RoleBinding
        ``admin`` (if any requester), then ``system:image-pullers``,
        ``system:image-builders`` and ``system:deployers``.

    Examples
    --------
    >>> [(b.name, b.role_ref.name, b.subjects[0].kind, b.subjects[0].name, b.subjects[0].namespace)
    ...  for b in project_default_bindings("p", "alice")]  # doctest: +NORMALIZE_WHITESPACE
    [('admin', 'admin', 'User', 'alice', ''),
     ('system:image-pullers', 'system:image-puller', 'Group', 'system:serviceaccounts:p', ''),
     ('system:image-builders', 'system:image-builder', 'ServiceAccount', 'builder', 'p'),
     ('system:deployers', 'system:deployer', 'ServiceAccount', 'deployer', 'p')]
    """
    bindings = []
    if requester:
        bindings.append(
            RoleBinding(
                namespace, ADMIN_ROLE, RoleRef(CLUSTER_ROLE, ADMIN_ROLE), [Subject(USER, requester)]
            )
        )
    template_group = f"system:serviceaccounts:{TEMPLATE_NAMESPACE}"
    for template in _policy().sa_project_bindings:
        binding = template.copy()
        binding.namespace = namespace
        subjects = []
        for subject in binding.subjects:
            if subject.kind == SERVICE_ACCOUNT and subject.namespace == TEMPLATE_NAMESPACE:
                subject = Subject(SERVICE_ACCOUNT, subject.name, namespace)
            elif subject.kind == GROUP and subject.name == template_group:
                subject = Subject(GROUP, f"system:serviceaccounts:{namespace}")
            subjects.append(subject)
        binding.subjects = subjects
        bindings.append(binding)
    return bindings
