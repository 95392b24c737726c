"""``oc apply``'s three-way merge: live object, last-applied configuration, new manifest.

kubectl computes a strategic merge patch from the last-applied configuration (the
``kubectl.kubernetes.io/last-applied-configuration`` annotation) to the new manifest and
applies it to the live object: fields the manifest sets win, fields that the previous
apply set and the manifest no longer has are removed, and fields nobody applied (set
by ``oc tag``, by controllers, by the server) are kept.  Lists with a patch merge key
(``spec.tags`` by ``name``, ``containers`` by ``name``, ``imagePullSecrets`` ...) merge
element by element; other lists are replaced.

simkit keeps each object's last-applied configuration in the cluster store
``LastApplied`` (keyed by store kind and object key), not in the object's annotations,
so that the same record works for every kind and a Secret's values are never copied
into an annotation: a Secret's record holds its keys with redacted values.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from simkit.manifests.errors import REDACTED

if TYPE_CHECKING:
    from simkit.simulation import Simulation

LAST_APPLIED_STORE = "LastApplied"
"""The cluster store of last-applied configurations."""

MERGE_KEYS: dict[tuple[str, ...], str] = {
    ("spec", "tags"): "name",
    ("status", "tags"): "tag",
    ("secrets",): "name",
    ("imagePullSecrets",): "name",
    ("spec", "containers"): "name",
    ("spec", "imagePullSecrets"): "name",
    ("spec", "template", "spec", "containers"): "name",
    ("spec", "template", "spec", "imagePullSecrets"): "name",
}
"""Lists merged element by element (``patchMergeKey`` in the Go types), by path."""


def last_applied_key(store: str, key: tuple[str, str]) -> tuple[str, str]:
    """The ``LastApplied`` store key of an object."""
    return (f"{store}/{key[0]}", key[1])


def configuration(obj: Mapping[str, Any], namespace: str, redact: bool) -> dict[str, Any]:
    """The configuration ``oc apply`` records: the manifest, namespace filled in, the
    last-applied annotation itself removed (a Secret's values redacted).

    Examples
    --------
    >>> configuration({"kind": "Secret", "apiVersion": "v1", "metadata": {"name": "s"},
    ...                "data": {"k": "c2VjcmV0"}}, "p", redact=True)["data"]
    {'k': '<secret contents redacted>'}
    """
    config = copy.deepcopy(dict(obj))
    meta = dict(config.get("metadata") or {})
    if namespace and not meta.get("namespace"):
        meta["namespace"] = namespace
    annotations = dict(meta.get("annotations") or {})
    annotations.pop("kubectl.kubernetes.io/last-applied-configuration", None)
    meta["annotations"] = annotations
    config["metadata"] = meta
    if redact:
        for field in ("data", "stringData"):
            if isinstance(config.get(field), Mapping):
                config[field] = {k: REDACTED for k in config[field]}
    return config


def encode(config: Mapping[str, Any]) -> str:
    """The annotation's JSON: compact, keys sorted, ``<>&`` escaped as Go's encoder does."""
    text = json.dumps(config, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") + "\n"


def three_way(live: Any, old: Any, new: Any, path: tuple[str, ...] = ()) -> Any:
    """Merge ``new`` into ``live``, deleting what ``old`` had and ``new`` no longer has.

    Examples
    --------
    >>> live = {"spec": {"tags": [{"name": "a", "x": 1}, {"name": "b"}, {"name": "manual"}]}}
    >>> old = {"spec": {"tags": [{"name": "a"}, {"name": "b"}]}}
    >>> new = {"spec": {"tags": [{"name": "a", "y": 2}, {"name": "c"}]}}
    >>> three_way(live, old, new)["spec"]["tags"]
    [{'name': 'a', 'x': 1, 'y': 2}, {'name': 'manual'}, {'name': 'c'}]
    """
    if isinstance(new, Mapping) and isinstance(live, Mapping):
        old_map = old if isinstance(old, Mapping) else {}
        result = dict(live)
        for key, value in new.items():
            if value is None:
                result.pop(key, None)
                continue
            result[key] = three_way(live.get(key), old_map.get(key), value, (*path, key))
        for key in old_map:
            if key not in new:
                result.pop(key, None)
        return result
    merge_key = MERGE_KEYS.get(path)
    if merge_key and isinstance(new, list) and isinstance(live, list):

        def keyed(items: Any) -> dict[Any, Any]:
            if not isinstance(items, list):
                return {}
            return {item.get(merge_key): item for item in items if isinstance(item, Mapping)}

        new_items, old_items = keyed(new), keyed(old)
        result_list = []
        for item in live:
            name = item.get(merge_key) if isinstance(item, Mapping) else None
            if name in new_items:
                result_list.append(three_way(item, old_items.get(name), new_items[name], path))
            elif name not in old_items:
                result_list.append(item)
        present = {i.get(merge_key) for i in result_list if isinstance(i, Mapping)}
        result_list += [item for name, item in new_items.items() if name not in present]
        return result_list
    return copy.deepcopy(new)


# -- live objects as manifests ------------------------------------------------------------
def live_dict(store: str, obj: Any, sim: Simulation, group: str = "") -> dict[str, Any]:
    """The live object as the API server would return it (:func:`~simkit.manifests.to_api`),
    without the fields the server sets (``uid``, ``resourceVersion``,
    ``creationTimestamp``) and, but for an ImageStream's, without ``status``: what the
    three-way merge patches."""
    from simkit.manifests.api import to_api

    out = to_api(obj, sim)
    meta = out["metadata"]
    for key in ("uid", "resourceVersion", "creationTimestamp"):
        meta.pop(key, None)
    if store != "ImageStream":
        out.pop("status", None)
    return out
