"""The kubelet's shortcuts equal the plain computations they stand for."""

from __future__ import annotations

import pytest

from simkit.controllers.kubelet import runtime_name
from simkit.refs import InvalidReference, apply_default_tag, parse_image

DIGEST = "sha256:" + "ab" * 32

SPECS = [
    "busybox",
    "busybox:1.36",
    "busybox:latest",
    f"busybox@{DIGEST}",
    f"busybox:1.36@{DIGEST}",
    "library/busybox",
    "quay.io/fleet/app1",
    "quay.io/fleet/app1:v2",
    f"quay.io/fleet/app1@{DIGEST}",
    "localhost:5000/app",
    "localhost:5000/app:5000",
    "registry.example.com:5000/foobar",
    f"image-registry.openshift-image-registry.svc:5000/ns/app@{DIGEST}",
    "ns/app:tag",
    "",
    "ROOT",
    "FAILED_IMAGE",
    "a:b:c",
    "quay.io/app@sha256:short",
    "Not A Valid Image",
]


def _plain(spec: str) -> str:
    return str(parse_image(apply_default_tag(spec)))


@pytest.mark.parametrize("spec", SPECS)
def test_runtime_name_is_the_default_tagged_parse(spec: str) -> None:
    try:
        expected = _plain(spec)
    except InvalidReference as exc:
        with pytest.raises(InvalidReference) as raised:
            runtime_name(spec)
        assert str(raised.value) == str(exc)
        return
    assert runtime_name(spec) == expected
