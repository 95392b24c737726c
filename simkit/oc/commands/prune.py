"""``oc adm prune images``: remove old tag history and the images nothing refers to.

Restates oc ``pkg/cli/admin/prune/images/images.go``: flags and their validation, the
dry run unless ``--confirm``, and the describing deleters' output (``Deleting N items
from image stream NS/NAME``, ``Deleting manifest link ...``, ``Deleting blob ...``,
``Deleting image ...``, then ``Summary: ...``).  The plan is
:func:`simkit.rules.prune.plan_prune`; with ``--confirm`` the stream statuses are
updated and the Image objects deleted in the command's transaction.  ``-n NS`` prunes
that namespace's streams only and never deletes images, as oc does.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simkit._go.durations import parse_duration as parse_go_duration
from simkit.apiserver.imagestream_status import IMAGE_KIND, delete_images, update_stream_status
from simkit.durations import parse_duration
from simkit.oc.command import Flag, Invocation, OcError, Usage, command
from simkit.rules.image_usage import images_in_use
from simkit.rules.prune import PruneOptions, PrunePlan, plan_prune

if TYPE_CHECKING:
    from simkit.state.cluster import Transaction

PRUNE_FLAGS = (
    Flag("confirm", value=False, default=False),
    Flag("keep-tag-revisions", default=None),
    Flag("keep-younger-than", default=None),
    Flag("all", value=False, default=True),
    Flag("prune-registry", value=False, default=True),
    Flag("prune-over-size-limit", value=False, default=False),
    Flag("ignore-invalid-refs", value=False, default=False),
    Flag("num-workers", default="5"),
)

DRY_RUN = "Dry run enabled - no modifications will be made. Add --confirm to remove images"
API_ONLY = "Only API objects will be removed.  No modifications to the image registry will be made."


def _int_flag(inv: Invocation, name: str) -> int | None:
    value = inv.flag(name)
    if value is None:
        return None
    try:
        return int(value)
    except ValueError:
        raise OcError(
            f'error: invalid argument "{value}" for "--{name}" flag: '
            f'strconv.ParseInt: parsing "{value}": invalid syntax\n'
            f"See 'oc adm prune images --help' for usage."
        ) from None


def _duration_flag(inv: Invocation, name: str) -> float | None:
    """A Go ``time.Duration`` flag (``60m``, ``1h30m``); simkit also takes ``7d``.

    pflag's ``durationValue.Set`` is ``time.ParseDuration``; a unit Go does not know is
    tried as a simkit duration (days, weeks) before the Go error is reported.
    """
    value = inv.flag(name)
    if value is None:
        return None
    try:
        return parse_go_duration(value) / 1e9
    except ValueError as exc:
        message = str(exc)
        if message.startswith("time: unknown unit"):
            text = value.strip()
            try:
                seconds = parse_duration(text.lstrip("+-"))
            except ValueError:
                pass
            else:
                return -seconds if text.startswith("-") else seconds
    raise OcError(
        f'error: invalid argument "{value}" for "--{name}" flag: {message}\n'
        f"See 'oc adm prune images --help' for usage."
    )


def _options(inv: Invocation) -> PruneOptions:
    """``Complete`` and ``Validate``."""
    if inv.args:
        raise inv.usage_error("no arguments are allowed to this command")
    revisions = _int_flag(inv, "keep-tag-revisions")
    younger = _duration_flag(inv, "keep-younger-than")
    _int_flag(inv, "num-workers")
    if inv.flag("prune-over-size-limit"):
        if revisions is not None or younger is not None:
            raise OcError(
                "error: --prune-over-size-limit cannot be specified with "
                "--keep-tag-revisions nor --keep-younger-than"
            )
        raise OcError(
            "error: --prune-over-size-limit is not modelled by simkit "
            "(LimitRanges are not simulated)"
        )
    if younger is not None and younger < 0:
        raise OcError("error: --keep-younger-than must be greater than or equal to 0")
    if revisions is not None and revisions < 0:
        raise OcError("error: --keep-tag-revisions must be greater than or equal to 0")
    config = inv.sim.config
    return PruneOptions(
        keep_tag_revisions=config.keep_tag_revisions if revisions is None else revisions,
        keep_younger_than=config.keep_younger_than if younger is None else younger,
        all_images=bool(inv.flag("all")),
        prune_registry=bool(inv.flag("prune-registry")),
        namespace=inv.namespace if inv.explicit_namespace else None,
    )


def _report(plan: PrunePlan, options: PruneOptions, confirm: bool) -> str:
    """What the describing deleters print, stderr lines first."""
    # Each line is made with its newline (one f-string, no second pass to add them): a
    # steady night reports a line or two for every stream and image of the cluster.
    lines = [] if confirm else [DRY_RUN + "\n"]
    add = lines.append
    registry = options.prune_registry
    if not registry:
        add(API_ONLY + "\n")
    for stream in plan.streams:
        where = f"{stream.namespace}/{stream.name}"
        add(f"Deleting {stream.deleted_items} items from image stream {where}\n")
        if registry:
            for digest in stream.manifest_links:
                add(f"Deleting manifest link {digest} in repository {where}\n")
    image_blobs = plan.image_blobs
    for digest in plan.images:
        for blob in image_blobs[digest]:
            add(f"Deleting blob {blob}\n")
        add(f"Deleting image {digest}\n")
    lines.append(f"Summary: {plan.stats}\n")
    return "".join(lines)


def _images(tx: Transaction) -> dict[str, Any]:
    """The Image objects by digest, as the transaction sees them."""
    return {image.digest: image for image in tx.list(IMAGE_KIND)}


def _graph_errors(errors: list) -> str:
    """``printGraphBuildErrors`` for invalid references."""
    listing = "".join(f"  {error}\n" for error in errors)
    return (
        "Failed to build graph!\n\nThe following objects have invalid references:\n\n"
        f"{listing}\nEither fix the references or delete the objects to make the pruner "
        "proceed.\nerror: failed to build graph - no changes made"
    )


@command(
    "adm",
    "prune",
    "images",
    flags=PRUNE_FLAGS,
    use="images",
    short="Remove unreferenced images",
    long="""
    Remove image stream tags, images, and image layers by age or usage.

    This command removes historical image stream tags, unused images, and unreferenced image
    layers from the integrated registry. By default, all images are considered as candidates.
    The command can be instructed to consider only images that have been directly pushed to
    the registry by supplying --all=false flag.

    By default, the prune operation performs a dry run making no changes to internal
    registry. A --confirm flag is needed for changes to be effective. The flag requires a
    valid route to the integrated container image registry. If this command is run outside
    of the cluster network, the route needs to be provided using --registry-url.

    Only a user with a cluster role system:image-pruner or higher who is logged-in will be
    able to actually delete the images.

    If the registry is secured with a certificate signed by a self-signed root certificate
    authority other than the one present in current user's config, you may need to specify
    it using --certificate-authority flag.

    Insecure connection is allowed in the following cases unless certificate-authority is
    specified:

     1. --force-insecure is given
     2. provided registry-url is prefixed with http://
     3. registry url is a private or link-local address
     4. user's config allows for insecure connection (the user logged in to the cluster with
        --insecure-skip-tls-verify or allowed for insecure connection)""",
    example="""
    # See what the prune command would delete if only images and their referrers were more than an hour old
    # and obsoleted by 3 newer revisions under the same tag were considered
    oc adm prune images --keep-tag-revisions=3 --keep-younger-than=60m

    # To actually perform the prune operation, the confirm flag must be appended
    oc adm prune images --keep-tag-revisions=3 --keep-younger-than=60m --confirm""",
    usage={  # noqa: E501
        "confirm": "If true, specify that image pruning should proceed. Defaults to false, "
        "displaying what would be deleted but not actually deleting anything. Requires "
        "a valid route to the integrated container image registry (see "
        "--registry-url).",
        "all": "Include images that were imported from external registries as candidates for "
        "pruning.  If pruned, all the mirrored objects associated with them will also be "
        "removed from the integrated registry.",
        "keep-younger-than": Usage(
            "Specify the minimum age of an image and its referrers for it "
            "to be considered a candidate for pruning.",
            type="duration",
            default="1h0m0s",
        ),
        "keep-tag-revisions": Usage(
            "Specify the number of image revisions for a tag in an image "
            "stream that will be preserved.",
            type="int",
            default="3",
        ),
        "prune-over-size-limit": "Specify if images which are exceeding LimitRanges (see "
        "'openshift.io/Image'), specified in the same namespace, should "
        "be considered for pruning. This flag cannot be combined with "
        "--keep-younger-than nor --keep-tag-revisions.",
        "prune-registry": "If false, the prune operation will clean up image API objects, but the "
        "none of the associated content in the registry is removed.  Note, if "
        "only image API objects are cleaned up through use of this flag, the "
        "only means for subsequently cleaning up registry data corresponding to "
        "those image API objects is to employ the 'hard prune' administrative "
        "task.",
        "ignore-invalid-refs": "If true, the pruning process will ignore all errors while parsing "
        "image references. This means that the pruning process will ignore "
        "the intended connection between the object and the referenced "
        "image. As a result an image may be incorrectly deleted as unused.",
        "num-workers": Usage(
            "Specify the number of parallel workers to use when running prune operations.",
            type="int",
            default="5",
        ),
    },
)
def prune_images(inv: Invocation) -> str:
    """``oc adm prune images [--keep-tag-revisions=3] [--keep-younger-than=60m] [--confirm]``."""
    options = _options(inv)
    confirm = bool(inv.flag("confirm"))
    now = inv.now
    usage = images_in_use(inv.tx, now - options.keep_younger_than, options.namespace)
    if usage.errors and not inv.flag("ignore-invalid-refs"):
        raise OcError(_graph_errors(usage.errors))
    streams = inv.tx.list("ImageStream", options.namespace)
    images = _images(inv.tx)
    plan = plan_prune(streams, images, usage, now, options)
    if confirm:
        for stream in plan.streams:
            update_stream_status(inv.tx, stream.namespace, stream.name, stream.status_tags)
        delete_images(inv.tx, plan.images)
    stats = plan.stats
    inv.tx.record(
        "prune",
        dry_run=not confirm,
        namespace=options.namespace,
        keep_tag_revisions=options.keep_tag_revisions,
        keep_younger_than=options.keep_younger_than,
        deleted_tag_items=stats.deleted_tag_items,
        updated_streams=stats.updated_streams,
        deleted_images=stats.deleted_images,
        deleted_manifest_links=stats.deleted_manifest_links,
        deleted_blobs=stats.deleted_blobs,
    )
    # the report is as long as the night's deletions (four lines for most streams), and
    # the image pruner's job throws it away: made only for a caller that reads it
    return _report(plan, options, confirm) if inv.printed else ""
