"""A registry's images share one read-only labels mapping per distinct set of labels."""

from __future__ import annotations

import pytest

from simkit.state import registries
from simkit.state.registries import Registry


def _registry() -> Registry:
    return Registry("quay.io", clock=lambda: 0.0, record=lambda kind, **fields: None)


def test_images_with_the_same_labels_share_them_read_only():
    registry = _registry()
    one = registry.images[registry.push("acme/app", "1", labels={"fixes": "CVE-1", "v": "1"})]
    two = registry.images[registry.push("acme/app", "1", labels={"fixes": "CVE-1", "v": "1"})]
    other = registry.images[registry.push("acme/app", "1", labels={"fixes": "CVE-2", "v": "1"})]
    assert one.digest != two.digest
    assert one.labels is two.labels and dict(one.labels) == {"fixes": "CVE-1", "v": "1"}
    assert other.labels is not one.labels and other.labels["fixes"] == "CVE-2"
    with pytest.raises(TypeError):
        one.labels["fixes"] = "changed"  # type: ignore[index]


def test_labels_keep_their_order_and_the_callers_dict_is_not_kept():
    registry = _registry()
    labels = {"z": "1", "a": "2"}
    image = registry.images[registry.push("acme/app", "1", labels=labels)]
    labels["z"] = "changed"
    assert list(image.labels.items()) == [("z", "1"), ("a", "2")]


def test_images_without_labels_share_the_empty_mapping():
    registry = _registry()
    a = registry.images[registry.push("acme/a", "1")]
    b = registry.images[registry.push("acme/b", "1", labels={})]
    assert a.labels is b.labels and len(a.labels) == 0


def test_the_table_of_label_sets_stays_bounded(monkeypatch):
    monkeypatch.setattr(registries, "_LABEL_SETS_KEPT", 3)
    registry = _registry()
    images = [
        registry.images[registry.push("acme/app", "1", labels={"n": str(n % 5)})] for n in range(20)
    ]
    assert len(registry._label_sets) <= 3
    assert [image.labels["n"] for image in images] == [str(n % 5) for n in range(20)]
