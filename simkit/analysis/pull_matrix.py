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

    Each binding's role is checked once (:func:`~simkit.analysis.pull_access.pull_grants`)
    and each subject's bindings once; a row is the OR of its bindings' stream vectors.
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
    >>> matrix.loc[["system:serviceaccount:team-a:default",
    ...             "system:serviceaccount:default:default", "system:anonymous"]]
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
        in_scope = (np.ones(len(targets), dtype=bool) if grant.namespaces is None
                    else np.isin(namespaces, list(grant.namespaces)))
        named = (np.ones(len(targets), dtype=bool) if grant.names is None
                 else np.isin(names, list(grant.names)))
        vectors[i] = in_scope & named
    subjects = pull_subjects(sim)
    cache: dict[tuple, np.ndarray] = {}
    rows = np.zeros((len(subjects), len(targets)), dtype=bool)
    for r, subject in enumerate(subjects):
        applies = tuple(g.applies_to(subject.user) for g in grants)
        row = cache.get(applies)
        if row is None:
            mask = np.array(applies, dtype=bool)
            row = vectors[mask].any(axis=0) if mask.any() else np.zeros(len(targets), bool)
            cache[applies] = row
        rows[r] = row
    index = pd.Index([s.label for s in subjects], name="subject")
    frame = pd.DataFrame(rows, index=index, columns=pd.Index(columns, name="stream"))
    frame.attrs["kinds"] = {s.label: s.kind for s in subjects}
    return frame
