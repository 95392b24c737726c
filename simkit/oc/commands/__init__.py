"""The ``oc`` commands simkit understands; importing this package registers them."""

from simkit.oc.commands import (  # noqa: F401
    auth,
    create,
    describe,
    get,
    get_kinds,
    groups,
    images,
    lifecycle,  # after images: its ``delete`` handles pods and hands the rest on
    policy,
    projects,
    prune,
    rollout,
    secret_links,
    secrets,
    status,
    tag,
    workloads,
)
