"""The ``oc`` commands simkit understands; importing this package registers them."""

from simkit.oc.commands import images, projects, tag  # noqa: F401
