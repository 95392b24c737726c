"""The sections of a report, each adding the tables and figures of one analysis.

Every section opens with one to three sentences saying what it shows and how to read
it; its tables list their key columns first (the whole table goes to CSV, the first
rows, worst first, inline); its figures switch to an aggregated form past a threshold
(:mod:`simkit.plots.aggregate`), so that they stay readable, small (at most 2400 px a
side) and quick to draw at thousands of streams or subjects.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
from matplotlib.figure import Figure

from simkit import analysis
from simkit import plots as P
from simkit.humanize import format_count, human_duration
from simkit.plots.access import default_subjects

if TYPE_CHECKING:
    from matplotlib.axes import Axes

    from simkit.report.analyses import Analyses
    from simkit.report.writer import Report

__all__ = ["SECTIONS", "MOST_ROWS", "MOST_SUBJECTS", "MOST_COLUMNS", "MOST_IMAGES"]

MOST_ROWS = 40
"""Tags drawn one per row in the staleness heatmap; beyond, the worst and the groups."""
MOST_SUBJECTS = 40
"""Subjects drawn one per node in the who-can-pull graph; beyond, merged by project."""
MOST_COLUMNS = 12
"""Streams drawn one per column in the pull matrix; beyond, the matrix by project pair."""
MOST_IMAGES = 25
"""Image names drawn one per row in the node drift chart; beyond, the summary."""
WORST = 25
"""How many of the worst rows an aggregated chart still shows one by one."""


def _figure(ax: Axes) -> Figure:
    figure = ax.figure
    assert isinstance(figure, Figure)  # the plots draw on a figure of their own (no ax given)
    return figure


def stale_tags(results: Analyses, report: Report) -> None:
    """Stale-tag risk per tag and per strategy, lag distribution, heatmap, one timeline."""
    risk = results.risk
    if not len(risk):
        return
    interval = human_duration(results.sim.config.scheduled_import_interval)
    report.section(
        "stale-tags",
        "Image stream tags behind their source",
        "Each image stream tag against the image its source (a registry tag or another "
        "stream tag) points at. stale_now: behind right now; versions_behind_now: how many "
        "newer source images it has not got; max_lag: its longest time behind. Permanent "
        "copies and tags imported once never catch up by themselves; scheduled tags catch "
        f"up within the {interval} import interval unless the import rate limit holds "
        "them back.",
    )
    shown = risk.sort_values(
        ["stale_now", "versions_behind_now", "max_lag"], ascending=False, kind="stable"
    )
    report.table(
        "stale_tag_risk",
        "Stale-tag risk per image stream tag",
        risk,
        key=(
            "tag",
            "strategy",
            "stale_now",
            "versions_behind_now",
            "max_lag",
            "stale_fraction",
            "source",
        ),
        shown=shown,
    )
    key = (
        "tags",
        "stale_now",
        "max_versions_behind",
        "max_lag",
        "median_max_lag",
        "mean_stale_fraction",
    )
    report.table(
        "stale_risk_by_strategy",
        "By tag strategy",
        analysis.group_risk(risk, by="strategy").reset_index(),
        key=("strategy", *key),
    )
    report.table(
        "stale_risk_by_convention",
        "By tag naming convention",
        analysis.group_risk(risk, by="convention").reset_index(),
        key=("convention", *key),
    )
    episodes = results.episodes
    if len(episodes):
        marks = {"scheduled import interval": f"{results.sim.config.scheduled_import_interval}s"}
        report.figure(
            "lag_distribution",
            "How long tags stayed behind their source",
            _figure(P.lag_distribution(episodes, marks=marks)),
            note="One box per strategy: each stale episode's length, on a log "
            "scale; the dashed line is the scheduled import interval.",
        )
    matrix = results.staleness_over_time
    if len(matrix) <= MOST_ROWS:
        report.figure(
            "staleness_heatmap",
            "Which tags were stale when",
            _figure(P.staleness_heatmap(matrix)),
            note="Red: the share of each bin the tag was behind its source; grey: "
            "the tag did not exist yet.",
        )
    else:
        worst = matrix.fillna(0).sum(axis=1).sort_values(ascending=False, kind="stable")
        top = matrix.loc[worst.index[:WORST]]
        ax = P.staleness_heatmap(top)
        ax.set_title(
            f"The {len(top)} stalest of {format_count(len(matrix))} tags: share of each bin stale"
        )
        report.figure(
            "staleness_heatmap",
            f"The {len(top)} stalest tags, when",
            _figure(ax),
            note=f"{format_count(len(matrix))} tags are too many to draw one per "
            "row: these are the stalest; the next chart averages them all by "
            "strategy.",
        )
        by = "strategy" if risk["strategy"].nunique() > 1 else "namespace"
        groups = risk.drop_duplicates("tag").set_index("tag")[by]
        report.figure(
            "staleness_by_group",
            f"Share of tags stale over time, by {by}",
            _figure(P.staleness_by_group(matrix, groups, by=by)),
        )
    worst_tag = shown.sort_values("max_lag", ascending=False, kind="stable").iloc[0]["tag"]
    report.figure(
        "tag_timeline",
        f"Timeline of {worst_tag} against its source",
        _figure(P.tag_timeline(analysis.tag_history(results.sim, worst_tag))),
        note="The tag with the longest lag: the image version of the tag and of "
        "its source over time; shaded where they differ.",
    )


def imports(results: Analyses, report: Report) -> None:
    """How long upstream pushes took to reach the image stream tags that import them."""
    lag = results.import_lag
    if not len(lag):
        return
    report.section(
        "imports",
        "Import lag",
        "Each change of an upstream tag and when it reached each image stream tag that "
        "imports it (pushed: the registry got the image; imported: the stream tag points at "
        "it). lag is the difference; a change superseded before it was imported never "
        "arrives.",
    )
    frame = lag.copy()
    frame["lag_s"] = frame["lag"].dt.total_seconds()
    shown = lag.sort_values("lag", ascending=False, kind="stable")
    report.table(
        "import_lag",
        "Import lag: upstream push to image stream tag",
        frame.drop(columns=["lag"]),
        key=("namespace", "stream", "tag", "lag", "scheduled", "pushed", "imported", "superseded"),
        shown=shown,
    )


def workloads(results: Analyses, report: Report) -> None:
    """Pods running older digests than their tags, by pull policy."""
    stale = results.workloads
    exposure = results.exposure_windows
    if not len(stale) and not len(exposure):
        return
    report.section(
        "workloads",
        "Running pods behind their tags",
        "Each running pod against what its image reference resolves to now. stale: it runs "
        "an older digest; versions_behind: how many; stale_at_start: it started already "
        "behind (an IfNotPresent pod reusing a node's cache). The last table lists images "
        "run after a fix was published, and for how long.",
    )
    if len(stale):
        shown = stale.sort_values(
            ["stale", "versions_behind", "stale_for"], ascending=False, kind="stable"
        )
        report.table(
            "workload_staleness",
            "Running pods and how stale their images are",
            stale,
            key=(
                "namespace",
                "pod",
                "policy",
                "stale",
                "versions_behind",
                "stale_for",
                "stale_at_start",
                "image",
                "owner",
            ),
            shown=shown,
        )
        report.table(
            "workload_staleness_by_policy",
            "Stale running pods by pull policy",
            analysis.group_risk(stale, by="policy").reset_index(),
            key=(
                "policy",
                "pods",
                "stale",
                "stale_share",
                "stale_at_start",
                "max_stale_for",
                "mean_versions_behind",
            ),
        )
    if len(exposure):
        shown = exposure.sort_values("exposure", ascending=False, kind="stable")
        report.table(
            "exposure_windows",
            "Images run after a fix was published",
            exposure,
            key=("fix", "namespace", "pod", "policy", "exposure", "repository", "published"),
            shown=shown,
        )


def pulls(results: Analyses, report: Report) -> None:
    """Pull outcomes over time by policy, and nodes disagreeing on a tag's digest."""
    outcomes = results.pull_outcomes
    drift = results.drift
    if not len(outcomes) and not len(drift):
        return
    report.section(
        "pulls",
        "Pulls: decisions, failures and drift",
        f"What the kubelet decided for each container start, per {results.freq} and pull "
        "policy: pulled from the registry, served from the node's cache, failed, or waiting "
        "in back-off. Then each image name as each node resolves it: nodes that pulled a "
        "tag at different times may run different digests under one name.",
    )
    if len(outcomes):
        report.table(
            "pull_outcomes",
            "Pull decisions by policy over time",
            outcomes,
            key=("time", "policy", "decision", "pulls", "bytes"),
            shown=outcomes.sort_values("pulls", ascending=False, kind="stable"),
        )
        report.figure(
            "pull_outcomes",
            "Pull decisions over time, by pull policy",
            _figure(P.pull_outcomes_over_time(outcomes)),
        )
    if len(drift):
        shown = drift.sort_values(
            ["drifted", "digests", "image", "node"],
            ascending=[False, False, True, True],
            kind="stable",
        )
        report.table(
            "drift",
            "Image names resolving to different digests across nodes",
            drift,
            key=("image", "drifted", "digests", "node", "version", "digest"),
            shown=shown,
        )
        images = drift["image"].nunique()
        if images <= MOST_IMAGES and drift["node"].nunique() <= 20:
            report.figure(
                "node_drift", "Digests per node for each image name", _figure(P.node_drift(drift))
            )
        else:
            report.figure(
                "node_drift",
                "The image names that drift most",
                _figure(P.node_drift_summary(drift, top=WORST)),
                note=f"{format_count(images)} image names: the {WORST} with the "
                "most digests, and the share of nodes on each.",
            )


def access(results: Analyses, report: Report) -> None:
    """Who can pull what: the graph, the matrix, external registry coverage."""
    report.section(
        "access",
        "Who can pull what",
        "Who may pull each image stream from the integrated registry (RBAC: get "
        "imagestreams/layers), through which group and binding, and which external "
        "registries each service account reaches through its pull secrets. Read the graph "
        "left to right: a path from a subject to a stream means it can pull it.",
    )
    graph = results.graph
    matrix = results.matrix
    pairs = analysis.pull_matrix_by_project(matrix)
    wide = matrix.shape[1] > MOST_COLUMNS
    frame = matrix.reset_index().rename(columns={"index": "subject"})
    report.table(
        "pull_matrix",
        "Who can pull which image stream",
        frame,
        shown=pairs if wide else None,
        key=("subjects", "project", "share", "allowed", "members", "streams")
        if wide
        else ("subject",),
        note=(
            f"{format_count(matrix.shape[0])} subjects × "
            f"{format_count(matrix.shape[1])} streams: shown here by project pair "
            "(pull_matrix_by_project.csv); every cell is in the CSV."
        )
        if wide
        else "",
    )
    if wide:
        report.table(
            "pull_matrix_by_project",
            "Who can pull which project's streams",
            pairs,
            key=("subjects", "project", "share", "allowed", "members", "streams"),
            hidden=True,
        )
    subjects = default_subjects(graph)
    if len(subjects) <= MOST_SUBJECTS and matrix.shape[1] <= 60:
        report.figure(
            "who_can_pull",
            "Who can pull: subjects, groups, bindings, projects, streams",
            _figure(P.who_can_pull_graph(graph)),
        )
    else:
        report.figure(
            "who_can_pull",
            "Who can pull, merged by project",
            _figure(P.who_can_pull_overview(graph)),
            note=f"{format_count(len(subjects))} subjects and "
            f"{format_count(matrix.shape[1])} streams: service accounts, "
            "streams, secrets and bindings are merged per project.",
        )
    if matrix.size:
        if wide or matrix.shape[0] > 80:
            report.figure(
                "pull_matrix",
                "Pull matrix by project pair",
                _figure(P.pull_matrix_by_project_heatmap(pairs)),
            )
        else:
            report.figure(
                "pull_matrix",
                "Pull matrix",
                _figure(P.pull_matrix_heatmap(matrix)),
                note="The platform's own service accounts are left out.",
            )
    coverage = results.coverage
    if len(coverage):
        report.table(
            "registry_coverage",
            "External registries each service account can pull from, and through which secret",
            coverage,
            key=("service_account", "registry", "via", "secret", "auth_covered"),
            shown=coverage.sort_values(["via", "service_account"], kind="stable"),
        )


def cached_exposure(results: Analyses, report: Report) -> None:
    """KEP-2535: private images on nodes that pods without credentials could run."""
    exposure = results.cached
    private = exposure[exposure["private"].astype(bool)] if len(exposure) else exposure
    exposed = int(private["exposed"].astype(bool).sum()) if len(private) else 0
    verdict = f"{format_count(exposed)} exposed" if exposed else "None is exposed"
    report.section(
        "cached-exposure",
        "Cached private images (KEP-2535)",
        "Images on each node's disk that came from a private registry, and whether a pod "
        "with no pull secret could start from them (pullPolicy IfNotPresent or Never). "
        f"{verdict}: of {format_count(len(exposure))} cached images, "
        f"{format_count(len(private))} are private. Public images are left out of this "
        "view; the CSV lists every cached image.",
    )
    if len(exposure):
        shown = private.sort_values(["exposed", "node"], ascending=[False, True], kind="stable")
        report.table(
            "cached_exposure",
            "Private images cached on nodes, and whether a pod without credentials could run them",
            exposure,
            key=("exposed", "reason", "names", "node", "private", "pulled_with"),
            shown=shown,
            note="" if len(private) else "No private image is cached on any node.",
        )


def conventions(results: Analyses, report: Report) -> None:
    """The naming convention of every tag in the cluster's image streams."""
    lint = results.lint
    if not len(lint):
        return
    report.section(
        "conventions",
        "Tag naming conventions",
        "Which row of OpenShift's tag-naming conventions each tag follows (latest, "
        "version levels, architecture, base image, date ...) and flags such as floating "
        "(the tag moves) or hidden; see the findings for tags behind their source.",
    )
    shown = lint.sort_values(
        ["flags", "namespace", "stream", "tag"], ascending=[False, True, True, True], kind="stable"
    )
    report.table(
        "tag_conventions",
        "Tag naming conventions",
        lint,
        key=(
            "namespace",
            "stream",
            "tag",
            "category",
            "flags",
            "strategy",
            "semver_level",
            "source",
        ),
        shown=shown,
    )


def pods(results: Analyses, report: Report) -> None:
    """Every pod now: node, status, image, policy and digest."""
    rows = [
        {
            "namespace": p.namespace,
            "pod": p.name,
            "node": p.node,
            "status": p.status,
            "image": p.image,
            "policy": p.pull_policy,
            "digest": p.image_digest,
            "restarts": p.restarts,
        }
        for p in results.pods
    ]
    if not rows:
        return
    frame = pd.DataFrame(rows)
    report.section(
        "pods",
        "Pods at the end of the run",
        "Every pod as the run left it: where it runs, its status (Running, or why not), "
        "its image, pull policy and the digest it runs.",
    )
    order = {"ErrImagePull": 0, "ImagePullBackOff": 0, "Pending": 1, "Running": 2}
    shown = frame.sort_values("status", key=lambda s: s.map(order).fillna(1), kind="stable")
    report.table(
        "pods",
        "Pods at the end of the run",
        frame,
        key=("namespace", "pod", "status", "policy", "image", "node", "restarts"),
        shown=shown,
    )


def event_counts(results: Analyses, report: Report) -> None:
    """How many events of each kind the run produced."""
    report.section(
        "events",
        "Events by kind",
        "How many events of each kind the simulation recorded: everything the "
        "analyses above are computed from (the full log is sim.events).",
    )
    # counted from the log's layout codes (the whole log as a frame would cost more than
    # the run); the most first, ties in order of first appearance as value_counts has them
    kinds = pd.Series(results.sim.log.kinds(), dtype="int64")
    ranked = kinds.sort_values(ascending=False, kind="stable")
    counts = ranked.rename_axis("kind").reset_index(name="events")
    report.table("event_counts", "Events by kind", counts, key=("kind", "events"))


SECTIONS = [
    stale_tags,
    imports,
    workloads,
    pulls,
    access,
    cached_exposure,
    conventions,
    pods,
    event_counts,
]
