"""simkit: simulate and analyse OpenShift image streams, pull policies and pull access.

Examples
--------
>>> import simkit as sk
>>> sk.parse_image("ubuntu").name
'docker.io/library/ubuntu'
>>> sk.default_pull_policy("ubuntu")
'Always'
"""

from simkit import analysis
from simkit.config import Config
from simkit.credentials import Credential, Keyring
from simkit.display import register_html_formatters
from simkit.manifests.errors import ManifestError
from simkit.manifests.load import load_manifests
from simkit.oc import OcError
from simkit.refs import ImageRef, InvalidReference, default_pull_policy, parse_image
from simkit.simulation import Simulation
from simkit.sweeps.sweep import sweep

__version__ = "0.1.0"


def load_ipython_extension(ipython) -> None:
    """``%load_ext simkit``: the ``%oc``/``%%oc`` and ``%simkit use`` magics
    (:mod:`simkit.magics`; IPython is imported only now, so it stays optional)."""
    from simkit.magics import load_ipython_extension as load

    load(ipython)


register_html_formatters()  # image streams shown as `oc describe is` in notebooks

__all__ = [
    "Config",
    "Credential",
    "Keyring",
    "analysis",
    "ImageRef",
    "InvalidReference",
    "ManifestError",
    "OcError",
    "Simulation",
    "default_pull_policy",
    "load_manifests",
    "parse_image",
    "sweep",
]
