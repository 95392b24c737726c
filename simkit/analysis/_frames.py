"""Small helpers shared by the analysis modules: event rows by kind, upstream keys."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

from simkit.refs import InvalidReference, parse_pull_spec
from simkit.state.registries import DOCKER_HUB_ALIASES

if TYPE_CHECKING:
    from simkit.simulation import Simulation


def event_rows(events: pd.DataFrame, kinds: list[str], columns: list[str]) -> pd.DataFrame:
    """The events of ``kinds`` with ``seconds``, ``kind`` and ``columns`` (missing ones as
    None), and the log position as ``row``.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation()
    >>> _ = sim.registry("quay.io").push("a/b", "1")
    >>> event_rows(sim.events, ["registry_push"], ["repository", "nothing"])[
    ...     ["kind", "repository", "nothing"]]
                kind repository nothing
    0  registry_push        a/b    None
    """
    mask = events["kind"].isin(kinds).to_numpy()
    present = [c for c in columns if c in events.columns]
    out = events.loc[mask, ["seconds", "kind", *present]]
    out = out.reset_index(names="row")
    for column in columns:
        if column not in out.columns:
            out[column] = pd.Series([None] * len(out), index=out.index, dtype=object)
    out["kind"] = out["kind"].astype(str)
    return out


def kind_rows(
    sim: Simulation, kinds: list[str], columns: list[str], having: Iterable[str] = ()
) -> pd.DataFrame:
    """:func:`event_rows` of ``sim.events`` for ``kinds`` and ``columns``, read from those
    kinds' records and columns alone (:meth:`Simulation.events_of`), not the whole log;
    with ``having``, only the records that have those fields.

    Examples
    --------
    >>> import simkit as sk
    >>> from simkit.events import REGISTRY_PUSH
    >>> sim = sk.Simulation()
    >>> _ = sim.registry("quay.io").push("a/b", "1")
    >>> kind_rows(sim, [REGISTRY_PUSH], ["repository", "nothing"])[
    ...     ["row", "kind", "repository", "nothing"]]
       row           kind repository nothing
    0   10  registry_push        a/b    None
    """
    return event_rows(sim.events_of(*kinds, columns=columns, having=having), kinds, columns)


def upstream_key(pull_spec: str) -> tuple[str, str, str, str] | None:
    """``(host, repository, tag, digest)`` of a DockerImage pull spec, as the importer
    resolves it (Docker client defaults: ``mysql`` is ``docker.io/library/mysql:latest``).

    None for a spec that does not parse.

    Examples
    --------
    >>> upstream_key("quay.io/acme/ruby:2.7")
    ('quay.io', 'acme/ruby', '2.7', '')
    >>> upstream_key("mysql")
    ('docker.io', 'library/mysql', 'latest', '')
    """
    try:
        ref = parse_pull_spec(pull_spec).docker_client_defaults()
    except InvalidReference:
        return None
    host = DOCKER_HUB_ALIASES.get(ref.registry, ref.registry)
    repository = "/".join(p for p in (ref.namespace, ref.name) if p)
    return host, repository, "" if ref.id else (ref.tag or "latest"), ref.id or ""


def stream_tag_key(namespace: str, stream: str, tag: str) -> str:
    """``"ns/stream:tag"``, the name analysis results use for an image stream tag.

    Examples
    --------
    >>> stream_tag_key("demo", "ruby", "2.7")
    'demo/ruby:2.7'
    """
    return f"{namespace}/{stream}:{tag}"
