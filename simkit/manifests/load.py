"""``load_manifests``: a simulation whose starting cluster is what files describe."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from simkit.manifests.apply import apply_objects
from simkit.manifests.objects import Manifest, manifests_from_documents
from simkit.manifests.reader import MAX_BYTES, MAX_DEPTH, iter_files, read_documents
from simkit.manifests.secret_registries import declare_secret_registries


def read_manifests(
    *paths: str | Path,
    recursive: bool = False,
    max_bytes: int = MAX_BYTES,
    max_depth: int = MAX_DEPTH,
) -> list[Manifest]:
    """Every object in the files at ``paths`` (a directory gives its ``*.yaml``,
    ``*.yml`` and ``*.json`` files, sorted; with ``recursive``, its subdirectories' too).

    Raises
    ------
    ManifestError
        A file is missing, too big, binary, not UTF-8, not valid YAML/JSON, or holds
        something other than objects with ``apiVersion`` and ``kind``.
    """
    manifests: list[Manifest] = []
    for path in paths:
        for file in _files(path, recursive):
            manifests.extend(
                manifests_from_documents(
                    read_documents(file, max_bytes=max_bytes, max_depth=max_depth)
                )
            )
    return manifests


def _files(path: str | Path, recursive: bool) -> Iterable[Path]:
    from simkit.manifests.errors import ManifestError

    try:
        Path(path).stat()
    except FileNotFoundError:
        raise ManifestError("the path does not exist", file=str(path)) from None
    except (OSError, ValueError) as exc:  # a name too long, a symlink loop ...
        why = getattr(exc, "strerror", None) or exc  # ValueError: a NUL in the path
        raise ManifestError(f"cannot read the file: {why}", file=str(path)) from None
    return iter_files(path, recursive)


def load_manifests(
    *paths: str | Path,
    namespace: str = "default",
    seed: int = 0,
    recursive: bool = True,
    max_bytes: int = MAX_BYTES,
    max_depth: int = MAX_DEPTH,
    **sim_kwargs: Any,
):
    """A :class:`~simkit.Simulation` whose starting cluster is what the files describe.

    The files (YAML or JSON; single objects, ``kind: List``, multi-document YAML,
    ``oc get -o yaml`` output) are loaded on top of the defaults, in one transaction:
    ImageStreams with their status history, projects (also those that objects use but
    no file lists) provisioned as ``oc new-project`` would have, with the input's own
    service accounts, secrets and bindings winning over the defaults, RBAC objects,
    groups and users, then Deployments, DeploymentConfigs and pods handed to their
    controllers.  The external registries that the loaded pull secrets name are declared
    as private registries accepting those secrets' users (see
    :mod:`simkit.manifests.secret_registries`).  ``sim.manifest_summary`` tells what was
    loaded and skipped per kind.

    Parameters
    ----------
    *paths : str or Path
        Files or directories (read recursively unless ``recursive=False``).
    namespace : str
        Where objects without a namespace go.
    seed : int
        The simulation's seed.
    max_bytes, max_depth : int
        Limits per file: size, and nesting depth of a document.
    **sim_kwargs
        Passed to :class:`~simkit.Simulation` (``start``, ``nodes``, ``config``).

    Returns
    -------
    Simulation

    Raises
    ------
    ManifestError
        Naming the file, the line where known, the document, the object and the field,
        and what was expected.  Nothing is loaded then.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "team.yaml"
    >>> _ = path.write_text('''
    ... apiVersion: image.openshift.io/v1
    ... kind: ImageStream
    ... metadata: {name: app, namespace: team}
    ... ---
    ... apiVersion: rbac.authorization.k8s.io/v1
    ... kind: RoleBinding
    ... metadata: {name: pullers, namespace: team}
    ... roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole,
    ...           name: "system:image-puller"}
    ... subjects: [{kind: ServiceAccount, name: default, namespace: ci}]
    ... ''')
    >>> sim = load_manifests(path)
    >>> sim.manifest_summary["loaded"]
    {'ImageStream': 1, 'RoleBinding': 1}
    >>> sim.can_pull("system:serviceaccount:ci:default", "team/app")
    True
    >>> _ = path.write_text("kind: ImageStream\\napiVersion: image.openshift.io/v1\\n"
    ...                     "metadata: {name: app}\\nspec:\\n  tags:\\n  - name: 1\\n")
    >>> load_manifests(path)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    simkit.manifests.errors.ManifestError: .../team.yaml:6: document 1: ImageStream "app": \
spec.tags[0].name: expected a string, got number 1
    """
    from simkit.simulation import Simulation

    manifests = read_manifests(
        *paths, recursive=recursive, max_bytes=max_bytes, max_depth=max_depth
    )
    sim = Simulation(seed=seed, **sim_kwargs)
    result = apply_objects(sim, manifests, mode="load", namespace=namespace)
    declare_secret_registries(sim)
    summary = result.summary
    summary["files"] = sorted({m.source for m in manifests})
    sim.record(
        "manifests_loaded",
        files=len(summary["files"]),
        objects=summary["objects"],
        loaded=sum(summary["loaded"].values()),
        skipped=sum(summary["skipped"].values()),
    )
    sim.manifest_summary = summary
    return sim
