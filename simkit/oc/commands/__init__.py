"""The ``oc`` commands simkit understands; importing this package registers them."""

from simkit.oc.commands import (  # noqa: F401
    auth,
    create,
    get,
    get_kinds,
    groups,
    images,
    policy,
    projects,
    prune,
    secret_links,
    secrets,
    tag,
    workloads,
)
