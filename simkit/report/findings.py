"""Findings: the ranked risks and facts a report opens with.

Each :class:`Finding` names the objects and the numbers (humanised: ``7m42s``,
``11.3 GiB``, ``82 %``), links the report section that shows the evidence, and says what
would change it.  They are computed from the analysis helpers (:mod:`simkit.analysis`,
through :class:`~simkit.report.analyses.Analyses`) and ranked by severity, then by how
much they touch (pods times time, tags times versions ...):

- image stream tags that never follow their source by themselves (permanent copies,
  tags imported once, pushed tags) and are behind it now: versions and time behind;
- scheduled imports that lag more than twice the import interval (the throttle);
- pods that cannot start now, and why;
- pods running an older digest than their tag resolves to, by workload and pull policy
  (``IfNotPresent`` pods started from a stale cache);
- images run after a fix was published, and for how long;
- registry outages: pulls that failed during them, by pull policy, and pulls served
  from the node cache meanwhile;
- bindings that let broad groups (every authenticated user, every service account, all
  service accounts of another project) pull image streams, and how many subjects;
- private images cached on nodes that a pod without credentials could run (KEP-2535),
  ``none`` said plainly when none;
- nodes that resolve one image name to different digests.

Examples
--------
>>> import simkit as sk
>>> sim = sk.Simulation()
>>> quay = sim.registry("quay.io")
>>> _ = quay.push("acme/ruby", "3.1")
>>> _ = sim.oc("tag quay.io/acme/ruby:3.1 ruby:3.1")
>>> sim.advance("1h")
>>> _ = quay.push("acme/ruby", "3.1")
>>> sim.advance("1d")
>>> print(findings(sim)[0].title)
default/ruby:3.1 (imported once) is 1 version and 1d behind quay.io/acme/ruby:3.1
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol, cast

import pandas as pd

from simkit.events import PULL, REGISTRY_OUTAGE
from simkit.humanize import format_count, format_percent, human_duration
from simkit.report.analyses import Analyses, user_projects

if TYPE_CHECKING:
    from collections.abc import Iterable

    from simkit.simulation import Simulation

__all__ = ["SEVERITIES", "Finding", "findings", "findings_text"]

SEVERITIES = ("high", "medium", "low", "info")
"""Severity levels, most severe first."""

MANUAL_STRATEGIES = {
    "permanent": "a permanent copy",
    "imported-once": "imported once",
    "pushed": "pushed",
}
"""Tag strategies that never follow their source by themselves."""

BROAD_GROUPS = {
    "system:authenticated": "every authenticated user and service account",
    "system:authenticated:oauth": "every user who logged in through OAuth",
    "system:unauthenticated": "anonymous clients",
    "system:serviceaccounts": "every service account of every project",
}
"""Groups that are not one team: a pull grant to one of them is broad."""

_SA_GROUP = "system:serviceaccounts:"
_MOST = 5
"""Findings of one kind listed one by one; beyond, the rest are summed up in one."""


@dataclass(frozen=True)
class Finding:
    """One risk or fact: what, how much, where the evidence is, what would change it."""

    severity: str
    """One of :data:`SEVERITIES`."""
    title: str
    """One line naming the objects and the (humanised) numbers."""
    section: str
    """The id of the report section that shows the evidence (``#stale-tags`` ...)."""
    fix: str = ""
    """What would change it."""
    detail: str = ""
    """More context, one or two sentences."""
    score: float = 0.0
    """How much it touches; ranks findings of equal severity, largest first."""
    numbers: dict[str, object] = field(default_factory=dict)
    """The raw numbers behind the title, for ``summary.json``."""

    def to_dict(self) -> dict[str, object]:
        """JSON-friendly: severity, title, section, fix, detail and the raw numbers."""
        return {
            "severity": self.severity,
            "title": self.title,
            "section": self.section,
            "fix": self.fix,
            "detail": self.detail,
            "numbers": self.numbers,
        }

    def __str__(self) -> str:
        return f"[{self.severity}] {self.title}"


def findings(sim: Simulation, results: Analyses | None = None) -> list[Finding]:
    """The ranked findings of a finished simulation.

    Parameters
    ----------
    sim : Simulation
    results : Analyses, optional
        The analyses already computed for a report (shared with its sections).

    Returns
    -------
    list of Finding
        Most severe first; within a severity, the largest first.  Always at least the
        KEP-2535 finding (``none`` when no cached private image is exposed).
    """
    results = Analyses(sim) if results is None else results
    found: list[Finding] = []
    for collect in (
        _manual_tags,
        _import_lag,
        _failing_pods,
        _stale_pods,
        _exposure,
        _outages,
        _broad_bindings,
        _cached_exposure,
        _drift,
    ):
        found.extend(collect(results))
    rank = {s: i for i, s in enumerate(SEVERITIES)}
    found.sort(key=lambda f: (rank[f.severity], -f.score, f.title))
    return found


def findings_text(source: object, *, width: int = 100, most: int = 10) -> str:
    """Findings as lines to print: ``[high] title`` and an indented ``fix:`` line.

    Parameters
    ----------
    source : list of Finding, Report, or path
        The findings; a :class:`~simkit.report.writer.Report` (its findings); or a
        written report's folder or ``index.html`` (the findings in its
        ``summary.json``), as ``simkit run`` prints them after writing.
    width : int
        Lines longer than this are wrapped.
    most : int
        How many findings to print; a last line counts the others.

    Examples
    --------
    >>> print(findings_text([Finding("high", "2 pods cannot start", "pods",
    ...                              fix="give them a pull secret")]))
    Findings:
      1. [high] 2 pods cannot start
         fix: give them a pull secret
    """
    items = _findings_of(source)
    if not items:
        return "Findings: none."
    lines = ["Findings:"]
    for i, item in enumerate(items[:most], 1):
        head = f"  {i}. "
        lines.append(
            textwrap.fill(
                f"[{item.severity}] {item.title}",
                width,
                initial_indent=head,
                subsequent_indent=" " * len(head),
                break_on_hyphens=False,
            )
        )
        if item.fix:
            lines.append(
                textwrap.fill(
                    f"fix: {item.fix}",
                    width,
                    initial_indent=" " * len(head),
                    subsequent_indent=" " * (len(head) + 5),
                    break_on_hyphens=False,
                )
            )
    if len(items) > most:
        lines.append(f"  ... {len(items) - most} more in the report")
    return "\n".join(lines)


def _findings_of(source: object) -> list[Finding]:
    if isinstance(source, list):
        return source
    if hasattr(source, "findings"):
        return list(source.findings)
    import json
    from pathlib import Path

    path = Path(source)  # type: ignore[arg-type]
    folder = path.parent if path.suffix == ".html" else path
    summary = json.loads((folder / "summary.json").read_text())
    return [
        Finding(
            f["severity"],
            f["title"],
            f["section"],
            fix=f.get("fix", ""),
            detail=f.get("detail", ""),
            numbers=f.get("numbers", {}),
        )
        for f in summary.get("findings", [])
    ]


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{format_count(n)} {one if n == 1 else (many or one + 's')}"


def _seconds(value) -> float:
    return float(pd.Timedelta(value).total_seconds()) if pd.notna(value) else 0.0


def _external(source: str) -> bool:
    first = str(source).split("/", 1)[0]
    return "/" in str(source) and ("." in first or ":" in first or first == "localhost")


# --- image stream tags ----------------------------------------------------------------


class _RiskRow(Protocol):
    """A row of :attr:`Analyses.risk` from ``itertuples``: the columns read here."""

    tag: str
    source: str
    strategy: str
    max_lag: pd.Timedelta
    versions_behind_now: int
    stale_fraction: float


def _manual_tags(results: Analyses) -> list[Finding]:
    risk = results.risk
    if not len(risk):
        return []
    behind = risk[risk["strategy"].isin(list(MANUAL_STRATEGIES)) & risk["stale_now"]]
    if not len(behind):
        return []
    episodes = results.episodes
    ongoing = {}
    if len(episodes) and "ongoing" in episodes:
        now = episodes[episodes["ongoing"]]
        ongoing = dict(zip(now["tag"], now["duration"], strict=True))
    rows = []
    # the stubs type an itertuples row's fields as any scalar; these are the risk columns
    for row in cast("Iterable[_RiskRow]", behind.itertuples(index=False)):
        seconds = _seconds(ongoing.get(row.tag, row.max_lag))
        rows.append((row, seconds, int(row.versions_behind_now)))
    rows.sort(key=lambda r: (-r[2] * max(r[1], 1.0), r[0].tag))
    out = []
    for row, seconds, versions in rows[:_MOST]:
        namespace, _, name = row.tag.partition("/")
        stream_tag = name
        if _external(row.source):
            fix = (
                f"schedule it (oc tag --scheduled {row.source} {stream_tag} -n {namespace})"
                f" or re-import it after each release (oc import-image {stream_tag} -n "
                f"{namespace})"
            )
        else:
            fix = (
                f"make it an alias that follows its source (oc tag --alias {row.source} "
                f"{stream_tag} -n {namespace}), or re-tag it on each release"
            )
        severity = "high" if seconds >= 86400 or versions >= 3 else "medium"
        out.append(
            Finding(
                severity,
                f"{row.tag} ({MANUAL_STRATEGIES[row.strategy]}) is "
                f"{_plural(versions, 'version')} and {human_duration(seconds)} behind {row.source}",
                "stale-tags",
                fix=fix,
                score=versions * max(seconds, 1.0),
                detail=f"Behind {format_percent(row.stale_fraction)} of the time since it was "
                f"created; it never follows its source by itself.",
                numbers={
                    "tag": row.tag,
                    "strategy": row.strategy,
                    "source": row.source,
                    "versions_behind": versions,
                    "behind_s": seconds,
                },
            )
        )
    if len(rows) > _MOST:
        rest = rows[_MOST:]
        out.append(
            Finding(
                "medium",
                f"{_plural(len(rest), 'more tag')} that never follow their source by "
                f"themselves are behind it now "
                f"(up to {_plural(max(r[2] for r in rest), 'version')})",
                "stale-tags",
                fix="schedule them, or make them aliases",
                score=sum(r[2] for r in rest),
                numbers={"tags": len(rest)},
            )
        )
    return out


def _import_lag(results: Analyses) -> list[Finding]:
    lag = results.import_lag
    if not len(lag) or "scheduled" not in lag:
        return []
    done = lag[lag["imported"].notna() & lag["scheduled"].astype(bool)]
    if not len(done):
        return []
    interval = float(results.sim.config.scheduled_import_interval)
    seconds = done["lag"].dt.total_seconds()
    late = seconds > 2 * interval
    median, worst = float(seconds.median()), float(seconds.max())
    streams = done.drop_duplicates(["namespace", "stream"])
    numbers: dict[str, object] = {
        "changes": int(len(done)),
        "late": int(late.sum()),
        "median_s": median,
        "max_s": worst,
        "interval_s": interval,
        "scheduled_streams": len(streams),
    }
    limit = results.sim.config.max_scheduled_imports_per_minute
    if late.any():
        share = float(late.mean())
        return [
            Finding(
                "high" if share >= 0.25 else "medium",
                f"Scheduled imports fall behind: {format_percent(share)} of "
                f"{_plural(len(done), 'upstream change')} took over twice the "
                f"{human_duration(interval)} interval to reach their tags (median "
                f"{human_duration(median)}, worst {human_duration(worst)}; "
                f"{_plural(len(streams), 'scheduled stream')})",
                "imports",
                score=share * len(done),
                numbers=numbers,
                fix=f"raise max_scheduled_imports_per_minute (now {limit}) or the interval, or "
                "schedule fewer tags (the cluster-wide limit visits at most "
                f"{format_count(limit * interval / 60)} streams per interval)",
            )
        ]
    return [
        Finding(
            "info",
            f"Scheduled imports keep up: {_plural(len(done), 'upstream change')} reached their "
            f"tags in {human_duration(median)} (median), {human_duration(worst)} at worst, "
            f"against a {human_duration(interval)} interval",
            "imports",
            numbers=numbers,
            fix="a shorter scheduled_import_interval, or importing on push instead of polling",
        )
    ]


# --- pods ----------------------------------------------------------------------------


def _failing_pods(results: Analyses) -> list[Finding]:
    failing = [p for p in results.pods if p.status in ("ErrImagePull", "ImagePullBackOff")]
    if not failing:
        return []
    by_image: dict[tuple[str, str], list] = {}
    for pod in failing:
        by_image.setdefault((pod.image, pod.pull_policy), []).append(pod)
    out = []
    for (image, policy), pods in sorted(by_image.items(), key=lambda kv: -len(kv[1])):
        names = ", ".join(f"{p.namespace}/{p.name}" for p in pods[:3])
        names += f" and {len(pods) - 3} more" if len(pods) > 3 else ""
        out.append(
            Finding(
                "high",
                f"{_plural(len(pods), 'pod')} cannot start: {image} ({policy}) is in "
                f"{pods[0].status} ({names})",
                "pods",
                score=len(pods),
                fix="check the registry is up and the pods' service account has a pull secret "
                "for it (oc secrets link SA SECRET --for=pull)",
                numbers={"image": image, "policy": policy, "pods": len(pods)},
            )
        )
    return out


def _stale_pods(results: Analyses) -> list[Finding]:
    frame = results.workloads
    if not len(frame):
        return []
    stale = frame[frame["stale"].astype(bool)]
    if not len(stale):
        return []
    out = []
    groups = stale.groupby(["namespace", "owner", "policy"], dropna=False, sort=False)
    ranked = []
    for (namespace, owner, policy), part in groups:
        total = int(((frame["namespace"] == namespace) & (frame["owner"] == owner)).sum())
        seconds = float(part["stale_for"].dt.total_seconds().max())
        versions = int(part["versions_behind"].max())
        ranked.append(
            (
                len(part) * max(seconds, 1.0),
                namespace,
                owner,
                policy,
                part,
                total,
                seconds,
                versions,
            )
        )
    ranked.sort(key=lambda r: (-r[0], str(r[2])))
    for score, namespace, owner, policy, part, total, seconds, versions in ranked[:_MOST]:
        started_stale = int(part["stale_at_start"].astype(bool).sum())
        workload = str(owner).split("#", 1)[0] if isinstance(owner, str) else "(no owner)"
        reference = part["reference"].iloc[0]
        title = (
            f"{namespace}/{workload}: {format_count(len(part))} of "
            f"{_plural(total, 'pod')} ({policy}) run a digest "
            f"{_plural(versions, 'version')} behind {reference}, for up to "
            f"{human_duration(seconds)}"
        )
        if policy == "IfNotPresent" and started_stale:
            severity = "high" if seconds >= 86400 else "medium"
            detail = (
                f"{format_count(started_stale)} started from an older image cached on "
                "the node: IfNotPresent does not look for a newer one."
            )
            fix = (
                "pullPolicy Always, or deploy from the image stream with a trigger, or "
                "pin the digest and roll it on release"
            )
        else:
            severity = "medium" if seconds >= 86400 else "low"
            detail = "They pulled the newest image when they started; it moved since."
            fix = "an image change trigger (oc set triggers) or a rollout on each release"
        out.append(
            Finding(
                severity,
                title,
                "workloads",
                fix=fix,
                detail=detail,
                score=score,
                numbers={
                    "namespace": namespace,
                    "workload": workload,
                    "policy": policy,
                    "stale_pods": int(len(part)),
                    "pods": total,
                    "started_stale": started_stale,
                    "versions_behind": versions,
                    "stale_for_s": seconds,
                },
            )
        )
    if len(ranked) > _MOST:
        rest = ranked[_MOST:]
        out.append(
            Finding(
                "low",
                f"{_plural(sum(len(r[4]) for r in rest), 'more stale pod')} in "
                f"{_plural(len(rest), 'more workload')}",
                "workloads",
                score=sum(r[0] for r in rest),
                numbers={"workloads": len(rest)},
            )
        )
    return out


def _exposure(results: Analyses) -> list[Finding]:
    frame = results.exposure_windows
    if not len(frame) or "fix" not in frame:
        return []
    out = []
    for repository, part in frame.groupby("repository", sort=False):
        seconds = float(part["exposure"].dt.total_seconds().max())
        total = float(part["exposure"].dt.total_seconds().sum())
        pods = part.drop_duplicates(["namespace", "pod"])
        fixes = list(dict.fromkeys(part.sort_values("exposure", ascending=False)["fix"]))
        named = ", ".join(fixes[:3]) + (f" and {len(fixes) - 3} more" if len(fixes) > 3 else "")
        policies = ", ".join(
            f"{format_count(n)} {p}" for p, n in pods["policy"].value_counts().items()
        )
        severity = "high" if seconds >= 86400 else "medium" if seconds >= 3600 else "low"
        out.append(
            Finding(
                severity,
                f"{repository}: {_plural(len(pods), 'pod')} ({policies}) kept running images "
                f"after {_plural(len(fixes), 'fix', 'fixes')} ({named}) were published, for up "
                f"to {human_duration(seconds)}; {human_duration(total)} of pod time in all",
                "workloads",
                score=total,
                fix="an image change trigger or a rollout on each release; pullPolicy Always "
                "picks the fix up on the next restart",
                numbers={
                    "repository": repository,
                    "fixes": fixes,
                    "pods": int(len(pods)),
                    "max_exposure_s": seconds,
                    "pod_seconds": total,
                },
            )
        )
    out.sort(key=lambda f: -f.score)
    return out[:_MOST]


# --- pulls ---------------------------------------------------------------------------


def _registry_of(image: str) -> str:
    from simkit.refs import InvalidReference, parse_image

    try:
        return parse_image(image).domain
    except InvalidReference:
        return ""


class _OutageRow(Protocol):
    """A ``registry_outage`` row of :attr:`Analyses.events` from ``itertuples``."""

    seconds: float
    time: pd.Timestamp
    registry: str


def _outages(results: Analyses) -> list[Finding]:
    sim = results.sim
    # only the outages' records, and the pulls' only if there was one (not sim.events:
    # every kind in one frame is most of a long run's memory)
    outages = sim.events_of(REGISTRY_OUTAGE)
    if not len(outages):
        return []
    pulls = sim.events_of(PULL, columns=["image", "decision", "policy", "namespace", "pod"])
    registries = {image: _registry_of(image) for image in pulls["image"].dropna().unique()}
    out = []
    # the stubs type an itertuples row's fields as any scalar; these are the event columns
    for outage in cast("Iterable[_OutageRow]", outages.itertuples(index=False)):
        start = float(outage.seconds)
        length = float(getattr(outage, "duration", 0) or 0)
        window = pulls[
            (pulls["seconds"] >= start)
            & (pulls["seconds"] < start + length)
            & (pulls["image"].map(registries) == outage.registry)
        ]
        failed = window[window["decision"] == "failed"]
        waited = window[window["decision"] == "backoff"]
        cached = window[window["decision"] == "cached"]
        when = pd.Timestamp(outage.time).strftime("%Y-%m-%d %H:%M")
        by_policy = failed["policy"].value_counts()
        policies = ", ".join(f"{format_count(n)} {p}" for p, n in by_policy.items())
        pods = failed.drop_duplicates(["namespace", "pod"]) if len(failed) else failed
        title = (
            f"{outage.registry} was down {human_duration(length)} from {when} UTC: "
            f"{_plural(len(failed), 'pull')} failed"
            + (f" ({policies}; {_plural(len(pods), 'pod')})" if len(failed) else "")
            + f" and {format_count(len(waited))} waited in back-off; "
            f"{_plural(len(cached), 'start')} served from the node cache"
        )
        cached_policies = sorted(set(cached["policy"].dropna()))
        detail = (
            "Pods with pullPolicy Always must reach the registry on every start; "
            f"the cache served {', '.join(cached_policies) or 'no'} pods."
        )
        out.append(
            Finding(
                "high" if len(failed) else "info",
                title,
                "pulls",
                score=float(len(failed)),
                fix="IfNotPresent (or a digest) for pods that must restart during an outage, "
                "or a mirror (ImageContentSourcePolicy / pull-through image stream)",
                detail=detail,
                numbers={
                    "registry": outage.registry,
                    "start_s": start,
                    "duration_s": length,
                    "failed": int(len(failed)),
                    "backoff": int(len(waited)),
                    "cached": int(len(cached)),
                    "failed_by_policy": {str(k): int(v) for k, v in by_policy.items()},
                },
            )
        )
    return out


def _drift(results: Analyses) -> list[Finding]:
    frame = results.drift
    if not len(frame) or "drifted" not in frame:
        return []
    drifted = frame[frame["drifted"].astype(bool)]
    if not len(drifted):
        return []
    per = drifted.groupby("image")["digest"].nunique().sort_values(ascending=False)
    nodes = drifted.groupby("image")["node"].nunique()
    worst = per.index[0]
    verb = "resolves" if len(per) == 1 else "resolve"
    title = (
        f"{_plural(len(per), 'image name')} {verb} to different digests on different "
        f"nodes; worst {worst}: {per.iloc[0]} digests on "
        f"{_plural(int(nodes[worst]), 'node')}"
    )
    return [
        Finding(
            "low",
            title,
            "pulls",
            score=float(per.sum()),
            fix="pull by digest, or pullPolicy Always so every node resolves the tag on each start",
            numbers={"images": int(len(per)), "worst": worst, "worst_digests": int(per.iloc[0])},
        )
    ]


# --- access --------------------------------------------------------------------------


def _broad_bindings(results: Analyses) -> list[Finding]:
    from simkit.analysis.pull_access import streams

    grants = results.grants
    targets = streams(results.sim)
    people = [s for s in results.subjects if s.kind in ("serviceaccount", "user")]
    out = []
    for grant in grants:
        binding = grant.binding
        namespace = binding.namespace or ""
        for subject in binding.subjects:
            if subject.kind != "Group":
                continue
            group = subject.name
            if group in BROAD_GROUPS:
                whom, severity = f"{group} ({BROAD_GROUPS[group]})", "high"
            elif group.startswith(_SA_GROUP) and group[len(_SA_GROUP) :] != namespace:
                whom = f"{group} (all service accounts of project {group[len(_SA_GROUP) :]})"
                severity = "low"
            else:
                continue
            reach = [f"{ns}/{name}" for ns, name in targets if grant.allows(ns, name)]
            if not reach:
                continue
            covered = sum(1 for s in people if group in s.user.groups)
            kind = "RoleBinding" if namespace else "ClusterRoleBinding"
            where = f"project {namespace}" if namespace else "every project"
            if severity == "high" and namespace and namespace in ("openshift",):
                severity = "info"  # the bootstrap policy shares the openshift project
            label = f"{namespace}/{binding.name}" if namespace else binding.name
            shown = ", ".join(reach[:3]) + (f" and {len(reach) - 3} more" if len(reach) > 3 else "")
            remove = (
                f"oc policy remove-role-from-group {grant.role.name} {group} -n {namespace}"
                if namespace
                else f"oc adm policy remove-cluster-role-from-group {grant.role.name} {group}"
            )
            out.append(
                Finding(
                    severity,
                    f"{kind} {label} ({grant.role.name}) lets {whom} pull "
                    f"{_plural(len(reach), 'image stream')} in {where} ({shown}): "
                    f"{_plural(covered, 'subject')} here",
                    "access",
                    score=float(covered * len(reach)),
                    fix=f"bind the role to the service accounts that need it instead ({remove})",
                    numbers={
                        "binding": label,
                        "kind": kind,
                        "role": grant.role.name,
                        "group": group,
                        "streams": len(reach),
                        "subjects": covered,
                    },
                )
            )
    return out


def _cached_exposure(results: Analyses) -> list[Finding]:
    frame = results.cached
    total = len(frame)
    private = frame[frame["private"].astype(bool)] if total else frame
    exposed = private[private["exposed"].astype(bool)] if len(private) else private
    numbers: dict[str, object] = {
        "cached": total,
        "private": int(len(private)),
        "exposed": int(len(exposed)),
    }
    if not len(exposed):
        why = ""
        if len(private):
            reasons = private["reason"].value_counts()
            why = "; " + ", ".join(f"{format_count(n)}: {r}" for r, n in reasons.items())
        return [
            Finding(
                "info",
                f"Cached private images a pod without credentials could run (KEP-2535): none "
                f"(of {_plural(total, 'cached image')}, {format_count(len(private))} private"
                f"{why})",
                "cached-exposure",
                numbers=numbers,
                fix="it would change with KubeletEnsureSecretPulledImages off or the "
                "NeverVerify policy, or a private image pulled with node credentials",
            )
        ]
    images = exposed.drop_duplicates("digest")
    names = ", ".join(str(n).split(",")[0] for n in images["names"][:3])
    nodes = exposed["node"].nunique()
    return [
        Finding(
            "high",
            f"{_plural(len(images), 'private image')} cached on {_plural(nodes, 'node')} could "
            f"be run by a pod without credentials (KEP-2535): {names}"
            + (f" and {len(images) - 3} more" if len(images) > 3 else ""),
            "cached-exposure",
            score=float(len(exposed)),
            numbers=numbers,
            fix="turn on KubeletEnsureSecretPulledImages with a verifying policy, or pullPolicy "
            "Always for pods of other projects",
        )
    ]


def project_counts(results: Analyses) -> tuple[list[str], list[str]]:
    """The user's projects and the platform's, by name.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation()
    >>> _ = sim.oc("new-project team-a")
    >>> project_counts(Analyses(sim))
    (['team-a'], ['default', 'openshift', 'openshift-config'])
    """
    mine = user_projects(results.projects)
    return mine, [p for p in results.projects if p not in mine]
