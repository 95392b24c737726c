"""Every kind in and out of simkit: real Kubernetes/OpenShift objects as YAML or JSON.

- :func:`load_manifests`: a :class:`~simkit.Simulation` whose starting cluster is what
  YAML or JSON files describe (single objects, ``kind: List``, multi-document YAML,
  ``oc get -o yaml`` dumps);
- :func:`read_manifests`: the objects of files, each with its file, document and lines;
- :func:`apply_objects`: ``create``, ``apply`` or ``load`` objects in one transaction
  (``oc create -f`` and ``oc apply -f`` use it);
- :func:`to_api` / :func:`from_api`: any stored object as the API server returns it, and
  back (``oc get -o yaml`` writes with it);
- :class:`ManifestError`: bad input, naming the file, the line where known, the
  document, the object, the field and what was expected.

Every reader takes its fields through the one typed field reader,
:mod:`simkit.manifests.fields`; the kinds are read and written by
:mod:`~simkit.manifests.images`, :mod:`~simkit.manifests.rbac` and
:mod:`~simkit.manifests.core`.  Reading is safe with untrusted files: sizes, nesting and
YAML alias expansion are limited, and no YAML tag can build Python objects (see
:mod:`simkit.manifests.reader`).

The names are imported on first use, so that :mod:`simkit.manifests.fields` and
:mod:`simkit.manifests.rbac` (which the bootstrap policy, a rules module, reads with) can
be imported without the Simulation-level half of the package.
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "MODELLED_KINDS",
    "ApplyResult",
    "Manifest",
    "ManifestError",
    "Outcome",
    "apply_objects",
    "from_api",
    "load_manifests",
    "read_manifests",
    "to_api",
]

_HOMES = {
    "MODELLED_KINDS": "simkit.manifests.objects",
    "Manifest": "simkit.manifests.objects",
    "ApplyResult": "simkit.manifests.apply",
    "Outcome": "simkit.manifests.apply",
    "apply_objects": "simkit.manifests.apply",
    "ManifestError": "simkit.manifests.errors",
    "load_manifests": "simkit.manifests.load",
    "read_manifests": "simkit.manifests.load",
    "from_api": "simkit.manifests.api",
    "to_api": "simkit.manifests.api",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'simkit.manifests' has no attribute {name!r}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
