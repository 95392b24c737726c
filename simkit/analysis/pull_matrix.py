"""The pull matrix: subjects × image streams, True where the subject may pull."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from simkit.analysis.pull_access import pull_grants, pull_subjects, streams

if TYPE_CHECKING:
    from simkit.simulation import Simulation

__all__ = ["pull_matrix"]


def pull_matrix(sim: Simulation) -> pd.DataFrame:
    """Who may pull which image stream from the integrated registry.

    Each binding's role is checked once (:func:`~simkit.analysis.pull_access.pull_grants`);
    each binding is matched against the subjects its own subjects name (by user name or
    group, through an index), and a row is the OR of its bindings' stream vectors.
    Every cell equals ``sim.can_pull(subject, "ns/stream")``.

    Parameters
    ----------
    sim : Simulation

    Returns
    -------
    pandas.DataFrame
        Booleans.  Index ``subject``: every service account, every user named in a
        binding or group, ``group:NAME`` for a representative member of each group named
        in a binding (plus ``group:system:authenticated``, any authenticated user), and
        ``system:anonymous``.  Columns ``"ns/stream"``, one per image stream.  The
        index's ``kind`` is in ``attrs["kinds"]`` (serviceaccount, user, group,
        anonymous).

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation()
    >>> _ = sim.oc("new-project team-a")
    >>> _ = sim.oc("new-project shared")
    >>> _ = sim.oc("tag --reference quay.io/acme/ruby:3.1 ruby:3.1 -n shared")
    >>> sim.advance("1m")
    >>> _ = sim.oc("policy add-role-to-group system:image-puller "
    ...            "system:serviceaccounts:team-a -n shared")
    >>> matrix = pull_matrix(sim)
    >>> print(matrix.loc[["system:serviceaccount:team-a:default",
    ...                   "system:serviceaccount:default:default",
    ...                   "system:anonymous"]].to_string())
    stream                                 shared/ruby
    subject
    system:serviceaccount:team-a:default          True
    system:serviceaccount:default:default        False
    system:anonymous                             False
    """
    grants = pull_grants(sim)
    targets = streams(sim)
    columns = [f"{ns}/{name}" for ns, name in targets]
    namespaces = np.array([ns for ns, _ in targets], dtype=object)
    names = np.array([name for _, name in targets], dtype=object)
    vectors = np.zeros((len(grants), len(targets)), dtype=bool)
    for i, grant in enumerate(grants):
        in_scope = (
            np.ones(len(targets), dtype=bool)
            if grant.namespaces is None
            else np.isin(namespaces, list(grant.namespaces))
        )
        named = (
            np.ones(len(targets), dtype=bool)
            if grant.names is None
            else np.isin(names, list(grant.names))
        )
        vectors[i] = in_scope & named
    subjects = pull_subjects(sim)
    rows = np.zeros((len(subjects), len(targets)), dtype=bool)
    index = _index(subjects)
    for i, grant in enumerate(grants):
        matched = [r for r in _candidates(grant, index) if grant.applies_to(subjects[r].user)]
        if matched:
            rows[np.asarray(matched)] |= vectors[i]
    labels = pd.Index([s.label for s in subjects], name="subject")
    frame = pd.DataFrame(rows, index=labels, columns=pd.Index(columns, name="stream"))
    frame.attrs["kinds"] = {s.label: s.kind for s in subjects}
    return frame


def _index(subjects: list) -> tuple[dict[str, list[int]], dict[str, list[int]]]:
    """Rows by user name and by group."""
    by_name: dict[str, list[int]] = {}
    by_group: dict[str, list[int]] = {}
    for r, subject in enumerate(subjects):
        by_name.setdefault(subject.user.name, []).append(r)
        for group in subject.user.groups:
            by_group.setdefault(group, []).append(r)
    return by_name, by_group


def _candidates(grant, index) -> set[int]:
    """Rows a binding's subjects may cover: by name (users, service accounts) or group.

    Only a superset: :meth:`PullGrant.applies_to` decides, so the RBAC rule stays the one
    in :func:`simkit.rules.rbac.applies_to`.
    """
    by_name, by_group = index
    rows: set[int] = set()
    for subject in grant.binding.subjects:
        if subject.kind == "Group":
            rows.update(by_group.get(subject.name, ()))
        elif subject.kind == "ServiceAccount":
            namespace = subject.namespace or grant.binding.namespace
            rows.update(by_name.get(f"system:serviceaccount:{namespace}:{subject.name}", ()))
        else:
            rows.update(by_name.get(subject.name, ()))
    return rows
