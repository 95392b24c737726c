"""What moved down a layer still behaves as before, from its new home (issue 17 item 1).

- ``bucket_count`` (now :mod:`simkit.rules.import_buckets`) restates openshift-controller-manager
  ``pkg/image/controller/factory.go`` ``ScheduledImageStreamControllerOptions.Buckets``:
  ``Resync > time.Hour`` doubles ``DefaultBucketSize``, ``Resync < 10*time.Minute`` halves
  it (Go integer division), anything else keeps it.
- Service-account annotation constants live in :mod:`simkit.state.accounts`; the
  controllers import the same objects from there.
- Node image stores are cluster state (``Node`` objects); analysis reads them there.
- ``Simulation.manifest_summary`` is declared (None unless made by ``load_manifests``).
- An ImageStream renders plain HTML itself; the ``oc describe is`` view is registered
  with IPython's formatter by :func:`simkit.display.register_html_formatters`.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import simkit as sk
from simkit.analysis import drift
from simkit.rules.import_buckets import bucket_count
from simkit.state.images import DOCKER_IMAGE, ImageStream, ObjectReference, TagReference
from simkit.state.nodes import Node

HOUR, MINUTE = 3600.0, 60.0


@pytest.mark.parametrize(
    ("interval", "default", "buckets"),
    [
        (15 * MINUTE, 4, 4),  # the default resync: DefaultBucketSize
        (HOUR, 4, 4),  # not more than an hour: kept
        (HOUR + 1, 4, 8),  # more than an hour: doubled
        (10 * MINUTE, 4, 4),  # not under ten minutes: kept
        (10 * MINUTE - 1, 4, 2),  # under ten minutes: halved
        (5 * MINUTE, 5, 2),  # buckets / 2 is Go's integer division
        (2 * HOUR, 1, 2),
    ],
)
def test_bucket_count_is_upstreams_buckets(interval, default, buckets):
    assert bucket_count(interval, default) == buckets


@given(st.floats(1, 30 * 86400), st.floats(1, 30 * 86400), st.integers(1, 64))
def test_bucket_count_never_falls_as_the_interval_grows(a, b, default):
    low, high = sorted((a, b))
    assert bucket_count(low, default) <= bucket_count(high, default)
    assert bucket_count(a, default) in (default // 2, default, default * 2)


def test_moved_names_are_the_same_objects_from_their_old_homes():
    from simkit.analysis import throttle
    from simkit.controllers import image_pruner, scheduled_imports, service_accounts
    from simkit.rules import cron
    from simkit.state import accounts

    assert scheduled_imports.bucket_count is bucket_count is throttle.bucket_count
    assert image_pruner.daily_offset is cron.daily_offset and image_pruner.DAY == cron.DAY
    for name in ("PROJECT_SERVICE_ACCOUNTS", "PULL_SECRET_REF_ANNOTATION", "TOKEN_SA_ANNOTATION"):
        assert getattr(service_accounts, name) is getattr(accounts, name)
    assert accounts.PULL_SECRET_REF_ANNOTATION == "openshift.io/internal-registry-pull-secret-ref"


def _pulled(nodes: int = 2) -> sk.Simulation:
    sim = sk.Simulation(seed=4, nodes=nodes)
    sim.registry("quay.io").push("acme/ruby", "3.1")
    for node in sim.node_names:
        sim.run_pod("default", "quay.io/acme/ruby:3.1", node=node)
    sim.advance("5m")
    return sim


def test_node_image_stores_are_cluster_state_written_by_the_kubelet():
    sim = _pulled()
    pod = sim.pods()[0]
    node = sim.cluster.get("Node", ("", pod.node))
    assert isinstance(node, Node) and node is sim.kubelet.node(pod.node)
    assert node.lookup("quay.io/acme/ruby:3.1").digest == pod.image_digest
    fresh = sim.kubelet.replace_node(pod.node)
    assert sim.cluster.get("Node", ("", pod.node)) is fresh and not fresh.images


def test_analysis_reads_node_stores_from_the_cluster_not_the_kubelet():
    sim = _pulled()
    assert set(drift(sim)["node"]) == {"worker-0", "worker-1"}
    with sim.transaction() as tx:  # the cluster's worker-1 holds nothing; the kubelet's does
        tx.put("Node", ("", "worker-1"), Node("worker-1"))
    assert sim.kubelet.node("worker-1").images
    assert set(drift(sim)["node"]) == {"worker-0"}


def test_manifest_summary_is_declared():
    sim = sk.Simulation()
    assert "manifest_summary" in vars(sim) and sim.manifest_summary is None


def test_an_image_stream_renders_itself_escaped_without_the_oc_layer():
    stream = ImageStream("demo", "<ruby>")
    stream.spec_tags["3.1"] = TagReference("3.1", ObjectReference(DOCKER_IMAGE, "q.io/a&b:3.1"))
    html = stream._repr_html_()
    assert "ImageStream demo/&lt;ruby&gt;" in html and "DockerImage q.io/a&amp;b:3.1" in html
    assert "<ruby>" not in html


def test_notebooks_show_a_stream_as_oc_describe_does():
    formatters = pytest.importorskip("IPython.core.formatters")
    from simkit.display import image_stream_html, register_html_formatters

    sim = _pulled(1)
    sim.oc("tag quay.io/acme/ruby:3.1 ruby:3.1")
    sim.advance("1m")
    stream = sim.stream("default", "ruby")
    formatter = formatters.HTMLFormatter()
    assert formatter(stream) == stream._repr_html_()  # nothing registered: the plain table
    assert register_html_formatters(formatter)
    assert formatter(stream) == image_stream_html(stream)
    assert register_html_formatters() is False  # not inside IPython: nothing to do
