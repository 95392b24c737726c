"""Image triggers: which image a workload's trigger resolves to, and whether to update it.

Restates library-go ``pkg/image/trigger`` (annotation triggers: ``fieldPath`` rules,
duplicate paths refused), openshift-controller-manager's ``tagRetriever`` (the newest
tag event with the tag's reference policy, ``ResolveLatestTaggedImage``) and
``UpdateDeploymentConfigImages`` (only automatic ImageChange triggers; an unresolved
tag with no ``lastTriggeredImage`` makes the DeploymentConfig "not resolvable").
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

from simkit.state.workloads import ImageTrigger

FIELD_PATH = re.compile(
    r"^(?:spec\.template\.spec\.|spec\.jobTemplate\.spec\.template\.spec\.)?"
    r"(?P<list>containers|initContainers)"
    r"\[(?:(?P<index>\d+)|\?\(@\.name==\"(?P<name>[^\"]+)\"\))\]\.image$"
)

Resolver = Callable[[str, str, str], "str | None"]
"""``resolve(namespace, stream, tag)`` -> pull spec or None."""


def parse_trigger_annotation(
    value: str, namespace: str, containers: list[str]
) -> list[ImageTrigger]:
    r"""Parse an ``image.openshift.io/triggers`` annotation value into triggers.

    Raises ``ValueError`` naming the problem (bad JSON, kind, ``fieldPath``, or a
    duplicate ``fieldPath``).

    Examples
    --------
    >>> value = ('[{"from": {"kind": "ImageStreamTag", "name": "ruby:2.7"},'
    ...          ' "fieldPath": "spec.template.spec.containers[?(@.name==\\"app\\")].image"}]')
    >>> parse_trigger_annotation(value, "demo", ["app"])[0].stream_tag
    'ruby:2.7'
    """
    try:
        entries = json.loads(value)
    except json.JSONDecodeError as exc:
        raise ValueError(f"image.openshift.io/triggers: not valid JSON: {exc}") from None
    if not isinstance(entries, list):
        raise ValueError("image.openshift.io/triggers: must be a JSON array")
    triggers: list[ImageTrigger] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        where = f"image.openshift.io/triggers[{i}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("from"), dict):
            raise ValueError(f"{where}: must be an object with a 'from'")
        source = entry["from"]
        if source.get("kind", "ImageStreamTag") != "ImageStreamTag":
            raise ValueError(f"{where}.from.kind: only ImageStreamTag is supported")
        path = entry.get("fieldPath", "")
        if path in seen:
            raise ValueError(f"{where}.fieldPath: duplicate fieldPath {path!r}")
        seen.add(path)
        match = FIELD_PATH.match(path)
        if match is None:
            raise ValueError(f"{where}.fieldPath: {path!r} does not name a container image")
        if match.group("name") is not None:
            container = match.group("name")
        else:
            index = int(match.group("index"))
            if index >= len(containers):
                raise ValueError(f"{where}.fieldPath: no container at index {index}")
            container = containers[index]
        triggers.append(
            ImageTrigger(
                stream_tag=str(source.get("name", "")),
                namespace=str(source.get("namespace") or namespace),
                container=container,
                paused=bool(entry.get("paused", False)),
            )
        )
    return triggers


def trigger_annotation(triggers: list[ImageTrigger]) -> str:
    """The annotation value for ``triggers`` (what ``oc set triggers`` writes)."""
    return json.dumps(
        [
            {
                "from": {
                    "kind": "ImageStreamTag",
                    "name": t.stream_tag,
                    **({"namespace": t.namespace} if t.namespace else {}),
                },
                "fieldPath": f'spec.template.spec.containers[?(@.name=="{t.container}")].image',
                **({"paused": "true"} if t.paused else {}),
            }
            for t in triggers
        ]
    )


def deployment_image(triggers: list[ImageTrigger], current: str, resolve: Resolver) -> str:
    """The image a Deployment's container should have after its annotation triggers fire."""
    image = current
    for trigger in triggers:
        if trigger.paused:
            continue
        stream, _, tag = trigger.stream_tag.partition(":")
        resolved = resolve(trigger.namespace, stream, tag or "latest")
        if resolved:
            image = resolved
    return image


def deployment_config_image(
    triggers: list[ImageTrigger], current: str, resolve: Resolver
) -> tuple[str, bool]:
    """``UpdateDeploymentConfigImages``: the new image and whether every trigger resolved.

    Non-automatic triggers are skipped; ``lastTriggeredImage`` is updated in place.
    """
    image = current
    resolvable = True
    for trigger in triggers:
        if not trigger.automatic:
            continue
        stream, _, tag = trigger.stream_tag.partition(":")
        resolved = resolve(trigger.namespace, stream, tag or "latest")
        if not resolved:
            if not trigger.last_triggered_image:
                resolvable = False
            continue
        trigger.last_triggered_image = resolved
        image = resolved
    return image, resolvable


def has_last_triggered_image(triggers: list[ImageTrigger]) -> bool:
    """``HasLastTriggeredImage``: every ImageChange trigger has a ``lastTriggeredImage``."""
    return all(t.last_triggered_image for t in triggers)
