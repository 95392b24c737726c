"""The compact image store of a registry answers as the dict of images it replaced."""

from __future__ import annotations

import hypothesis.strategies as st
from hypothesis import given, settings

from simkit.state import registry_images
from simkit.state.registry_images import NO_LABELS, RegistryImage, RegistryImages

_hex = st.text("0123456789abcdef", min_size=64, max_size=64)
_digests = st.one_of(
    _hex.map(lambda h: "sha256:" + h),
    # texts that are not canonical sha256 digests are kept as they are
    _hex.map(lambda h: "sha256:" + h.upper()),
    _hex.map(lambda h: "sha512:" + h),
    st.text(min_size=1, max_size=12),
)
_images = st.builds(
    RegistryImage,
    _digests,
    st.sampled_from(["acme/app", "acme/db", "library/ruby"]),
    st.floats(0, 1e9, allow_nan=False),
    st.integers(0, 1 << 40),
    st.sampled_from([NO_LABELS, {"version": "1"}, {"fixes": "CVE-1", "version": "2"}, {}]),
)


@settings(max_examples=100, deadline=None)
@given(st.lists(_images, max_size=40), st.lists(_digests, max_size=10), st.integers(1, 8))
def test_answers_as_a_dict(images, probes, recent):
    """Same keys, order, images and labels as a dict; whether an image is still among the
    recent ones (kept as objects) makes no difference."""
    original = registry_images.RECENT
    registry_images.RECENT = recent
    try:
        store = RegistryImages()
        expected: dict[str, RegistryImage] = {}
        for image in images:
            store.add(image)
            expected[image.digest] = image
    finally:
        registry_images.RECENT = original
    assert len(store) == len(expected)
    assert list(store) == list(expected)
    for digest, image in expected.items():
        got = store[digest]
        assert got == image and got.digest == digest
        assert dict(got.labels) == dict(image.labels)
        if image.labels:
            assert got.labels is image.labels  # shared, not copied
    for digest in probes:
        assert (digest in store) == (digest in expected)
        assert store.get(digest) == expected.get(digest)


def test_case_and_spaces_name_other_digests():
    """A digest is its text: uppercase hex or spaces name no image added in lowercase."""
    store = RegistryImages()
    digest = "sha256:" + "ab" * 32
    store.add(RegistryImage(digest, "acme/app", 0.0, 1))
    assert digest.upper().replace("SHA256", "sha256") not in store
    assert "sha256:" + "ab " * 21 + "a" not in store
    assert store.get("sha256:" + "AB" * 32) is None


def test_registry_keeps_every_push_reachable_by_digest():
    from simkit.state.registries import Registry

    registry = Registry("quay.io", clock=lambda: 0.0, record=lambda kind, **f: None)
    digests = [registry.push("acme/app", "1.0") for _ in range(5)]
    assert isinstance(registry.images, RegistryImages)
    assert [registry.resolve("acme/app", d).digest for d in digests] == digests
    assert registry.resolve("acme/app", "1.0").digest == digests[-1]
