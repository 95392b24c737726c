"""``oc import-image`` and ``oc delete istag/NAME:TAG`` (``delete is/NAME`` too)."""

from __future__ import annotations

from simkit.apiserver import imagestreams as api
from simkit.apiserver.imagestreamimport import ImportRequest, import_stream
from simkit.oc.command import Flag, Invocation, OcError, command
from simkit.refs import InvalidReference, parse_pull_spec
from simkit.rules.tags import (
    CircularReference,
    CrossImageStreamReference,
    NotFoundReference,
    follow_tag_reference,
)
from simkit.state.images import DOCKER_IMAGE, LOCAL_POLICY, SOURCE_POLICY

IMPORT_FLAGS = (
    Flag("from", default=""),
    Flag("confirm", value=False, default=False),
    Flag("all", value=False, default=False),
    Flag("reference-policy", default=""),
    Flag("import-mode", default=""),
    Flag("scheduled", value=False, default=False),
    Flag("insecure", value=False, default=None),
    Flag("dry-run", value=False, default=False),
)


def _target(inv: Invocation) -> tuple[str, str]:
    """``parseImageReference``: the stream name and tag (default ``latest``)."""
    if len(inv.args) != 1:
        raise inv.usage_error("you must specify the name of an image stream")
    try:
        ref = parse_pull_spec(inv.args[0])
    except InvalidReference:
        raise OcError(
            "error: the image name must be a valid container image pull spec or reference to "
            "an image stream (e.g. myregistry/myteam/image:tag)"
        ) from None
    if ref.id:
        raise OcError("error: to import images by ID, use the 'tag' command")
    if ref.tag and inv.flag("all"):
        raise OcError(f'error: cannot specify a tag "{inv.args[0]}" as well as --all')
    return ref.name, ref.tag or "latest"


def _requests(inv: Invocation, name: str, tag: str) -> tuple[list[ImportRequest], bool]:
    """``createImageImport``: what to import, and whether the stream must be created."""
    policy_flag = (inv.flag("reference-policy") or "source").lower()
    if policy_flag not in ("source", "local"):
        raise OcError("error: valid reference policy values are source or local")
    if inv.flag("import-mode") not in ("", "Legacy", "PreserveOriginal"):
        raise OcError("error: valid ImportMode values are Legacy or PreserveOriginal")
    policy = LOCAL_POLICY if policy_flag == "local" else SOURCE_POLICY
    source = inv.flag("from")
    mode = inv.flag("import-mode") or "Legacy"
    stream = inv.tx.get(api.KIND, (inv.namespace, name))
    insecure_flag = inv.flag("insecure")
    scheduled = bool(inv.flag("scheduled"))
    if stream is None:
        if not inv.flag("confirm"):
            raise OcError(
                f'error: no image stream named "{name}" exists, pass --confirm to create and import'
            )
        if inv.flag("all"):
            raise OcError("error: importing a whole repository (--all) is not modelled by simkit")
        return [
            ImportRequest(tag, source or inv.args[0], bool(insecure_flag), scheduled, policy, mode)
        ], True
    if inv.flag("all"):
        tags = {
            t: r.source.name
            for t, r in stream.spec_tags.items()
            if r.source is not None and r.source.kind == DOCKER_IMAGE
        }
        if source:
            raise OcError(
                "error: the image stream does not currently import an entire Docker "
                "repository, pass --confirm to update"
            )
        if not tags:
            raise OcError(
                "error: image stream does not have tags pointing to external container images"
            )
    else:
        try:
            final, existing, multiple = follow_tag_reference(stream, tag)
        except CrossImageStreamReference:
            raise OcError(
                f'error: tag "{tag}" points to an imagestreamtag from another ImageStream'
            ) from None
        except CircularReference:
            raise OcError(
                f'error: tag "{tag}" on the image stream is a reference to same tag'
            ) from None
        except NotFoundReference:
            if not source:
                raise OcError(
                    f'error: the tag "{tag}" does not exist on the image stream - choose an '
                    "existing tag to import or use the 'tag' command to create a new tag"
                ) from None
            tags = {tag: source}
        else:
            if existing.source is not None and existing.source.kind != DOCKER_IMAGE:
                raise OcError(
                    f'error: tag "{tag}" points to existing {existing.source.kind} '
                    f'"{existing.source.name}", it cannot be re-imported'
                )
            if existing.source is None:
                raise OcError(
                    f"error: tag \"{tag}\" already exists - you must use the 'tag' "
                    f'command if you want to change the source to "{source}"'
                )
            if source and source != existing.source.name:
                if multiple:
                    raise OcError(
                        f'error: the tag "{tag}" points to the tag "{final}" which points to '
                        f"\"{existing.source.name}\" - use the 'tag' command if you want to "
                        f'change the source to "{source}"'
                    )
                raise OcError(
                    f'error: the tag "{tag}" points to "{existing.source.name}" - use the '
                    f"'tag' command if you want to change the source to \"{source}\""
                )
            tags = {final if multiple else tag: existing.source.name}
    requests = []
    stream_insecure = stream.annotations.get("openshift.io/image.insecureRepository") == "true"
    for t, src in tags.items():
        old = stream.spec_tags.get(t)
        insecure = stream_insecure if insecure_flag is None else bool(insecure_flag)
        tag_scheduled = scheduled
        tag_policy = policy
        if old is not None:
            insecure = insecure or old.insecure
            tag_scheduled = scheduled or old.scheduled
            if not inv.flag("reference-policy"):
                tag_policy = old.reference_policy
        requests.append(ImportRequest(t, src, insecure, tag_scheduled, tag_policy, mode))
    return requests, False


@command(
    "import-image",
    flags=IMPORT_FLAGS,
    use="import-image IMAGESTREAM[:TAG]",
    short="Import images from a container image registry",
    long="""
    Import the latest image information from a tag in a container image registry.

    Image streams allow you to control which images are rolled out to your builds
    and applications. This command fetches the latest version of an image from a
    remote repository and updates the image stream tag if it does not match the
    previous value. Running the command multiple times will not create duplicate
    entries. When importing an image, only the image metadata is copied, not the
    image contents.

    If you want to change the image stream tag or provide more advanced options,
    see the 'tag' command.""",
    example="""
    # Import tag latest into a new image stream
    oc import-image mystream --from=registry.io/repo/image:latest --confirm

    # Update imported data for tag latest in an already existing image stream
    oc import-image mystream

    # Update imported data for tag stable in an already existing image stream
    oc import-image mystream:stable

    # Update imported data for all tags in an existing image stream
    oc import-image mystream --all

    # Update imported data for a tag that points to a manifest list to include the full manifest list
    oc import-image mystream --import-mode=PreserveOriginal""",
    usage={  # noqa: E501
        "from": "A container image repository to import images from",
        "confirm": "If true, allow the image stream import location to be set or changed",
        "all": "If true, import all tags from the provided source on creation or if --from is "
        "specified",
        "reference-policy": "Allow to request pullthrough for external image when set to 'local'. "
        "Defaults to 'source'.",
        "import-mode": "Imports the full manifest list of a tag when set to 'PreserveOriginal'. "
        "Defaults to 'Legacy'.",
        "dry-run": "Fetch information about images without creating or updating an image stream.",
        "scheduled": "Set each imported container image to be periodically imported from a remote "
        "repository. Defaults to false.",
        "insecure": "If true, allow importing from registries that have invalid HTTPS certificates "
        "or are hosted via HTTP. This flag will take precedence over the insecure "
        "annotation.",
    },
)
def import_image(inv: Invocation) -> str:
    """``oc import-image NAME[:TAG] [--from=IMAGE] [--confirm] [--all] [--scheduled] ...``."""
    from simkit.oc.printers import describe_image_stream

    name, tag = _target(inv)
    requests, create = _requests(inv, name, tag)
    if inv.flag("dry-run"):
        raise OcError("error: --dry-run is not modelled by simkit")
    statuses = import_stream(
        inv.tx,
        inv.namespace,
        name,
        requests,
        inv.sim.fetch_for_import,
        inv.now,
        inv.sim.rfc3339(),
        "manual",
        inv.sim.config.internal_registry,
        create=create,
    )
    stream = inv.tx.get(api.KIND, (inv.namespace, name))
    assert stream is not None  # import_stream stored it (or raised NotFound)
    failed = [s for s in statuses if not s.ok]
    message = "imported with errors" if failed else "imported"
    text = f"imagestream.image.openshift.io/{name} {message}\n\n"
    text += describe_image_stream(stream, inv.sim) + "\n"
    if failed:
        # oc prints the stream and exits 1; the failure is recorded in the stream's
        # conditions, so simkit returns the whole text instead of raising.
        text += "".join(f"error: tag {s.tag} failed: {s.message}\n" for s in failed)
        text += "error: imported completed with errors\n"
    return text


def delete(inv: Invocation) -> str:
    """``oc delete istag/NAME:TAG`` (or ``imagestreamtag``), ``oc delete is/NAME``.

    ``oc delete`` is registered (with its help) in :mod:`simkit.oc.commands.lifecycle`,
    which hands image streams and tags here.
    """
    if not inv.args:
        raise inv.usage_error("You must provide one or more resources by argument or filename.")
    targets: list[tuple[str, str]] = []
    for arg in inv.args:
        kind, slash, name = arg.partition("/")
        if not slash:
            if len(inv.args) == 2 and not targets:
                kind, name = inv.args
                targets.append((kind, name))
                break
            raise inv.usage_error(
                f"there is no need to specify a resource type as a separate "
                f"argument when passing arguments in resource/name form "
                f"(e.g. 'oc get resource/<resource_name>' instead of "
                f"'oc get resource resource/<resource_name>'): {arg}"
            )
        targets.append((kind, name))
    lines = []
    for kind, name in targets:
        lowered = kind.lower()
        if lowered in ("istag", "imagestreamtag", "imagestreamtags"):
            stream, sep, tag = name.partition(":")
            if not sep or not tag:
                raise OcError(
                    "Error from server (BadRequest): ImageStreamTags must be retrieved with "
                    "<name>:<tag>"
                )
            try:
                api.delete_tag(inv.tx, inv.namespace, stream, tag, inv.now)
            except api.NotFound:
                if inv.flag("ignore-not-found"):
                    continue
                raise
            lines.append(
                f'imagestreamtag.image.openshift.io "{name}" deleted from {inv.namespace} namespace'
            )
        elif lowered in ("is", "imagestream", "imagestreams"):
            try:
                api.delete_stream(inv.tx, inv.namespace, name)
            except api.NotFound:
                if inv.flag("ignore-not-found"):
                    continue
                raise
            lines.append(
                f'imagestream.image.openshift.io "{name}" deleted from {inv.namespace} namespace'
            )
        else:
            raise OcError(f'error: the server doesn\'t have a resource type "{kind}"')
    return "".join(line + "\n" for line in lines)
