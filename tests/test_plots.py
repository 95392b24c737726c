"""Every plot renders to PNG for the bundled default scenario, with titles, labels and
legends; the plot modules' examples run as doctests.

Set ``SIMKIT_PLOTS_DIR`` to keep the PNGs (they go to a temporary folder otherwise).
"""

from __future__ import annotations

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from simkit import analysis  # noqa: E402
from simkit import plots as P  # noqa: E402


@pytest.fixture(scope="module")
def sim(default_run):
    return default_run


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = os.environ.get("SIMKIT_PLOTS_DIR")
    if path:
        Path(path).mkdir(parents=True, exist_ok=True)
        return Path(path)
    return tmp_path_factory.mktemp("plots")


def _figures(sim):
    risk = analysis.stale_tag_risk(sim)
    figures = {
        "tag_timeline": P.tag_timeline(analysis.tag_history(sim, "shared-images/ruby:stable")),
        "lag_distribution": P.lag_distribution(
            analysis.stale_episodes(sim),
            marks={"scheduled import interval": f"{sim.config.scheduled_import_interval}s"}),
        "lag_distribution_by_tag": P.lag_distribution(risk),
        "staleness_heatmap": P.staleness_heatmap(analysis.staleness_over_time(sim, "6h")),
        "who_can_pull_graph": P.who_can_pull_graph(analysis.who_can_pull(sim)),
        "pull_matrix_heatmap": P.pull_matrix_heatmap(analysis.pull_matrix(sim)),
        "pull_outcomes_over_time": P.pull_outcomes_over_time(
            analysis.pull_outcomes(sim, "6h")),
        "node_drift": P.node_drift(analysis.drift(sim)),
    }
    before = analysis.who_can_pull(sim)
    sim.oc("policy add-role-to-group system:image-puller system:serviceaccounts:team-b "
           "-n shared-images")
    sim.oc("policy remove-role-from-group system:image-puller system:serviceaccounts:team-a "
           "-n shared-images")
    after = analysis.who_can_pull(sim)
    figures["who_can_pull_graph_diff"] = P.who_can_pull_graph(
        after, diff=analysis.diff(before, after))
    return figures


def test_every_plot_renders_with_title_labels_and_legend(sim, folder):
    figures = _figures(sim)
    for name, ax in figures.items():
        assert isinstance(ax, matplotlib.axes.Axes), name
        assert ax.get_title(), name
        path = folder / f"{name}.png"
        ax.figure.savefig(path, dpi=80)
        assert path.stat().st_size > 10_000, name
        if name not in ("who_can_pull_graph", "who_can_pull_graph_diff"):
            assert ax.get_xlabel() and ax.get_ylabel(), name
        plt.close(ax.figure)
    assert (folder / "who_can_pull_graph_diff.png").exists()


def test_plots_draw_into_a_given_axes():
    import simkit as sk

    sim = sk.Simulation(seed=1)
    quay = sim.registry("quay.io")
    quay.push("acme/ruby", "2.7")
    sim.oc("tag --scheduled quay.io/acme/ruby:2.7 ruby:2.7")
    sim.oc("tag quay.io/acme/ruby:2.7 ruby:once")
    sim.run_pod("default", "quay.io/acme/ruby:2.7")
    sim.advance("1h")
    quay.push("acme/ruby", "2.7")
    sim.advance("2h")
    fig, axs = plt.subplots(2, 2, figsize=(14, 8))
    assert P.tag_timeline(analysis.tag_history(sim, "default/ruby:once"), ax=axs[0, 0]) is axs[
        0, 0]
    assert P.staleness_heatmap(analysis.staleness_over_time(sim), ax=axs[0, 1]) is axs[0, 1]
    assert P.pull_outcomes_over_time(analysis.pull_outcomes(sim), ax=axs[1, 0]) is axs[1, 0]
    assert P.node_drift(analysis.drift(sim), ax=axs[1, 1]) is axs[1, 1]
    legend = axs[0, 0].get_legend()
    assert [t.get_text() for t in legend.get_texts()][-1] == "tag behind its source"
    plt.close(fig)

