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


@pytest.fixture
def sim():
    """A fresh run of the default scenario for each test: ``_figures`` changes its bindings
    (the who-can-pull diff), so the shared read-only ``default_run`` is not for it."""
    from simkit.scenarios import run

    return run("default")


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
            marks={"scheduled import interval": f"{sim.config.scheduled_import_interval}s"},
        ),
        "lag_distribution_by_tag": P.lag_distribution(risk),
        "staleness_heatmap": P.staleness_heatmap(analysis.staleness_over_time(sim, "6h")),
        "who_can_pull_graph": P.who_can_pull_graph(analysis.who_can_pull(sim)),
        "pull_matrix_heatmap": P.pull_matrix_heatmap(analysis.pull_matrix(sim)),
        "pull_outcomes_over_time": P.pull_outcomes_over_time(analysis.pull_outcomes(sim, "6h")),
        "node_drift": P.node_drift(analysis.drift(sim)),
    }
    before = analysis.who_can_pull(sim)
    sim.oc(
        "policy add-role-to-group system:image-puller system:serviceaccounts:team-b "
        "-n shared-images"
    )
    sim.oc(
        "policy remove-role-from-group system:image-puller system:serviceaccounts:team-a "
        "-n shared-images"
    )
    after = analysis.who_can_pull(sim)
    figures["who_can_pull_graph_diff"] = P.who_can_pull_graph(
        after, diff=analysis.diff(before, after)
    )
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
    assert P.tag_timeline(analysis.tag_history(sim, "default/ruby:once"), ax=axs[0, 0]) is axs[0, 0]
    assert P.staleness_heatmap(analysis.staleness_over_time(sim), ax=axs[0, 1]) is axs[0, 1]
    assert P.pull_outcomes_over_time(analysis.pull_outcomes(sim), ax=axs[1, 0]) is axs[1, 0]
    assert P.node_drift(analysis.drift(sim), ax=axs[1, 1]) is axs[1, 1]
    legend = axs[0, 0].get_legend()
    assert [t.get_text() for t in legend.get_texts()][-1] == "tag behind its source"
    plt.close(fig)


def _overflow(figure) -> tuple[float, float, float, float]:
    """How far (inches) the drawn artists reach past the left, bottom, right and top edges
    of ``figure`` (the bounding box layout engines read; 0: inside)."""
    box = figure.get_tightbbox(figure.canvas.get_renderer())
    width, height = figure.get_size_inches()
    return (
        max(0.0, -box.x0),
        max(0.0, -box.y0),
        max(0.0, box.x1 - width),
        max(0.0, box.y1 - height),
    )


def test_offscreen_figures_fit_their_texts_without_a_layout_engine(sim):
    """The report draws plain Agg figures laid out from estimated text sizes
    (:func:`simkit.plots._style.fit`): every tick label, axis label, title, legend and
    colour bar label lands inside the figure, as constrained layout placed them."""
    from simkit.plots._style import fit, offscreen, text_inches

    with offscreen():
        figures = _figures(sim)
    for name, ax in figures.items():
        figure = ax.figure
        assert figure.get_layout_engine() is None, name
        assert figure not in map(plt.figure, plt.get_fignums()), name  # pyplot never saw it
        fit(figure)
        figure.canvas.draw()
        assert max(_overflow(figure)) <= 0.03, (name, _overflow(figure))
    # the width estimate is never short of the drawn width, and not far over it
    with offscreen():
        ax = P.staleness_heatmap(analysis.staleness_over_time(sim, "6h"))
    ax.figure.canvas.draw()
    renderer = ax.figure.canvas.get_renderer()
    for label in ax.get_yticklabels():
        drawn = label.get_window_extent(renderer).width / ax.figure.dpi
        estimate = text_inches(label.get_text(), label.get_fontsize())
        assert drawn <= estimate <= drawn * 1.3 + 0.05, (label.get_text(), drawn, estimate)
