"""The pull matrix by project pair: how much of each project's streams each project's
subjects can pull.

A pull matrix (:func:`simkit.analysis.pull_matrix`) has one row per subject and one
column per image stream: thousands of each in a large cluster.  Grouping the rows by
where the subject lives (a service account's project; users, groups and anonymous
apart) and the columns by the stream's project gives a table that stays small, and
whose cells say what a reviewer asks first: can team-a's service accounts pull
project-b's images, all of them or some.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["pull_matrix_by_project", "subject_project"]

_SA = "system:serviceaccount:"


def subject_project(subject: str) -> str:
    """The row group of a pull-matrix subject: a service account's project, else
    ``(users)``, ``(groups)`` or ``(anonymous)``.

    Examples
    --------
    >>> subject_project("system:serviceaccount:team-a:default")
    'team-a'
    >>> subject_project("alice"), subject_project("group:system:authenticated")
    ('(users)', '(groups)')
    >>> subject_project("system:anonymous")
    '(anonymous)'
    """
    if subject.startswith(_SA):
        return subject[len(_SA) :].split(":", 1)[0]
    if subject.startswith("group:"):
        return "(groups)"
    if subject == "system:anonymous":
        return "(anonymous)"
    return "(users)"


def pull_matrix_by_project(matrix: pd.DataFrame) -> pd.DataFrame:
    """Subjects' projects × streams' projects: pairs allowed, pairs in all, and the share.

    Parameters
    ----------
    matrix : pandas.DataFrame
        :func:`simkit.analysis.pull_matrix` (subjects × ``ns/stream``, booleans).

    Returns
    -------
    pandas.DataFrame
        One row per subject group and stream project that has any stream:
        ``subjects`` (the group, see :func:`subject_project`), ``members``,
        ``project`` (the streams' project), ``streams``, ``allowed`` (subject/stream
        pairs that may pull), ``pairs`` (members × streams) and ``share``
        (``allowed / pairs``).  Sorted by subject group and project.

    Examples
    --------
    >>> import simkit as sk
    >>> from simkit.analysis import pull_matrix
    >>> sim = sk.Simulation()
    >>> _ = sim.oc("new-project team-a")
    >>> _ = sim.oc("new-project shared")
    >>> _ = sim.oc("tag --reference quay.io/acme/ruby:3.1 ruby:3.1 -n shared")
    >>> sim.advance("1m")
    >>> _ = sim.oc("policy add-role-to-group system:image-puller "
    ...            "system:serviceaccounts:team-a -n shared")
    >>> pairs = pull_matrix_by_project(pull_matrix(sim)).set_index(["subjects", "project"])
    >>> row = pairs.loc[("team-a", "shared")]
    >>> int(row["members"]), int(row["allowed"]), float(row["share"])
    (3, 3, 1.0)
    >>> float(pairs.loc[("default", "shared"), "share"])
    0.0
    """
    columns = ["subjects", "members", "project", "streams", "allowed", "pairs", "share"]
    if matrix.empty:
        return pd.DataFrame(columns=columns)
    rows = pd.Index([subject_project(s) for s in matrix.index], name="subjects")
    projects = pd.Index([c.split("/", 1)[0] for c in matrix.columns], name="project")
    values = matrix.to_numpy(dtype=bool).astype("int64")
    by_row = pd.DataFrame(values, index=rows).groupby(level=0, sort=True).sum()
    allowed = by_row.T.groupby(projects.to_numpy(), sort=True).sum().T
    members = rows.value_counts()
    streams = projects.value_counts()
    stacked = allowed.stack()
    assert isinstance(stacked, pd.Series)  # one column level stacks to a Series
    long = stacked.rename("allowed").reset_index()
    long.columns = ["subjects", "project", "allowed"]
    long["members"] = long["subjects"].map(members).astype("int64")
    long["streams"] = long["project"].map(streams).astype("int64")
    long["pairs"] = long["members"] * long["streams"]
    long["share"] = long["allowed"] / long["pairs"]
    return long[columns].sort_values(["subjects", "project"], ignore_index=True)
