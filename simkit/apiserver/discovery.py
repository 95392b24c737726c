"""The API resources the simulated server advertises, and kubectl's resource mapping.

A restatement of what discovery returns on an OpenShift 4 cluster for the resources
simkit's users ask about (the core group, ``apps``, ``rbac.authorization.k8s.io`` and
the OpenShift groups), with :func:`resource_for` doing what kubectl's shortcut-expanding
``RESTMapper.ResourceFor`` does with ``TYPE``, ``TYPE.GROUP`` or a short name (``is``,
``dc``, ``sa``), and :func:`for_kind` mapping a manifest's kind to its resource.
Where several groups serve a name (OpenShift's ``authorization.openshift.io`` roles
beside RBAC's) the preferred one is listed, as the priority mapper picks it.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["APIResource", "RESOURCES", "for_kind", "has_subresource", "resource_for"]


@dataclass(frozen=True, slots=True)
class APIResource:
    """One discovery entry: ``name`` is the plural resource."""

    name: str
    singular: str
    kind: str
    group: str
    namespaced: bool = True
    short_names: tuple[str, ...] = ()
    subresources: tuple[str, ...] = ()

    @property
    def qualified(self) -> str:
        """``imagestreams.image.openshift.io`` (``pods`` for the core group): how API
        errors name the resource."""
        return f"{self.name}.{self.group}" if self.group else self.name

    @property
    def name_prefix(self) -> str:
        """``imagestream.image.openshift.io``: what ``-o name`` prints before the slash."""
        return f"{self.singular}.{self.group}" if self.group else self.singular


_R = APIResource
RESOURCES: tuple[APIResource, ...] = (
    # core
    _R(
        "pods",
        "pod",
        "Pod",
        "",
        True,
        ("po",),
        ("log", "exec", "status", "attach", "portforward", "binding", "eviction"),
    ),
    _R("secrets", "secret", "Secret", ""),
    _R("serviceaccounts", "serviceaccount", "ServiceAccount", "", True, ("sa",), ("token",)),
    _R("namespaces", "namespace", "Namespace", "", False, ("ns",), ("status", "finalize")),
    _R("configmaps", "configmap", "ConfigMap", "", True, ("cm",)),
    _R("services", "service", "Service", "", True, ("svc",), ("status", "proxy")),
    _R("nodes", "node", "Node", "", False, ("no",), ("status", "proxy")),
    _R("events", "event", "Event", "", True, ("ev",)),
    _R(
        "replicationcontrollers",
        "replicationcontroller",
        "ReplicationController",
        "",
        True,
        ("rc",),
        ("scale", "status"),
    ),
    _R(
        "persistentvolumeclaims",
        "persistentvolumeclaim",
        "PersistentVolumeClaim",
        "",
        True,
        ("pvc",),
        ("status",),
    ),
    # apps
    _R("deployments", "deployment", "Deployment", "apps", True, ("deploy",), ("scale", "status")),
    _R("replicasets", "replicaset", "ReplicaSet", "apps", True, ("rs",), ("scale", "status")),
    _R("statefulsets", "statefulset", "StatefulSet", "apps", True, ("sts",), ("scale", "status")),
    _R("daemonsets", "daemonset", "DaemonSet", "apps", True, ("ds",), ("status",)),
    # rbac
    _R("roles", "role", "Role", "rbac.authorization.k8s.io"),
    _R("rolebindings", "rolebinding", "RoleBinding", "rbac.authorization.k8s.io"),
    _R("clusterroles", "clusterrole", "ClusterRole", "rbac.authorization.k8s.io", False),
    _R(
        "clusterrolebindings",
        "clusterrolebinding",
        "ClusterRoleBinding",
        "rbac.authorization.k8s.io",
        False,
    ),
    # image.openshift.io
    _R(
        "imagestreams",
        "imagestream",
        "ImageStream",
        "image.openshift.io",
        True,
        ("is",),
        ("layers", "secrets", "status"),
    ),
    _R(
        "imagestreamtags",
        "imagestreamtag",
        "ImageStreamTag",
        "image.openshift.io",
        True,
        ("istag",),
    ),
    _R(
        "imagestreamimages",
        "imagestreamimage",
        "ImageStreamImage",
        "image.openshift.io",
        True,
        ("isimage",),
    ),
    _R("imagestreamimports", "imagestreamimport", "ImageStreamImport", "image.openshift.io"),
    _R("imagestreammappings", "imagestreammapping", "ImageStreamMapping", "image.openshift.io"),
    _R("imagetags", "imagetag", "ImageTag", "image.openshift.io", True, ("itag",)),
    _R("images", "image", "Image", "image.openshift.io", False, (), ("secrets",)),
    # apps.openshift.io, build.openshift.io, route.openshift.io
    _R(
        "deploymentconfigs",
        "deploymentconfig",
        "DeploymentConfig",
        "apps.openshift.io",
        True,
        ("dc",),
        ("instantiate", "log", "rollback", "scale", "status"),
    ),
    _R(
        "buildconfigs",
        "buildconfig",
        "BuildConfig",
        "build.openshift.io",
        True,
        ("bc",),
        ("instantiate", "instantiatebinary", "webhooks"),
    ),
    _R("builds", "build", "Build", "build.openshift.io", True, (), ("clone", "details", "log")),
    _R("routes", "route", "Route", "route.openshift.io", True, (), ("status", "custom-host")),
    # project.openshift.io, user.openshift.io, authorization.openshift.io
    _R("projects", "project", "Project", "project.openshift.io", False),
    _R("projectrequests", "projectrequest", "ProjectRequest", "project.openshift.io", False),
    _R("groups", "group", "Group", "user.openshift.io", False),
    _R("users", "user", "User", "user.openshift.io", False),
    _R("identities", "identity", "Identity", "user.openshift.io", False),
    _R(
        "localresourceaccessreviews",
        "localresourceaccessreview",
        "LocalResourceAccessReview",
        "authorization.openshift.io",
    ),
    _R(
        "localsubjectaccessreviews",
        "localsubjectaccessreview",
        "LocalSubjectAccessReview",
        "authorization.openshift.io",
    ),
    _R(
        "resourceaccessreviews",
        "resourceaccessreview",
        "ResourceAccessReview",
        "authorization.openshift.io",
        False,
    ),
    _R(
        "subjectaccessreviews",
        "subjectaccessreview",
        "SubjectAccessReview",
        "authorization.openshift.io",
        False,
    ),
    _R(
        "rolebindingrestrictions",
        "rolebindingrestriction",
        "RoleBindingRestriction",
        "authorization.openshift.io",
    ),
    # config.openshift.io, security.openshift.io
    _R(
        "securitycontextconstraints",
        "securitycontextconstraints",
        "SecurityContextConstraints",
        "security.openshift.io",
        False,
        ("scc",),
    ),
)

_SHADOWED = {
    # served by a second group too; the preferred one is listed above
    ("Role", "authorization.openshift.io"): "roles",
    ("RoleBinding", "authorization.openshift.io"): "rolebindings",
    ("ClusterRole", "authorization.openshift.io"): "clusterroles",
    ("ClusterRoleBinding", "authorization.openshift.io"): "clusterrolebindings",
}


def resource_for(arg: str) -> APIResource | None:
    """The resource ``arg`` names (``TYPE``, ``TYPE.GROUP`` or a short name), or None.

    Matching is case-insensitive on the plural, the singular and the short names; a
    group suffix may be the whole group or a prefix of it (``deployments.apps``).

    Examples
    --------
    >>> resource_for("is").qualified
    'imagestreams.image.openshift.io'
    >>> resource_for("deploy.apps").name, resource_for("DC").group
    ('deployments', 'apps.openshift.io')
    >>> resource_for("imagestreams/layers") is None
    True
    """
    text = arg.lower()
    name, _, group = text.partition(".")
    for resource in RESOURCES:
        if name in (resource.name, resource.singular, *resource.short_names) and (
            not group or resource.group == group or resource.group.startswith(group + ".")
        ):
            return resource
    return None


def for_kind(kind: str, group: str | None = None) -> APIResource | None:
    """The resource that serves objects of ``kind`` (in ``group`` when given).

    Examples
    --------
    >>> for_kind("ImageStream").name_prefix
    'imagestream.image.openshift.io'
    >>> for_kind("Role", "authorization.openshift.io").name_prefix
    'role.authorization.openshift.io'
    """
    if group is not None and (kind, group) in _SHADOWED:
        base = next(r for r in RESOURCES if r.kind == kind)
        return APIResource(base.name, base.singular, kind, group, base.namespaced)
    for resource in RESOURCES:
        if resource.kind == kind and (group is None or resource.group == group):
            return resource
    if group is not None:
        return for_kind(kind) if group == "" else None
    return None


def has_subresource(resource: APIResource, subresource: str) -> bool:
    """Whether discovery lists ``resource/subresource``.

    Examples
    --------
    >>> has_subresource(resource_for("imagestreams"), "layers")
    True
    """
    return subresource in resource.subresources
