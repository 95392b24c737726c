"""``oc tag``: point image stream tags at images, other tags, or nothing.

Restates openshift/oc ``pkg/cli/tag/tag.go``: source-kind detection, pinning a
permanent tag to the source tag's current image on the client side, the validation
messages, and the ``ImageStreamTag`` update it sends.  Unlike oc, several destinations
are changed atomically: if one fails, none changes.
"""

from __future__ import annotations

import dataclasses
import re

from simkit.apiserver import imagestreams as api
from simkit.oc.command import Flag, Invocation, OcError, command
from simkit.refs import DockerImageReference, InvalidReference, parse_pull_spec
from simkit.rules.tags import latest_tagged_image
from simkit.state.images import (
    DOCKER_IMAGE,
    IMAGE_STREAM_IMAGE,
    IMAGE_STREAM_TAG,
    LOCAL_POLICY,
    SOURCE_POLICY,
    ObjectReference,
    TagReference,
)

TAG_FLAGS = (
    Flag("source"),
    Flag("delete", "d", value=False, default=False),
    Flag("alias", value=False, default=False),
    Flag("reference", value=False, default=False),
    Flag("scheduled", value=False, default=False),
    Flag("insecure", value=False, default=False),
    Flag("reference-policy", default="source"),
    Flag("import-mode", default=""),
)

VALID_SOURCES = ("docker", "dockerimage", "imagestreamimage", "imagestreamtag", "isimage", "istag")
_SOURCE_KINDS = {
    "docker": DOCKER_IMAGE,
    "dockerimage": DOCKER_IMAGE,
    "imagestreamtag": IMAGE_STREAM_TAG,
    "istag": IMAGE_STREAM_TAG,
    "imagestreamimage": IMAGE_STREAM_IMAGE,
    "isimage": IMAGE_STREAM_IMAGE,
}
_TAG_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")


def _parse_stream_name(default_namespace: str, name: str) -> tuple[str, str]:
    """``parseStreamName``: ``[ns/]stream:tag`` into namespace and ``stream:tag``."""
    if "/" not in name:
        return default_namespace, name
    parts = name.split("/")
    if len(parts) != 2:
        raise OcError(f'error: invalid image stream "{name}"')
    if not parts[0]:
        raise OcError(f'error: invalid namespace "{parts[0]}" for image stream "{name}"')
    if not parts[1]:
        raise OcError(f'error: invalid name "{parts[1]}" for image stream "{name}"')
    return parts[0], parts[1]


def _split_stream_tag(name_and_tag: str) -> tuple[str, str]:
    """``SplitImageStreamTag``: ``stream:tag`` (an empty tag means ``latest``)."""
    name, sep, tag = name_and_tag.partition(":")
    if not sep or ":" in tag:
        raise OcError(f'error: "{name_and_tag}" must be of the form <stream_name>:<tag>')
    return name, tag or "latest"


def _source_kind(inv: Invocation, ref: DockerImageReference) -> str:
    given = inv.flag("source")
    if given:
        kind = _SOURCE_KINDS.get(given.lower())
        if kind is None:
            raise inv.usage_error(
                f'invalid source "{given}"; valid values are {", ".join(VALID_SOURCES)}'
            )
        return kind
    if ref.registry:
        return DOCKER_IMAGE
    if ref.id:
        return IMAGE_STREAM_IMAGE
    if ref.tag:
        return IMAGE_STREAM_TAG
    return DOCKER_IMAGE


def _resolve_source(inv: Invocation, source: str) -> tuple[str, DockerImageReference]:
    """``Complete``: the source kind and reference, pinned for permanent IST tags."""
    try:
        ref = parse_pull_spec(source)
    except InvalidReference as exc:
        raise OcError(f"error: invalid SOURCE: {exc}") from None
    kind = _source_kind(inv, ref)
    if inv.flag("source") and kind in (IMAGE_STREAM_TAG, IMAGE_STREAM_IMAGE):
        if ref.registry:
            raise OcError(
                "error: server in SOURCE is only allowed when providing a container image"
            )
        if ref.namespace == "library":
            ref = dataclasses.replace(ref, namespace=inv.namespace)
        if kind == IMAGE_STREAM_TAG and not ref.tag:
            raise OcError("error: --source=ImageStreamTag requires a valid <name>:<tag> in SOURCE")
        if kind == IMAGE_STREAM_IMAGE and not ref.id:
            raise OcError("error: --source=ImageStreamImage requires a valid <name>@<id> in SOURCE")
    if kind == IMAGE_STREAM_TAG and not inv.flag("alias"):
        namespace = ref.namespace or inv.namespace
        stream = inv.tx.get(api.KIND, (namespace, ref.name))
        if stream is None:
            raise OcError(
                f'Error from server (NotFound): imagestreams.image.openshift.io "{ref.name}" '
                "not found"
            )
        event = latest_tagged_image(stream, ref.tag)
        if event is None:
            raise OcError(
                f'error: "{source}" is not currently pointing to an image, cannot use it as '
                "the source of a tag"
            )
        if not event.image:
            try:
                ref = parse_pull_spec(event.docker_image_reference)
            except InvalidReference as exc:
                raise OcError(
                    f'error: the image stream tag "{source}" has an invalid pull spec and '
                    f"cannot be used to tag: {exc}"
                ) from None
            kind = DOCKER_IMAGE
        else:
            ref = dataclasses.replace(ref, id=event.image, tag="")
            kind = IMAGE_STREAM_IMAGE
    return kind, ref


def _validate(inv: Invocation, kind: str | None, ref, destinations) -> None:
    """``Validate``: the flag combinations oc refuses."""
    if inv.flag("delete") and inv.flag("alias"):
        raise OcError("error: --alias and --delete may not be both specified")
    if inv.flag("reference-policy") not in ("source", "local"):
        raise OcError("error: reference policy must be set to 'source' or 'local'")
    if inv.flag("delete"):
        if inv.flag("source"):
            raise OcError("error: cannot specify a source kind when deleting")
        if inv.flag("scheduled") or inv.flag("insecure"):
            raise OcError("error: cannot set flags for importing images when deleting a tag")
        if inv.flag("import-mode"):
            raise OcError("error: cannot specify an import mode when deleting")
    if not destinations:
        raise OcError("error: at least a destination is required")
    if inv.flag("delete"):
        return
    if kind != DOCKER_IMAGE and (inv.flag("scheduled") or inv.flag("insecure")):
        raise OcError("error: only container images can have importing flags set")
    if inv.flag("alias"):
        if inv.flag("scheduled") or inv.flag("insecure"):
            raise OcError(
                "error: cannot set a container image tag as an alias and also set import flags"
            )
        for namespace, name_and_tag in destinations:
            if namespace != inv.namespace:
                raise OcError("error: cannot set alias across different Image Streams")
            name, _ = _split_stream_tag(name_and_tag)
            if ref.name != name:
                raise OcError("error: cannot set alias across different Image Streams")
    if inv.flag("import-mode") not in ("", "Legacy", "PreserveOriginal"):
        raise OcError("error: valid ImportMode values are Legacy or PreserveOriginal")


def _tag_reference(
    inv: Invocation, kind: str, ref: DockerImageReference, dest_ns: str
) -> TagReference:
    policy = LOCAL_POLICY if inv.flag("reference-policy") == "local" else SOURCE_POLICY
    tag_ref = TagReference(
        name="",
        reference=bool(inv.flag("reference")),
        insecure=bool(inv.flag("insecure")),
        scheduled=bool(inv.flag("scheduled")),
        import_mode=inv.flag("import-mode") or "Legacy",
        reference_policy=policy,
    )
    if kind == DOCKER_IMAGE:
        tag_ref.source = ObjectReference(DOCKER_IMAGE, ref.exact())
        tag_ref.generation = 0
    else:
        namespace = ref.namespace
        if not namespace and dest_ns != inv.namespace:
            namespace = inv.namespace
        tag_ref.source = ObjectReference(kind, ref.name_string(), namespace)
    return tag_ref


def _message(inv: Invocation, dest_ns: str, name_and_tag: str, ref: DockerImageReference) -> str:
    where = name_and_tag if dest_ns == inv.namespace else f"{dest_ns}/{name_and_tag}"
    exact = ref.exact()
    if inv.flag("alias"):
        return f"Tag {where} set up to track {exact}."
    if inv.flag("scheduled"):
        if dest_ns == inv.namespace:
            return f"Tag {where} set to import {exact} periodically."
        return f"Tag {where} set to {exact} periodically."
    return f"Tag {where} set to {exact}."


@command(
    "tag",
    flags=TAG_FLAGS,
    use="tag [--source=SOURCETYPE] SOURCE DEST [DEST ...]",
    short="Tag existing images into image streams",
    long="""
    Tag existing images into image streams.

    The tag command allows you to take an existing tag or image from an image
    stream, or a container image pull spec, and set it as the most recent image for a
    tag in 1 or more other image streams. It is similar to the 'docker tag'
    command, but it operates on image streams instead.

    Pass the --insecure flag if your external registry does not have a valid HTTPS
    certificate, or is only served over HTTP. Pass --scheduled to have the server
    regularly check the tag for updates and import the latest version (which can
    then trigger builds and deployments). Note that --scheduled is only allowed for
    container images.""",
    example="""
    # Tag the current image for the image stream 'openshift/ruby' and tag '2.0' into the image stream 'yourproject/ruby with tag 'tip'
    oc tag openshift/ruby:2.0 yourproject/ruby:tip

    # Tag a specific image
    oc tag openshift/ruby@sha256:6b646fa6bf5e5e4c7fa41056c27910e679c03ebe7f93e361e6515a9da7e258cc yourproject/ruby:tip

    # Tag an external container image
    oc tag --source=docker openshift/origin-control-plane:latest yourproject/ruby:tip

    # Tag an external container image and request pullthrough for it
    oc tag --source=docker openshift/origin-control-plane:latest yourproject/ruby:tip --reference-policy=local

    # Tag an external container image and include the full manifest list
    oc tag --source=docker openshift/origin-control-plane:latest yourproject/ruby:tip --import-mode=PreserveOriginal

    # Remove the specified spec tag from an image stream
    oc tag openshift/origin-control-plane:latest -d""",
    usage={  # noqa: E501 - oc's text
        "source": "Optional hint for the source type; valid values are 'imagestreamtag', 'istag', "
        "'imagestreamimage', 'isimage', and 'docker'.",
        "delete": "Delete the provided spec tags.",
        "alias": "Should the destination tag be updated whenever the source tag changes. Applies "
        "only to a single image stream. Defaults to false.",
        "reference": "Should the destination tag continue to pull from the source namespace. "
        "Defaults to false.",
        "scheduled": "Set a container image to be periodically imported from a remote repository. "
        "Defaults to false.",
        "insecure": "Set to true if importing the specified container image requires HTTP or has a "
        "self-signed certificate. Defaults to false.",
        "reference-policy": "Allow to request pullthrough for external image when set to 'local'. "
        "Defaults to 'source'.",
        "import-mode": "Imports the full manifest list of a tag when set to 'PreserveOriginal'. "
        "Defaults to 'Legacy'.",
    },
)
def tag(inv: Invocation) -> str:
    """``oc tag [--source=KIND] SOURCE DEST [DEST ...]`` and ``oc tag -d DEST ...``."""
    args = inv.args
    if len(args) < 2 and not (inv.flag("delete") and args):
        raise inv.usage_error(
            "you must specify a source and at least one destination or one or more tags to delete"
        )
    kind = ref = None
    if not inv.flag("delete"):
        kind, ref = _resolve_source(inv, args[0])
        args = args[1:]
    destinations = [_parse_stream_name(inv.namespace, arg) for arg in args]
    _validate(inv, kind, ref, destinations)
    lines = []
    for dest_ns, name_and_tag in destinations:
        name, dest_tag = _split_stream_tag(name_and_tag)
        if inv.tx.get("Project", ("", dest_ns)) is None:
            raise OcError(f'Error from server (NotFound): namespaces "{dest_ns}" not found')
        if inv.flag("delete"):
            api.delete_tag(inv.tx, dest_ns, name, dest_tag, inv.now)
            lines.append(f"Deleted tag {dest_ns}/{name_and_tag}.")
            continue
        if not _TAG_NAME.match(dest_tag):
            raise OcError(
                f'error: invalid tag "{dest_tag}" format, tags must start with an alphanumeric '
                "character followed by alphanumeric, '.' or '-' characters, and have a maximum "
                "of 128 characters"
            )
        assert kind is not None and ref is not None  # resolved: this is not --delete
        tag_ref = _tag_reference(inv, kind, ref, dest_ns)
        api.set_tag(
            inv.tx, dest_ns, name, dest_tag, tag_ref, inv.now, inv.sim.config.internal_registry
        )
        lines.append(_message(inv, dest_ns, name_and_tag, ref))
    return "\n".join(lines) + "\n"
