"""The ``oc`` commands simkit understands; importing this package registers them."""

from simkit.oc.commands import get, images, projects, prune, secrets, tag  # noqa: F401
