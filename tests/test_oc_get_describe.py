"""``oc get is|istag`` and ``oc describe is`` against oc's real layouts.

The expected texts follow oc ``pkg/helpers/describe`` (``DescribeImageStream``,
``formatImageStreamTags``: tab-padded tabwriter, ``PrioritizeTags`` order) and the
openshift-apiserver table printers (``printImageStream``, ``printTagsUpToWidth``,
``printImageStreamTag``) as kubectl aligns them (3 spaces between columns).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import simkit as sk
from simkit._go.tabwriter import DESCRIBE, align
from simkit.apiserver.imagestreams import create_stream
from simkit.manifests.images import image_stream_from_dict
from simkit.oc.humanize import human_duration
from simkit.rules.tag_order import prioritize_tags

INTERNAL = "image-registry.openshift-image-registry.svc:5000"
LIBRARY = Path(__file__).resolve().parents[1] / "data" / "openshift-library"


@pytest.fixture
def sim(make_sim):
    return make_sim(seed=3, projects=("demo",))


def test_describe_layout_of_an_imported_tag(sim, quay):
    digest = quay.push("ns/app", "1.0")
    sim.oc("tag quay.io/ns/app:1.0 app:1.0")
    sim.advance("1m")
    text = sim.oc("describe is app")
    assert text == (
        "Name:\t\t\tapp\n"
        "Namespace:\t\tdemo\n"
        "Created:\t\tAbout a minute ago\n"
        "Labels:\t\t\t<none>\n"
        "Annotations:\t\topenshift.io/image.dockerRepositoryCheck=2026-01-01T00:00:01Z\n"
        f"Image Repository:\t{INTERNAL}/demo/app\n"
        "Image Lookup:\t\tlocal=false\n"
        "Unique Images:\t\t1\n"
        "Tags:\t\t\t1\n"
        "\n"
        "1.0\n"
        "  tagged from quay.io/ns/app:1.0\n"
        "\n"
        f"  * quay.io/ns/app@{digest}\n"
        "      59 seconds ago\n"
    )


def test_describe_tag_blocks_follow_oc_wording_and_order(sim, quay):
    first = quay.push("ns/app", "latest")
    quay.push("ns/app", "2.0")
    sim.oc("tag --scheduled quay.io/ns/app:latest app:latest --reference-policy=local")
    sim.oc("tag quay.io/ns/missing:1 app:broken")
    sim.oc("tag --reference quay.io/ns/app:2.0 app:ref")
    sim.oc("tag --insecure quay.io/ns/app:2.0 app:2.0")
    sim.advance("1m")
    sim.oc("tag app:latest app:prod --alias")
    second = quay.push("ns/app", "latest")
    sim.advance("30m")  # the scheduled import picks up the rebuild
    lines = sim.oc("describe is app").splitlines()
    body = lines[lines.index("") + 1 :]
    assert lines[7:9] == ["Unique Images:\t\t4", "Tags:\t\t\t5"]  # 3 digests + the reference
    # PrioritizeTags: latest, minor versions newest first, then the others by name; the
    # alias prod is listed with its target instead of on its own
    assert [line for line in body if line and not line.startswith(" ")] == [
        "latest (prod)",
        "2.0",
        "broken",
        "ref",
    ]
    block = body[: body.index("", 4)]
    assert block[:4] == [
        "latest (prod)",
        "  updates automatically from registry quay.io/ns/app:latest",
        "    prefer registry pullthrough when referencing this tag",
        "",
    ]
    assert block[4] == f"  * quay.io/ns/app@{second}"
    assert block[6] == f"    quay.io/ns/app@{first}"
    assert block[7] == "      30 minutes ago"
    assert "  tagged from quay.io/ns/app:2.0" in body
    assert "    will use insecure HTTPS or HTTP connections" in body
    assert "  reference to registry quay.io/ns/app:2.0" in body
    assert "  * quay.io/ns/app:2.0" in body
    failure = body.index("broken") + 3
    assert body[failure] == (
        "  ! error: Import failed (NotFound): dockerimage.image.openshift.io "
        '"quay.io/ns/missing:1" not found'
    )
    assert body[failure + 1] == "      30 minutes ago"


def test_describe_shows_a_pending_import_and_tag_annotations(sim):
    library = json.loads((LIBRARY / "community/ruby/imagestreams/ruby-centos.json").read_text())
    stream = image_stream_from_dict(library, "openshift", sim.now, start=sim.start)
    with sim.transaction() as tx:
        create_stream(tx, stream, sim.now)
    text = sim.oc("describe is ruby -n openshift")  # before the import controller ran
    block = text.split("\n\n3.3-ubi9 (latest)\n")[1].split("\n\n\n")[0]
    assert block.splitlines()[:8] == [
        "  tagged from registry.access.redhat.com/ubi9/ruby-33:latest",
        "    prefer registry pullthrough when referencing this tag",
        "",
        "  Build and run Ruby 3.3 applications on UBI 9. For more information about using "
        "this builder image, including OpenShift considerations, see "
        "https://github.com/sclorg/s2i-ruby-container/blob/master/3.3/README.md.",
        "  Tags: builder, ruby",
        "  Example Repo: https://github.com/sclorg/ruby-ex.git",
        "",
        "  ~ importing latest image ...",
    ]
    assert "Annotations:\t\topenshift.io/display-name=Ruby\n" in text
    assert "Unique Images:\t\t0\nTags:\t\t\t8\n" in text


def test_describe_of_a_stream_without_tags(sim):
    sim.oc("tag quay.io/ns/x:1 empty:1")
    sim.oc("tag -d empty:1")
    assert sim.oc("describe is empty").endswith("Image Lookup:\t\tlocal=false\nTags:\t\t\t<none>\n")


def test_describe_prefix_match_and_not_found(sim, quay):
    quay.push("ns/app", "1.0")
    sim.oc("tag quay.io/ns/app:1.0 app-one:1.0")
    sim.oc("tag quay.io/ns/app:1.0 app-two:1.0")
    text = sim.oc("describe is app")
    assert text.count("Name:\t\t\t") == 2 and text.endswith("\n\n")
    with pytest.raises(sk.OcError) as err:
        sim.oc("describe is nothing")
    assert str(err.value) == (
        'Error from server (NotFound): imagestreams.image.openshift.io "nothing" not found'
    )
    assert sim.oc("describe imagestream app-one").startswith("Name:\t\t\tapp-one\n")
    assert sim.oc("describe is -n default") == "No resources found in default namespace.\n"


def test_get_is_columns_and_alignment(sim, quay):
    quay.push("ns/app", "1.0")
    sim.oc("tag quay.io/ns/app:1.0 app:1.0")
    sim.advance("5m")
    assert sim.oc("get is") == (
        "NAME   IMAGE REPOSITORY                                            TAGS   UPDATED\n"
        f"app    {INTERNAL}/demo/app   1.0    4 minutes ago\n"
    )
    assert sim.oc("get imagestreams app") == sim.oc("get is/app") == sim.oc("get is")


def test_get_is_lists_the_newest_tags_that_fit_40_columns(sim, quay):
    for i in range(12):
        quay.push("ns/app", f"v1.{i}.0-build")
        sim.oc(f"tag quay.io/ns/app:v1.{i}.0-build app:v1.{i}.0-build")
        sim.advance("1m")
    row = sim.oc("get is").splitlines()[1]
    assert "v1.11.0-build,v1.10.0-build,v1.9.0-build + 9 more...   59 seconds ago" in row


def test_get_is_all_namespaces_and_empty_listings(sim, quay):
    quay.push("ns/app", "1.0")
    sim.oc("tag quay.io/ns/app:1.0 app:1.0")
    sim.oc("tag quay.io/ns/app:1.0 tools:1.0 -n default")
    sim.advance("10s")
    lines = sim.oc("get is -A").splitlines()
    assert lines[0].split() == ["NAMESPACE", "NAME", "IMAGE", "REPOSITORY", "TAGS", "UPDATED"]
    assert [line.split()[:2] for line in lines[1:]] == [["default", "tools"], ["demo", "app"]]
    assert lines[0].index("NAME ") == lines[1].index("tools") == 12
    assert sim.oc("get is -n openshift") == "No resources found in openshift namespace.\n"
    assert sim.oc("get is --no-headers").startswith("app ")


def test_get_is_not_found_and_bad_arguments(sim, quay):
    with pytest.raises(sk.OcError) as err:
        sim.oc("get is nope")
    assert str(err.value) == (
        'Error from server (NotFound): imagestreams.image.openshift.io "nope" not found'
    )
    with pytest.raises(sk.OcError, match='the server doesn\'t have a resource type "widgets"'):
        sim.oc("get widgets")
    with pytest.raises(sk.OcError, match="cannot be retrieved by name across all namespaces"):
        sim.oc("get is app -A")
    with pytest.raises(
        sk.OcError, match='unable to match a printer suitable for the output format "xml"'
    ):
        sim.oc("get is -o xml")
    quay.push("ns/app", "1.0")
    sim.oc("tag quay.io/ns/app:1.0 app:1.0")
    with pytest.raises(sk.OcError) as err:  # what exists is printed, then the error
        sim.oc("get is -o name app nope")
    assert str(err.value) == (
        "imagestream.image.openshift.io/app\n"
        'Error from server (NotFound): imagestreams.image.openshift.io "nope" not found'
    )
    assert sim.oc("get is nope --ignore-not-found") == ""


def test_get_istag_applies_reference_policy_and_skips_references(sim, quay):
    digest = quay.push("ns/app", "1.0")
    sim.oc("tag quay.io/ns/app:1.0 app:1.0")
    sim.oc("tag quay.io/ns/app:1.0 app:local --reference-policy=local")
    sim.oc("tag --reference quay.io/ns/app:1.0 app:ref")
    sim.advance("2m")
    assert sim.oc("get istag") == align(
        "NAME\tIMAGE REFERENCE\tUPDATED\n"
        f"app:1.0\tquay.io/ns/app@{digest}\tAbout a minute ago\n"
        f"app:local\t{INTERNAL}/demo/app@{digest}\tAbout a minute ago\n"
    )
    assert sim.oc("get istag app:1.0 -o wide").splitlines()[1].endswith(f"ago   {digest}")
    assert sim.oc("get istag -o name") == (
        "imagestreamtag.image.openshift.io/app:1.0\nimagestreamtag.image.openshift.io/app:local\n"
    )
    with pytest.raises(sk.OcError) as err:
        sim.oc("get istag app:ref")
    assert str(err.value) == (
        'Error from server (NotFound): imagestreamtags.image.openshift.io "app:ref" not found'
    )
    with pytest.raises(sk.OcError) as err:
        sim.oc("get istag app")
    assert str(err.value) == (
        "Error from server (BadRequest): ImageStreamTags must be retrieved with <name>:<tag>"
    )


def test_get_and_describe_change_nothing(sim, quay):
    quay.push("ns/app", "1.0")
    sim.oc("tag quay.io/ns/app:1.0 app:1.0")
    sim.advance("1m")
    before = sim.stream("demo", "app")
    for line in ("get is", "get is app -o yaml", "get istag", "describe is app"):
        sim.oc(line)
    assert sim.stream("demo", "app") is before


def test_human_duration_matches_go_units():
    assert [human_duration(s) for s in (0, 1, 2, 59, 60, 119, 3599, 3600, 5399, 5400)] == [
        "Less than a second",
        "1 second",
        "2 seconds",
        "59 seconds",
        "About a minute",
        "About a minute",
        "59 minutes",
        "About an hour",
        "About an hour",
        "2 hours",
    ]
    assert human_duration(47.4 * 3600) == "47 hours"
    assert human_duration(48 * 3600) == "2 days"
    assert human_duration(13 * 86400) == "13 days"
    assert human_duration(14 * 86400) == "2 weeks"
    assert human_duration(60 * 86400) == "2 months"
    assert human_duration(730 * 86400) == "2 years"


def test_prioritize_tags_matches_library_go():
    # the rules of PrioritizeTags: latest, minor versions, full versions (newest first), rest
    tags = ["other", "latest", "v5.5", "5.2.3", "v5.3.6-bother", "5.3.6-abba", "5.6"]
    assert prioritize_tags(tags) == [
        "latest",
        "5.6",
        "v5.5",
        "v5.3.6-bother",
        "5.3.6-abba",
        "5.2.3",
        "other",
    ]
    assert prioritize_tags(["1.1-beta1", "1.2-rc1", "1.1", "1.1-beta2", "1.2-beta1"]) == [
        "1.2-rc1",
        "1.2-beta1",
        "1.1",
        "1.1-beta2",
        "1.1-beta1",
    ]


def test_describe_tabwriter_pads_with_tabs_to_multiples_of_eight():
    text = "Name:\tx\nImage Repository:\ty\n\tz\nTags:\t1\n\nfree text\n      1 min ago\tsha\n"
    assert align(text, DESCRIBE) == (
        "Name:\t\t\tx\nImage Repository:\ty\n\t\t\tz\nTags:\t\t\t1\n\nfree text\n"
        "      1 min ago\tsha\n"
    )
