"""Notebook HTML: image streams, simulations and analysis results, escaped, no secrets."""

from __future__ import annotations

import simkit as sk
import simkit.display
from simkit.analysis import explain_pull, registry_coverage, stale_tag_risk, who_can_pull
from simkit.display import image_stream_html, result_html, simulation_html
from simkit.oc.printers import describe_image_stream


def test_stream_html_is_oc_describe_escaped():
    sim = sk.Simulation(seed=1)
    sim.registry("quay.io").push("acme/ruby", "3.1")
    sim.oc("tag --scheduled quay.io/acme/ruby:3.1 ruby:3.1")
    sim.advance("1h")
    stream = sim.stream("default", "ruby")
    html = image_stream_html(stream, sim)
    text = describe_image_stream(stream, sim).expandtabs(8)
    assert text.replace("<", "&lt;").replace(">", "&gt;") in html
    assert "updates automatically from registry quay.io/acme/ruby:3.1" in html
    stream.annotations["description"] = "<script>alert(1)</script>"
    assert "<script>" not in image_stream_html(stream, sim)


def test_simulation_and_results_html_never_show_secrets():
    sim = sk.Simulation(seed=2)
    sim.registry("registry.example.com", users={"bot": "s3cr3t-pw"}).push("fin/pay", "1")
    sim.oc(
        "create secret docker-registry pay --docker-server=registry.example.com "
        "--docker-username=bot --docker-password=s3cr3t-pw --docker-email=b@x"
    )
    sim.oc("secrets link default pay --for=pull")
    sim.run_pod("default", "registry.example.com/fin/pay:1")
    sim.advance("1h")
    pieces = [
        simulation_html(sim),
        result_html(registry_coverage(sim), "coverage"),
        result_html(who_can_pull(sim)),
        result_html(stale_tag_risk(sim)),
        result_html(
            explain_pull(sim, "system:serviceaccount:default:default", "registry.example.com")
        ),
        result_html(sim),
    ]
    for html in pieces:
        assert "s3cr3t-pw" not in html
        assert html.startswith(("<div", "<pre"))
    assert "registry.example.com" in pieces[0] and "private" in pieces[0]
    assert "default/pay" in pieces[1]
