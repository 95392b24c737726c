"""Tag strategies: how an image stream tag gets its images, read from its spec.

=================  ==================================================  ====================
strategy           spec                                                made by
=================  ==================================================  ====================
``reference``      ``reference: true``: no import, pulls go to the     ``--reference``
                   source
``alias``          ``from.kind: ImageStreamTag``: tracks another tag   ``--alias``
``permanent``      ``from`` an image by digest (``ImageStreamImage``,  ``oc tag a:1 a:p``
                   or a ``DockerImage`` spec with ``@sha256:``)
``scheduled``      ``DockerImage`` with ``importPolicy.scheduled``      ``--scheduled``
``local``          ``DockerImage``, ``referencePolicy: Local``, not     ``--reference-policy``
                   scheduled                                           ``=local``
``imported-once``  ``DockerImage``, neither scheduled nor Local         ``oc tag REG/IMG:T``
``pushed``         no spec tag, only status (pushed to the integrated  ``podman push``,
                   registry)                                           builds
=================  ==================================================  ====================

The order of the table is the precedence: a scheduled tag with the Local reference
policy is ``scheduled`` (its ``reference_policy`` column says Local).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from simkit.analysis._frames import stream_tag_key, upstream_key
from simkit.analysis._memo import reused
from simkit.analysis.conventions import classify_tag
from simkit.state.images import (
    DOCKER_IMAGE,
    IMAGE_STREAM_IMAGE,
    IMAGE_STREAM_TAG,
    LOCAL_POLICY,
    TagReference,
)

if TYPE_CHECKING:
    from simkit.simulation import Simulation

__all__ = ["STRATEGIES", "stream_tags", "tag_strategy"]

STRATEGIES = ("reference", "alias", "permanent", "scheduled", "local", "imported-once", "pushed")

COLUMNS = [
    "tag",
    "namespace",
    "stream",
    "name",
    "strategy",
    "convention",
    "scheduled",
    "reference_policy",
    "source_kind",
    "source",
    "source_type",
    "source_key",
]


def tag_strategy(ref: TagReference | None) -> str:
    """The strategy of a spec tag (``None``: a status-only tag, ``"pushed"``).

    Examples
    --------
    >>> from simkit.state.images import ObjectReference, TagReference
    >>> docker = ObjectReference("DockerImage", "quay.io/a/b:1")
    >>> tag_strategy(TagReference("1", docker, scheduled=True))
    'scheduled'
    >>> tag_strategy(TagReference("1", docker))
    'imported-once'
    >>> tag_strategy(TagReference("1", docker, reference_policy="Local"))
    'local'
    >>> tag_strategy(TagReference("1", ObjectReference("ImageStreamTag", "b:1")))
    'alias'
    >>> tag_strategy(TagReference("p", ObjectReference("ImageStreamImage", "b@sha256:0")))
    'permanent'
    >>> tag_strategy(TagReference("r", docker, reference=True)), tag_strategy(None)
    ('reference', 'pushed')
    """
    if ref is None or ref.source is None:
        return "pushed"
    if ref.reference:
        return "reference"
    kind = ref.source.kind
    if kind == IMAGE_STREAM_TAG:
        return "alias"
    if kind == IMAGE_STREAM_IMAGE or (kind == DOCKER_IMAGE and "@" in ref.source.name):
        return "permanent"
    if ref.scheduled:
        return "scheduled"
    if ref.reference_policy == LOCAL_POLICY:
        return "local"
    return "imported-once"


def _source(namespace: str, stream: str, ref: TagReference | None) -> tuple[str, str, str]:
    """``(source, source_type, source_key)`` of a spec tag, from the spec alone.

    ``source_type`` is ``"upstream"`` (``source_key`` is ``host/repository:tag``),
    ``"istag"`` (``source_key`` is ``ns/stream:tag``), ``"image"`` (pinned to a digest:
    the key is found later from the history) or ``""``.
    """
    if ref is None or ref.source is None:
        return "", "", ""
    source = ref.source
    if source.kind == DOCKER_IMAGE:
        key = upstream_key(source.name)
        if key is None:
            return source.name, "", ""
        host, repository, tag, digest = key
        if digest:
            return source.name, "image", ""
        return source.name, "upstream", f"{host}/{repository}:{tag}"
    source_ns = source.namespace or namespace
    if source.kind == IMAGE_STREAM_TAG:
        name = source.name if ":" in source.name else f"{stream}:{source.name}"
        other_stream, _, tag = name.partition(":")
        istag = stream_tag_key(source_ns, other_stream, tag)
        return istag, "istag", istag
    if source.kind == IMAGE_STREAM_IMAGE:
        return f"{source_ns}/{source.name}", "image", ""
    return source.name, "", ""


@reused
def stream_tags(sim: Simulation) -> pd.DataFrame:
    """Every image stream tag that exists now, with its strategy and source.

    Parameters
    ----------
    sim : Simulation
        Its image streams (spec and status) are read.

    Returns
    -------
    pandas.DataFrame
        One row per tag, in stream then spec order: ``tag`` (``"ns/stream:tag"``),
        ``namespace``, ``stream``, ``name`` (the tag name), ``strategy``
        (:func:`tag_strategy`), ``convention`` (:func:`~simkit.analysis.classify_tag`),
        ``scheduled``, ``reference_policy``, ``source_kind``, ``source`` (the ``from``
        as written, or the followed ``ns/stream:tag``), ``source_type``
        (``"upstream"``, ``"istag"``, ``"image"`` or ``""``) and ``source_key`` (the
        upstream ``host/repository:tag`` or the followed ``ns/stream:tag``).

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation()
    >>> _ = sim.registry("quay.io").push("acme/ruby", "2.7")
    >>> _ = sim.oc("tag --scheduled quay.io/acme/ruby:2.7 ruby:2.7")
    >>> _ = sim.oc("tag --alias ruby:2.7 ruby:latest")
    >>> stream_tags(sim)[["tag", "strategy", "convention", "source_key"]]
                       tag   strategy convention             source_key
    0     default/ruby:2.7  scheduled   revision  quay.io/acme/ruby:2.7
    1  default/ruby:latest      alias     latest       default/ruby:2.7
    """
    rows = []
    for stream in sim.cluster.list("ImageStream"):
        names = list(stream.spec_tags) + [
            t for t in stream.status_tags if t not in stream.spec_tags
        ]
        for name in names:
            ref = stream.spec_tags.get(name)
            source, source_type, source_key = _source(stream.namespace, stream.name, ref)
            rows.append(
                (
                    stream_tag_key(stream.namespace, stream.name, name),
                    stream.namespace,
                    stream.name,
                    name,
                    tag_strategy(ref),
                    classify_tag(name),
                    bool(ref.scheduled) if ref is not None else False,
                    ref.reference_policy if ref is not None else "",
                    ref.source.kind if ref is not None and ref.source is not None else "",
                    source,
                    source_type,
                    source_key,
                )
            )
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.astype({c: object for c in COLUMNS if c != "scheduled"} | {"scheduled": bool})
