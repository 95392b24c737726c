"""Group summaries of the staleness tables: per strategy, convention, policy or node."""

from __future__ import annotations

import pandas as pd

__all__ = ["group_risk"]


def _tag_summary(groups) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "tags": groups.size(),
            "stale_now": groups["stale_now"].sum().astype(int),
            "mean_stale_fraction": groups["stale_fraction"].mean(),
            "max_stale_fraction": groups["stale_fraction"].max(),
            "median_max_lag": groups["max_lag"].median(),
            "max_lag": groups["max_lag"].max(),
            "mean_lag": groups["mean_lag"].mean(),
            "stale_episodes": groups["stale_episodes"].sum().astype(int),
            "max_versions_behind": groups["versions_behind_now"].max().astype(int),
        }
    )


def _pod_summary(groups) -> pd.DataFrame:
    pods = groups.size()
    stale = groups["stale"].sum().astype(int)
    return pd.DataFrame(
        {
            "pods": pods,
            "stale": stale,
            "stale_share": stale / pods,
            "stale_at_start": groups["stale_at_start"].sum().astype(int),
            "max_stale_for": groups["stale_for"].max(),
            "mean_versions_behind": groups["versions_behind"].mean(),
        }
    )


def _time_summary(groups) -> pd.DataFrame:
    run = groups["run_time"].sum()
    stale = groups["stale_time"].sum()
    return pd.DataFrame(
        {
            "runs": groups.size(),
            "run_time": run,
            "stale_time": stale,
            "stale_share": (stale / run.where(run > pd.Timedelta(0))).astype(float),
        }
    )


def _exposure_summary(groups) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "windows": groups.size(),
            "pods": groups["pod"].nunique(),
            "fixes": groups["fix"].nunique(),
            "exposure": groups["exposure"].sum(),
            "max_exposure": groups["exposure"].max(),
        }
    )


def _episode_summary(groups) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "episodes": groups.size(),
            "tags": groups["tag"].nunique(),
            "total": groups["duration"].sum(),
            "mean": groups["duration"].mean(),
            "max": groups["duration"].max(),
        }
    )


_KINDS = [
    ({"stale_fraction", "max_lag", "stale_now"}, _tag_summary),
    ({"stale", "stale_at_start", "stale_for"}, _pod_summary),
    ({"run_time", "stale_time"}, _time_summary),
    ({"exposure", "fix"}, _exposure_summary),
    ({"duration", "ongoing"}, _episode_summary),
]


def group_risk(frame: pd.DataFrame, by: str | list[str] = "strategy") -> pd.DataFrame:
    """Summarise a staleness table per group.

    Parameters
    ----------
    frame : pandas.DataFrame
        The result of :func:`~simkit.analysis.stale_tag_risk` (per tag),
        :func:`~simkit.analysis.workload_staleness` (per running pod),
        :func:`~simkit.analysis.stale_pod_time` (per pod run),
        :func:`~simkit.analysis.exposure_windows` or
        :func:`~simkit.analysis.stale_episodes`.
    by : str or list of str
        Column(s) to group by: ``"strategy"``, ``"convention"`` (tags), ``"policy"``,
        ``"node"`` (pods) ...

    Returns
    -------
    pandas.DataFrame
        One row per group.  Tags: ``tags``, ``stale_now``, ``mean_stale_fraction``,
        ``max_stale_fraction``, ``median_max_lag``, ``max_lag``, ``mean_lag``,
        ``stale_episodes``, ``max_versions_behind``.  Pods: ``pods``, ``stale``,
        ``stale_share``, ``stale_at_start``, ``max_stale_for``,
        ``mean_versions_behind``.  Pod runs: ``runs``, ``run_time``, ``stale_time``,
        ``stale_share`` (of pod time).  Exposure: ``windows``, ``pods``, ``fixes``,
        ``exposure``, ``max_exposure``.  Episodes: ``episodes``, ``tags``, ``total``,
        ``mean``, ``max``.

    Raises
    ------
    ValueError
        If ``frame`` is none of these tables, or lacks the ``by`` column.

    Examples
    --------
    >>> import simkit as sk
    >>> from simkit.analysis import stale_tag_risk
    >>> sim = sk.Simulation(seed=1)
    >>> quay = sim.registry("quay.io")
    >>> _ = quay.push("acme/ruby", "2.7")
    >>> _ = sim.oc("tag --scheduled quay.io/acme/ruby:2.7 ruby:2.7")
    >>> _ = sim.oc("tag quay.io/acme/ruby:2.7 ruby:once")
    >>> sim.advance("1h")
    >>> _ = quay.push("acme/ruby", "2.7")
    >>> sim.advance("1h")
    >>> summary = group_risk(stale_tag_risk(sim), by="strategy")
    >>> print(summary[["tags", "stale_now", "max_lag"]].to_string())
                   tags  stale_now                max_lag
    strategy
    imported-once     1          1 0 days 01:00:00.000000
    scheduled         1          0 0 days 00:03:45.500000
    """
    columns = set(frame.columns)
    keys = [by] if isinstance(by, str) else list(by)
    missing = [k for k in keys if k not in columns]
    if missing:
        raise ValueError(
            f"group_risk: no column {missing[0]!r} to group by; columns are {sorted(columns)}"
        )
    for needed, summarise in _KINDS:
        if needed <= columns:
            return summarise(frame.groupby(keys if len(keys) > 1 else keys[0], sort=True))
    raise ValueError(
        "group_risk: expected a table from stale_tag_risk, workload_staleness, "
        "stale_pod_time, exposure_windows or stale_episodes"
    )
