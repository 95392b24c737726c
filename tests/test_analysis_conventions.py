"""Tag conventions: OpenShift's table, dated tags, semantic-version levels, and the
linter over the real openshift/library image streams."""

from __future__ import annotations

from pathlib import Path

import pytest

import simkit as sk
from simkit.analysis import classify_tag, lint_image_streams, semver_level, tag_flags

LIBRARY = Path(__file__).resolve().parents[1] / "data" / "openshift-library"


@pytest.mark.parametrize(
    ("tag", "category"),
    [
        # the table of "Image tag conventions"
        ("v2.0.1", "revision"),
        ("v2.0-x86_64", "architecture"),
        ("v1.2-centos7", "base-image"),
        ("latest", "latest"),
        ("stable", "stable"),
        # too much information: dates
        ("v2.0.1-may-2019", "dated"),
        ("20190501", "dated"),
        ("1.2-2019-05-01", "dated"),
        ("2019.05.01", "dated"),
        ("nightly-20240102", "dated"),
        ("v3-jan2024", "dated"),
        # the library's shapes
        ("1.18-ubi8", "base-image"),
        ("22-minimal-ubi9", "base-image"),
        ("10.11-el9", "base-image"),
        ("openjdk-11-ubi8", "base-image"),
        ("26.0.0.7-java17", "base-image"),
        ("2.1.0.GA", "revision"),
        ("11", "revision"),
        ("1.0-rc1", "revision"),
        ("latest-jdk17", "latest"),
        ("stable-1.2", "stable"),
        ("v2.0-centos7-arm64", "architecture"),
        ("ppc64le", "other"),
        ("scheduled-upgrade", "other"),
        ("main", "other"),
        ("", "other"),
    ],
)
def test_classify_tag(tag, category):
    assert classify_tag(tag) == category


def test_semver_levels_and_flags():
    assert [semver_level(t) for t in ("v2", "v2.0", "v2.0.1", "2.1.0.GA", "latest")] == [
        "major",
        "minor",
        "patch",
        "patch",
        "none",
    ]
    assert tag_flags("v2.0.1-may-2019")[0] == "dated: too much information, prune"
    assert "floating" in tag_flags("v2.0") and "specific" in tag_flags("v2.0.1")
    assert "prerelease" in tag_flags("1.0.0-rc.1") and "prerelease" not in tag_flags("2.1.0.GA")


def test_lint_reads_streams_simulations_yaml_and_lists(tmp_path):
    sim = sk.Simulation()
    sim.oc("tag quay.io/acme/app:latest app:latest")
    sim.oc("tag --scheduled quay.io/acme/app:v2.0.1-may-2019 app:v2.0.1-may-2019")
    from_sim = lint_image_streams(sim)
    assert list(from_sim["category"]) == ["latest", "dated"]
    assert "imported once" in from_sim["flags"].iloc[0]
    assert "prune" in from_sim["flags"].iloc[1]
    manifest = tmp_path / "streams.yaml"
    manifest.write_text(
        "kind: List\napiVersion: v1\nitems:\n"
        "- kind: ImageStream\n  apiVersion: image.openshift.io/v1\n  metadata: {name: a}\n"
        "  spec:\n    tags:\n    - name: v1.2-centos7\n"
        "      from: {kind: DockerImage, name: 'quay.io/a:v1.2-centos7'}\n"
        "      importPolicy: {scheduled: true}\n"
        "---\n"
        "kind: ImageStream\napiVersion: image.openshift.io/v1\nmetadata: {name: b}\n"
        "spec:\n  tags:\n  - name: stable\n    from: {kind: ImageStreamImage, "
        "name: 'b@sha256:0123'}\n"
    )
    lint = lint_image_streams([manifest, sim.stream("default", "app")])
    assert list(lint["stream"]) == ["a", "b", "app", "app"]
    assert list(lint["category"]) == ["base-image", "stable", "latest", "dated"]
    assert lint.loc[1, "strategy"] == "permanent"
    assert "floating name pinned" in lint.loc[1, "flags"]
    with pytest.raises(TypeError):
        lint_image_streams([42])


def test_openshift_library_conventions():
    lint = lint_image_streams([LIBRARY])
    assert lint["file"].nunique() == 165 and len(lint) == 992
    assert lint["category"].value_counts().to_dict() == {
        "revision": 537,
        "base-image": 338,
        "latest": 104,
        "other": 13,
    }
    unique = lint.drop_duplicates(["stream", "tag"])
    assert unique["category"].value_counts().to_dict() == {
        "revision": 223,
        "base-image": 94,
        "latest": 40,
        "other": 5,
    }
    assert lint["semver_level"].value_counts().to_dict() == {
        "minor": 711,
        "major": 123,
        "none": 117,
        "patch": 41,
    }
    assert lint["strategy"].value_counts().to_dict() == {"local": 911, "alias": 76, "scheduled": 5}
    findings = lint["flags"].str.split("; ").explode().value_counts().to_dict()
    stale = "floating name imported once: goes stale, schedule it or re-import"
    assert findings == {
        "floating": 938,
        stale: 865,
        "hidden: deprecated": 484,
        "specific": 41,
        "unconventional": 13,
    }
    # no dated, architecture or stable tags: arches live in separate files, not tags
    assert not lint["category"].isin(["dated", "architecture", "stable"]).any()
    assert int(lint["hidden"].sum()) == 484
    # most latest tags alias a versioned tag; the rest import an upstream :latest once
    latest = lint[lint["tag"] == "latest"]
    assert latest["strategy"].value_counts().to_dict() == {"alias": 73, "local": 25}
