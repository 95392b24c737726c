"""``oc get is|istag`` and ``oc describe is``: read-only views of image streams.

Restates kubectl ``get``/``describe`` (``k8s.io/kubectl/pkg/cmd``) around the image
printers: named objects are fetched one by one (errors for missing ones come after what
was found), listings are ordered by namespace and name, an empty human-readable listing
says ``No resources found in NS namespace.`` (on stderr in oc, returned here), ``-o
yaml|json`` print one object or a ``List``, and ``oc describe is PREFIX`` falls back to
every stream whose name starts with the prefix.
"""

from __future__ import annotations

from simkit.apiserver.errors import ApiError, NotFound
from simkit.manifests.images import image_stream_to_dict
from simkit.oc.command import Flag, Invocation, OcError, command
from simkit.oc.output import as_list, to_json, to_yaml
from simkit.oc.printers import (
    describe_image_stream,
    get_image_stream_tags,
    get_image_streams,
    listed_tags,
)
from simkit.oc.resources import IMAGE_STREAM_TAGS, IMAGE_STREAMS, parse_resource_args
from simkit.refs import InvalidReference, parse_image_stream_tag_name
from simkit.rules.tags import latest_tagged_image
from simkit.state.images import ImageStream

KIND = "ImageStream"

OUTPUT_FORMATS = ("", "wide", "yaml", "json", "name")
_ALLOWED_FORMATS = (
    "custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,"
    "jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml"
)

GET_FLAGS = (
    Flag("output", "o", default=""),
    Flag("all-namespaces", "A", value=False, default=False),
    Flag("no-headers", value=False, default=False),
    Flag("ignore-not-found", value=False, default=False),
)
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


@command("get", flags=GET_FLAGS, flags_in_use=False,
         use="get [(-o|--output=)json|yaml|kyaml|name|go-template|go-template-file|template|"
             "templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|"
             "custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | "
             "TYPE[.VERSION][.GROUP]/NAME ...) [flags]",
         short="Display one or many resources", long="""
    Display one or many resources.

    Prints a table of the most important information about the specified resources.
    You can filter the list using a label selector and the --selector flag. If the
    desired resource type is namespaced you will only see results in the current
    namespace if you don't specify any namespace.

    By specifying the output as 'template' and providing a Go template as the value
    of the --template flag, you can filter the attributes of the fetched resources.

    Use "kubectl api-resources" for a complete list of supported resources.""", example="""
    # List all pods in ps output format
    kubectl get pods

    # List all pods in ps output format with more information (such as node name)
    kubectl get pods -o wide""", usage={
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
    "ignore-not-found": "If set to true, suppresses NotFound error for specific objects that do "
                        "not exist. Using this flag with commands that query for collections of "
                        "resources has no effect when no resources are found."})
def get(inv: Invocation) -> str:
    """``oc get is|istag [NAME...] [-o yaml|json|name|wide] [-A] [--no-headers]``."""
    resource, names = parse_resource_args(inv.args, "get")
    output = inv.flag("output")
    if output not in OUTPUT_FORMATS:
        raise OcError(f'error: unable to match a printer suitable for the output format '
                      f'"{output}", allowed formats are: {_ALLOWED_FORMATS}')
    all_namespaces = bool(inv.flag("all-namespaces"))
    if all_namespaces and names:
        raise OcError("error: a resource cannot be retrieved by name across all namespaces")
    if resource is IMAGE_STREAMS:
        return _get_streams(inv, names, output, all_namespaces)
    return _get_istags(inv, names, output, all_namespaces)


def _get_streams(inv: Invocation, names: list[str], output: str, all_namespaces: bool) -> str:
    if names:
        streams, errors = _fetch(inv, names, _get_stream)
    else:
        streams, errors = _list_streams(inv, all_namespaces), []
    if output == "name":
        text = "".join(f"{IMAGE_STREAMS.name_prefix}/{s.name}\n" for s in streams)
    elif output in ("yaml", "json"):
        objects = [image_stream_to_dict(s, inv.sim) for s in streams]
        if len(names) == 1 and not objects:  # a single missing object: only the error
            return _finish("", errors)
        obj = objects[0] if len(names) == 1 else as_list(objects)
        text = to_yaml(obj) if output == "yaml" else to_json(obj)
    else:
        text = get_image_streams(streams, inv.sim, all_namespaces=all_namespaces,
                                 no_headers=bool(inv.flag("no-headers")))
        if not streams and not errors and not inv.flag("ignore-not-found"):
            text = _no_resources(inv, all_namespaces)
    return _finish(text, errors)


def _get_istags(inv: Invocation, names: list[str], output: str, all_namespaces: bool) -> str:
    if names:
        tags, errors = _fetch(inv, names, _get_istag)
    else:
        tags = [(s, t) for s in _list_streams(inv, all_namespaces) for t in listed_tags(s)]
        errors = []
    if output == "name":
        text = "".join(f"{IMAGE_STREAM_TAGS.name_prefix}/{s.name}:{t}\n" for s, t in tags)
    elif output in ("yaml", "json"):
        raise OcError("error: -o yaml|json of ImageStreamTags (with their Image objects) is "
                      "not modelled by simkit; use 'oc get is NAME -o yaml'")
    else:
        text = get_image_stream_tags(tags, inv.sim, all_namespaces=all_namespaces,
                                     wide=output == "wide",
                                     no_headers=bool(inv.flag("no-headers")))
        if not tags and not errors and not inv.flag("ignore-not-found"):
            text = _no_resources(inv, all_namespaces)
    return _finish(text, errors)


@command("describe", flags=DESCRIBE_FLAGS, flags_in_use=False,
         use="describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME)",
         short="Show details of a specific resource or group of resources", long="""
    Show details of a specific resource or group of resources.

    Print a detailed description of the selected resources, including related resources such
    as events or controllers. You may select a single object by name, all objects of that
    type, provide a name prefix, or label selector. For example:

        $ kubectl describe TYPE NAME_PREFIX

    will first check for an exact match on TYPE and NAME_PREFIX. If no such resource
    exists, it will output details for every resource that has a name prefixed with
    NAME_PREFIX.

    Use "kubectl api-resources" for a complete list of supported resources.""", usage={
    "all-namespaces": "If present, list the requested object(s) across all namespaces. "
                      "Namespace in current context is ignored even if specified with "
                      "--namespace."})
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
