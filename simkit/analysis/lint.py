"""A linter for image streams: tag conventions, strategies and pruning hints, per tag.

Takes image streams as objects (:class:`~simkit.state.images.ImageStream`), as decoded
manifests (dicts), as a :class:`~simkit.Simulation` (all its streams), or as files and
folders of JSON/YAML manifests (``ImageStream``, ``List``/``ImageStreamList``,
multi-document YAML).
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from simkit.analysis.conventions import classify_tag, parse_tag, semver_level, tag_flags
from simkit.analysis.strategies import tag_strategy
from simkit.state.images import ImageStream, ObjectReference, TagReference

__all__ = ["lint_image_streams"]

COLUMNS = [
    "file",
    "namespace",
    "stream",
    "tag",
    "category",
    "semver_level",
    "version",
    "strategy",
    "source_kind",
    "source",
    "scheduled",
    "reference_policy",
    "hidden",
    "flags",
]

HIDDEN = "hidden"
"""The word in a tag's ``tags`` annotation that hides it from the catalog (deprecated)."""


def _tag_reference(entry: Mapping[str, Any]) -> TagReference:
    source = entry.get("from") or None
    import_policy = entry.get("importPolicy") or {}
    reference_policy = (entry.get("referencePolicy") or {}).get("type") or "Source"
    return TagReference(
        str(entry.get("name", "")),
        ObjectReference(
            str(source.get("kind", "")),
            str(source.get("name", "")),
            str(source.get("namespace", "") or ""),
        )
        if source
        else None,
        reference=bool(entry.get("reference", False)),
        scheduled=bool(import_policy.get("scheduled", False)),
        reference_policy=reference_policy,
        annotations=dict(entry.get("annotations") or {}),
    )


def _from_manifest(
    obj: Mapping[str, Any], file: str
) -> Iterator[tuple[str, str, str, TagReference]]:
    kind = obj.get("kind", "")
    if kind in ("List", "ImageStreamList") or (not kind and "items" in obj):
        for item in obj.get("items") or []:
            if isinstance(item, Mapping):
                yield from _from_manifest(item, file)
        return
    if kind != "ImageStream":
        return
    meta = obj.get("metadata") or {}
    for entry in (obj.get("spec") or {}).get("tags") or []:
        if isinstance(entry, Mapping):
            yield (
                file,
                str(meta.get("namespace", "") or ""),
                str(meta.get("name", "")),
                _tag_reference(entry),
            )


def _from_file(path: Path) -> Iterator[tuple[str, str, str, TagReference]]:
    text = path.read_text(encoding="utf-8")
    documents = [json.loads(text)] if path.suffix == ".json" else yaml.safe_load_all(text)
    for document in documents:
        if isinstance(document, Mapping):
            yield from _from_manifest(document, str(path))


def _from_stream(stream: ImageStream) -> Iterator[tuple[str, str, str, TagReference]]:
    for ref in stream.spec_tags.values():
        yield "", stream.namespace, stream.name, ref


def _entries(items: Any) -> Iterator[tuple[str, str, str, TagReference]]:
    if hasattr(items, "cluster") and hasattr(items, "registries"):  # a Simulation
        items = items.cluster.list("ImageStream")
    if isinstance(items, str | Path | ImageStream | Mapping):
        items = [items]
    for item in items:
        if isinstance(item, ImageStream):
            yield from _from_stream(item)
        elif isinstance(item, Mapping):
            yield from _from_manifest(item, "")
        elif isinstance(item, str | Path):
            path = Path(item)
            if path.is_dir():
                for child in sorted(path.rglob("*")):
                    if child.suffix in (".json", ".yaml", ".yml") and child.is_file():
                        yield from _from_file(child)
            else:
                yield from _from_file(path)
        else:
            raise TypeError(
                f"lint_image_streams: cannot read {type(item).__name__} "
                "(expected an ImageStream, a dict, a path or a Simulation)"
            )


def _strategy_flags(ref: TagReference, category: str, level: str) -> list[str]:
    flags = []
    strategy = tag_strategy(ref)
    floating = category in ("latest", "stable") or level in ("major", "minor")
    if strategy in ("imported-once", "local") and floating:
        flags.append("floating name imported once: goes stale, schedule it or re-import")
    if strategy == "permanent" and floating:
        flags.append("floating name pinned to one image")
    if HIDDEN in str((ref.annotations or {}).get("tags", "")).split(","):
        flags.append("hidden: deprecated")
    return flags


def lint_image_streams(streams_or_files: Any) -> pd.DataFrame:
    """The naming convention, semantic-version level and findings of every spec tag.

    Parameters
    ----------
    streams_or_files : iterable or one item
        :class:`~simkit.state.images.ImageStream` objects, manifest dicts, paths of
        JSON/YAML files or of folders (searched recursively), or a Simulation.

    Returns
    -------
    pandas.DataFrame
        One row per spec tag: ``file``, ``namespace``, ``stream``, ``tag``,
        ``category`` (:func:`~simkit.analysis.classify_tag`), ``semver_level``
        (major/minor/patch/none), ``version``, ``strategy``
        (:func:`~simkit.analysis.tag_strategy`), ``source_kind``, ``source``,
        ``scheduled``, ``reference_policy``, ``hidden`` (deprecated: the ``tags``
        annotation says ``hidden``) and ``flags`` (``"; "``-joined:
        ``dated: too much information, prune``, ``floating``, ``specific``,
        ``prerelease``, ``unconventional``, ``floating name imported once: goes stale,
        ...``, ``floating name pinned to one image``, ``hidden: deprecated``).

    Examples
    --------
    >>> stream = {"kind": "ImageStream", "apiVersion": "image.openshift.io/v1",
    ...     "metadata": {"name": "myimage"}, "spec": {"tags": [
    ...         {"name": "v2.0.1-may-2019", "from": {"kind": "DockerImage",
    ...                                              "name": "quay.io/a/myimage:v2.0.1"}},
    ...         {"name": "v2.0", "from": {"kind": "DockerImage", "name": "quay.io/a/b:v2.0"},
    ...          "importPolicy": {"scheduled": True}},
    ...         {"name": "latest", "from": {"kind": "ImageStreamTag", "name": "v2.0"}}]}}
    >>> lint = lint_image_streams([stream])
    >>> print(lint[["tag", "category", "semver_level", "strategy"]].to_string())
                   tag  category semver_level       strategy
    0  v2.0.1-may-2019     dated        patch  imported-once
    1             v2.0  revision        minor      scheduled
    2           latest    latest         none          alias
    >>> lint["flags"].iloc[0]
    'dated: too much information, prune; specific'
    """
    rows = []
    for file, namespace, stream, ref in _entries(streams_or_files):
        category = classify_tag(ref.name)
        level = semver_level(ref.name)
        flags = tag_flags(ref.name, category) + _strategy_flags(ref, category, level)
        hidden = HIDDEN in str((ref.annotations or {}).get("tags", "")).split(",")
        rows.append(
            (
                file,
                namespace,
                stream,
                ref.name,
                category,
                level,
                str(parse_tag(ref.name)["version"]),
                tag_strategy(ref),
                ref.source.kind if ref.source else "",
                ref.source.name if ref.source else "",
                bool(ref.scheduled),
                ref.reference_policy,
                hidden,
                "; ".join(flags),
            )
        )
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.astype({"scheduled": bool, "hidden": bool})
