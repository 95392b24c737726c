"""Real Kubernetes/OpenShift manifests in and out of the simulation.

- :func:`load_manifests`: a :class:`~simkit.Simulation` whose starting cluster is what
  YAML or JSON files describe (single objects, ``kind: List``, multi-document YAML,
  ``oc get -o yaml`` dumps);
- :func:`read_manifests`: the objects of files, each with its file, document and lines;
- :func:`apply_objects`: ``create``, ``apply`` or ``load`` objects in one transaction
  (``oc create -f`` and ``oc apply -f`` use it);
- :class:`ManifestError`: bad input, naming the file, the line where known, the
  document, the object, the field and what was expected.

Reading is safe with untrusted files: sizes, nesting and YAML alias expansion are
limited, and no YAML tag can build Python objects (see :mod:`simkit.manifests.reader`).
"""

from simkit.manifests.apply import ApplyResult, Outcome, apply_objects
from simkit.manifests.errors import ManifestError
from simkit.manifests.load import load_manifests, read_manifests
from simkit.manifests.objects import MODELLED_KINDS, Manifest

__all__ = [
    "MODELLED_KINDS",
    "ApplyResult",
    "Manifest",
    "ManifestError",
    "Outcome",
    "apply_objects",
    "load_manifests",
    "read_manifests",
]
