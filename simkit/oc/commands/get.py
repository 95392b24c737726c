"""``oc get is|istag`` and ``oc describe is``: read-only views of image streams.

Restates kubectl ``get``/``describe`` (``k8s.io/kubectl/pkg/cmd``) around the image
printers: named objects are fetched one by one (errors for missing ones come after what
was found), listings are ordered by namespace and name, an empty human-readable listing
says ``No resources found in NS namespace.`` (on stderr in oc, returned here), every
other ``-o`` format prints one object or a ``List`` (:func:`simkit.oc.output.print_generic`),
and ``oc describe is PREFIX`` falls back to every stream whose name starts with the prefix.
"""

from __future__ import annotations

from simkit.apiserver.errors import ApiError, BadRequest, NotFound
from simkit.oc.command import Flag, Invocation, OcError, command
from simkit.oc.humanize import ago
from simkit.oc.output import GET_OUTPUT_FLAGS, OutputFormat, output_format, print_generic
from simkit.oc.printers import (
    describe_image_stream,
    get_image_stream_tags,
    get_image_streams,
    listed_tags,
    table,
)
from simkit.oc.resources import (
    IMAGE_STREAM_IMAGES,
    IMAGE_STREAM_TAGS,
    IMAGE_STREAMS,
    parse_resource_args,
)
from simkit.refs import InvalidReference, isimage_name_and_id, parse_image_stream_tag_name
from simkit.rules.tags import AmbiguousImageID, latest_tagged_image, resolve_image_id
from simkit.state.images import ImageStream

KIND = "ImageStream"

GET_FLAGS = (*GET_OUTPUT_FLAGS, Flag("all-namespaces", "A", value=False, default=False))
DESCRIBE_FLAGS = (Flag("all-namespaces", "A", value=False, default=False),)


def _list_streams(inv: Invocation, all_namespaces: bool) -> list[ImageStream]:
    """``LIST imagestreams``: by namespace, then name (etcd key order)."""
    namespace = None if all_namespaces else inv.namespace
    return sorted(inv.tx.list(KIND, namespace), key=lambda s: (s.namespace, s.name))


def _get_stream(inv: Invocation, name: str) -> ImageStream:
    stream = inv.tx.get(KIND, (inv.namespace, name))
    if stream is None:
        raise NotFound.of(IMAGE_STREAMS.qualified, name)
    return stream


def _get_istag(inv: Invocation, name: str) -> tuple[ImageStream, str]:
    """``GET imagestreamtags/NAME:TAG``: the tag must point at an existing image."""
    try:
        stream_name, tag = parse_image_stream_tag_name(name)
    except InvalidReference:
        raise ApiError("ImageStreamTags must be retrieved with <name>:<tag>") from None
    stream = _get_stream(inv, stream_name)
    event = latest_tagged_image(stream, tag)
    if event is None or not event.image:
        raise NotFound.of(IMAGE_STREAM_TAGS.qualified, f"{stream_name}:{tag}")
    if inv.tx.get("Image", ("", event.image)) is None:
        raise NotFound.of("images.image.openshift.io", event.image)
    return stream, tag


def _get_isimage(inv: Invocation, name: str) -> tuple:
    """``GET imagestreamimages/NAME@ID``: the image in the stream's history whose id has
    the prefix (openshift-apiserver ``imagestreamimage`` REST ``Get``)."""
    try:
        stream_name, image_id = isimage_name_and_id(name)
    except InvalidReference as exc:
        raise BadRequest(str(exc)) from None
    stream = _get_stream(inv, stream_name)
    try:
        event = resolve_image_id(stream, image_id, inv.now)
    except KeyError:
        raise NotFound.of(IMAGE_STREAM_IMAGES.qualified, name) from None
    except AmbiguousImageID as exc:
        raise ApiError(str(exc)) from None
    image = inv.tx.get("Image", ("", event.image))
    if image is None:
        raise NotFound.of("images.image.openshift.io", event.image)
    return stream, event, image


def _fetch(inv: Invocation, names: list[str], fetch) -> tuple[list, list[str]]:
    """Fetch each named object; collect the API errors as kubectl prints them."""
    found, errors = [], []
    for name in names:
        try:
            found.append(fetch(inv, name))
        except ApiError as exc:
            if isinstance(exc, NotFound) and inv.flag("ignore-not-found"):
                continue
            errors.append(str(exc))
    return found, errors


def _finish(text: str, errors: list[str]) -> str:
    """The command's result: oc exits 1 after printing what it found if anything failed."""
    if errors:
        raise OcError(text + "\n".join(errors))
    return text


def _no_resources(inv: Invocation, all_namespaces: bool) -> str:
    if all_namespaces:
        return "No resources found\n"
    return f"No resources found in {inv.namespace} namespace.\n"


@command(
    "get",
    flags=GET_FLAGS,
    flags_in_use=False,
    use="get [(-o|--output=)json|yaml|kyaml|name|go-template|go-template-file|template|"
    "templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|"
    "custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | "
    "TYPE[.VERSION][.GROUP]/NAME ...) [flags]",
    short="Display one or many resources",
    long="""
    Display one or many resources.

    Prints a table of the most important information about the specified resources.
    You can filter the list using a label selector and the --selector flag. If the
    desired resource type is namespaced you will only see results in the current
    namespace if you don't specify any namespace.

    By specifying the output as 'template' and providing a Go template as the value
    of the --template flag, you can filter the attributes of the fetched resources.

    Use "kubectl api-resources" for a complete list of supported resources.""",
    example="""
    # List all pods in ps output format
    kubectl get pods

    # List all pods in ps output format with more information (such as node name)
    kubectl get pods -o wide""",
    usage={
        "output": "Output format. One of: (json, yaml, kyaml, name, go-template, go-template-file, "
        "template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file, custom-columns, "
        "custom-columns-file, wide). See custom columns "
        "[https://kubernetes.io/docs/reference/kubectl/#custom-columns], golang template "
        "[http://golang.org/pkg/text/template/#pkg-overview] and jsonpath template "
        "[https://kubernetes.io/docs/reference/kubectl/jsonpath/].",
        "all-namespaces": "If present, list the requested object(s) across all namespaces. "
        "Namespace in current context is ignored even if specified with "
        "--namespace.",
        "no-headers": "When using the default or custom-column output format, don't print headers "
        "(default print headers).",
        "ignore-not-found": "If set to true, suppresses NotFound error for specific objects "
        "that do not exist. Using this flag with commands that query for collections of "
        "resources has no effect when no resources are found.",
    },
)
def get(inv: Invocation) -> str:
    """``oc get is|istag [NAME...] [-o FORMAT] [-A] [--no-headers]``."""
    resource, names = parse_resource_args(inv.args, "get")
    output = output_format(inv)
    all_namespaces = bool(inv.flag("all-namespaces"))
    if all_namespaces and names:
        raise OcError("error: a resource cannot be retrieved by name across all namespaces")
    if resource is IMAGE_STREAMS:
        return _get_streams(inv, names, output, all_namespaces)
    if resource is IMAGE_STREAM_IMAGES:
        return _get_isimages(inv, names, output)
    return _get_istags(inv, names, output, all_namespaces)


def _get_isimages(inv: Invocation, names: list[str], output: OutputFormat) -> str:
    """``oc get isimage NAME@ID...``: ``NAME UPDATED`` (``-o wide`` adds ``IMAGE REFERENCE``
    and ``IMAGE NAME``), openshift-apiserver's ``printImageStreamImage``; the resource
    cannot be listed."""
    if not names:
        raise OcError(
            "Error from server (MethodNotAllowed): the server does not allow this "
            "method on the requested resource"
        )
    found, errors = _fetch(inv, names, _get_isimage)
    if not output.table:
        return print_generic(
            inv, output, "ImageStreamImage", found, single=len(names) == 1, errors=errors
        )
    wide = output.kind == "wide"
    rows = []
    for stream, event, image in found:
        row = [f"{stream.name}@{image.digest}", ago(inv.now, image.created)]
        rows.append(row + ([event.docker_image_reference, image.digest] if wide else []))
    header = ["NAME", "UPDATED"] + (["IMAGE REFERENCE", "IMAGE NAME"] if wide else [])
    return _finish(table(header, rows, bool(inv.flag("no-headers"))), errors)


def _get_streams(
    inv: Invocation, names: list[str], output: OutputFormat, all_namespaces: bool
) -> str:
    if names:
        streams, errors = _fetch(inv, names, _get_stream)
    else:
        streams, errors = _list_streams(inv, all_namespaces), []
    if not output.table:
        return print_generic(inv, output, KIND, streams, single=len(names) == 1, errors=errors)
    text = get_image_streams(
        streams, inv.sim, all_namespaces=all_namespaces, no_headers=bool(inv.flag("no-headers"))
    )
    if not streams and not errors and not inv.flag("ignore-not-found"):
        text = _no_resources(inv, all_namespaces)
    return _finish(text, errors)


def _get_istags(
    inv: Invocation, names: list[str], output: OutputFormat, all_namespaces: bool
) -> str:
    if names:
        tags, errors = _fetch(inv, names, _get_istag)
    else:
        tags = [(s, t) for s in _list_streams(inv, all_namespaces) for t in listed_tags(s)]
        errors = []
    if not output.table:
        return print_generic(
            inv, output, "ImageStreamTag", tags, single=len(names) == 1, errors=errors
        )
    text = get_image_stream_tags(
        tags,
        inv.sim,
        all_namespaces=all_namespaces,
        wide=output.kind == "wide",
        no_headers=bool(inv.flag("no-headers")),
    )
    if not tags and not errors and not inv.flag("ignore-not-found"):
        text = _no_resources(inv, all_namespaces)
    return _finish(text, errors)


@command(
    "describe",
    flags=DESCRIBE_FLAGS,
    flags_in_use=False,
    use="describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME)",
    short="Show details of a specific resource or group of resources",
    long="""
    Show details of a specific resource or group of resources.

    Print a detailed description of the selected resources, including related resources such
    as events or controllers. You may select a single object by name, all objects of that
    type, provide a name prefix, or label selector. For example:

        $ kubectl describe TYPE NAME_PREFIX

    will first check for an exact match on TYPE and NAME_PREFIX. If no such resource
    exists, it will output details for every resource that has a name prefixed with
    NAME_PREFIX.

    Use "kubectl api-resources" for a complete list of supported resources.""",
    usage={
        "all-namespaces": "If present, list the requested object(s) across all namespaces. "
        "Namespace in current context is ignored even if specified with "
        "--namespace."
    },
)
def describe(inv: Invocation) -> str:
    """``oc describe is [NAME...] [-A]``; a name that is not found is tried as a prefix."""
    resource, names = parse_resource_args(inv.args, "describe")
    if resource is not IMAGE_STREAMS:
        raise OcError(f"error: simkit describes only imagestreams, not {resource.plural}")
    all_namespaces = bool(inv.flag("all-namespaces"))
    if all_namespaces and names:
        raise OcError("error: a resource cannot be retrieved by name across all namespaces")
    if not names:
        streams = _list_streams(inv, all_namespaces)
        if not streams:
            return _no_resources(inv, all_namespaces)
        return "\n\n".join(describe_image_stream(s, inv.sim) for s in streams)
    streams, errors = _fetch(inv, names, _get_stream)
    if errors and len(names) == 1:
        # DescribeMatchingResources: every stream whose name starts with the argument
        matches = [s for s in _list_streams(inv, False) if s.name.startswith(names[0])]
        if matches:
            return "".join(describe_image_stream(s, inv.sim) + "\n" for s in matches)
    text = "\n\n".join(describe_image_stream(s, inv.sim) for s in streams)
    return _finish(text, errors)
