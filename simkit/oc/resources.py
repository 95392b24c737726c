"""Resource arguments of ``oc get``/``oc describe``: ``TYPE [NAME...]`` or ``TYPE/NAME...``.

kubectl's builder (``ResourceTypeOrNameArgs``) accepts either a type followed by
names, or ``type/name`` pairs, never both; a type is matched by its plural, singular,
short name or ``plural.group``.
"""

from __future__ import annotations

from dataclasses import dataclass

from simkit.oc.command import OcError

__all__ = ["RESOURCES", "Resource", "parse_resource_args"]


@dataclass(frozen=True, slots=True)
class Resource:
    """An API resource: ``plural.group`` names it in messages, ``kind`` in ``-o name``."""

    plural: str
    singular: str
    group: str
    short: tuple[str, ...] = ()

    @property
    def qualified(self) -> str:
        """``imagestreams.image.openshift.io``."""
        return f"{self.plural}.{self.group}"

    @property
    def name_prefix(self) -> str:
        """``imagestream.image.openshift.io``: what ``-o name`` puts before the slash."""
        return f"{self.singular}.{self.group}"

    def aliases(self) -> tuple[str, ...]:
        """Every spelling kubectl accepts for the type."""
        return (
            self.plural,
            self.singular,
            *self.short,
            self.qualified,
            f"{self.singular}.{self.group}",
        )


IMAGE_STREAMS = Resource("imagestreams", "imagestream", "image.openshift.io", ("is",))
IMAGE_STREAM_TAGS = Resource("imagestreamtags", "imagestreamtag", "image.openshift.io", ("istag",))
IMAGE_STREAM_IMAGES = Resource(
    "imagestreamimages", "imagestreamimage", "image.openshift.io", ("isimage",)
)
RESOURCES = (IMAGE_STREAMS, IMAGE_STREAM_TAGS, IMAGE_STREAM_IMAGES)

_SEPARATE_TYPE = (
    "there is no need to specify a resource type as a separate argument when passing "
    "arguments in resource/name form (e.g. 'oc get resource/<resource_name>' instead of "
    "'oc get resource resource/<resource_name>'"
)  # sic: kubectl's message has no closing parenthesis


def lookup(kind: str) -> Resource:
    """The resource called ``kind`` (case-insensitive).

    Examples
    --------
    >>> lookup("IS").plural
    'imagestreams'
    >>> lookup("pods")
    Traceback (most recent call last):
    ...
    simkit.oc.command.OcError: error: the server doesn't have a resource type "pods"
    """
    lowered = kind.lower()
    for resource in RESOURCES:
        if lowered in resource.aliases():
            return resource
    raise OcError(f'error: the server doesn\'t have a resource type "{kind}"')


def parse_resource_args(args: list[str], verb: str) -> tuple[Resource, list[str]]:
    """The resource type and the names (possibly none) given on the command line.

    Examples
    --------
    >>> resource, names = parse_resource_args(["is", "ruby", "php"], "get")
    >>> resource.plural, names
    ('imagestreams', ['ruby', 'php'])
    >>> parse_resource_args(["istag/ruby:3.3"], "get")[1]
    ['ruby:3.3']
    """
    if not args:
        raise OcError(
            f'You must specify the type of resource to {verb}. Use "oc api-resources" for a '
            "complete list of supported resources.\n\nerror: Required resource not specified.\n"
            'Use "oc explain <resource>" for a detailed description of that resource '
            "(e.g. oc explain pods).\n"
            f"See 'oc {verb} -h' for help and examples"
        )
    slashed = sum("/" in arg for arg in args)
    if slashed and slashed != len(args):
        raise OcError(f"error: {_SEPARATE_TYPE}")
    if slashed:
        resource: Resource | None = None
        names = []
        for arg in args:
            parts = arg.split("/")
            if len(parts) != 2:
                raise OcError(
                    "error: arguments in resource/name form may not have more than one slash"
                )
            kind, name = parts
            if not kind or not name or "," in kind:
                raise OcError(
                    "error: arguments in resource/name form must have a single resource and name"
                )
            this = lookup(kind)
            if resource is not None and this != resource:
                raise OcError("error: simkit reads one resource type at a time")
            resource = this
            names.append(name)
        assert resource is not None  # args is not empty, and each arg names its resource
        return resource, names
    if "," in args[0]:
        raise OcError("error: simkit reads one resource type at a time")
    return lookup(args[0]), args[1:]
