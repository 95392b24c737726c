"""simkit's layer map: every package and top-level module in one layer, lowest first.

A module may import from its own layer and the lower layers its layer lists, at module
level and inside functions alike (imports under ``if TYPE_CHECKING:`` are for
annotations only and do not count), and no chain of imports may come back to where it
started.  The :data:`FENCED` layers (the controllers) are imported by the Simulation
alone; :data:`FACADE_CALLS` names the only imports that may run up a layer.
``tests/test_layers.py`` reads every module's imports with :mod:`ast` and checks both
rules against :data:`LAYERS`; ``docs/architecture.md`` explains each layer.

A name in a layer is a dotted module prefix: ``simkit.rules`` places ``simkit.rules`` and
everything under it.  The longest matching prefix wins, so a module can be placed apart
from its package when it must (``simkit.manifests.fields`` and ``simkit.manifests.rbac``
sit in ``codec``, below the rules, apart from the rest of ``simkit.manifests``).

Examples
--------
>>> layer_of("simkit.rules.rbac.authorizer")
'rules'
>>> layer_of("simkit.controllers.kubelet")
'controllers'
>>> LAYER_NAMES.index("state") < LAYER_NAMES.index("rules")
True
"""

from __future__ import annotations

__all__ = ["FACADE_CALLS", "FENCED", "LAYERS", "LAYER_NAMES", "Layer", "allowed", "layer_of"]

_ALL_BELOW = "*"

FENCED: tuple[str, ...] = ("controllers",)
"""Layers that ``"*"`` leaves out: only a layer that lists them by name imports them."""

Layer = tuple[str, tuple[str, ...], "tuple[str, ...] | str"]
"""``(name, modules and packages in it, the lower layers it may import or "*")``."""

LAYERS: tuple[Layer, ...] = (
    # (layer, the modules and packages in it, the layers below it that it may import),
    # lowest layer first; "*" stands for every layer below except the FENCED ones
    (
        "base",
        ("simkit._layers", "simkit._go", "simkit.durations", "simkit.humanize", "simkit.redact"),
        (),
    ),
    ("refs", ("simkit.refs",), ("base",)),
    ("engine", ("simkit.engine", "simkit.eventlog", "simkit.events"), ("base",)),
    ("state", ("simkit.state",), ("base", "refs")),
    ("credentials", ("simkit.credentials",), ("base", "refs")),
    # the pure half of manifests: the one typed field reader and the RBAC kinds in and
    # out, placed apart from their package so the bootstrap policy (rules) can read with it
    ("codec", ("simkit.manifests.fields", "simkit.manifests.rbac"), ("base", "refs", "state")),
    (
        "rules",
        ("simkit.rules", "simkit.access", "simkit.pulling"),
        ("base", "refs", "state", "credentials", "codec"),
    ),
    ("config", ("simkit.config",), ("base", "refs", "state", "rules")),
    ("apiserver", ("simkit.apiserver",), ("base", "refs", "state", "rules")),
    (
        "controllers",
        ("simkit.controllers",),
        ("base", "refs", "engine", "state", "credentials", "rules", "config", "apiserver"),
    ),
    (
        "simulation",
        ("simkit.simulation",),
        (
            "base",
            "refs",
            "engine",
            "state",
            "credentials",
            "rules",
            "config",
            "apiserver",
            "controllers",
        ),
    ),
    ("manifests", ("simkit.manifests",), _ALL_BELOW),
    ("oc", ("simkit.oc",), _ALL_BELOW),
    ("upstream", ("simkit.upstream",), _ALL_BELOW),
    ("analysis", ("simkit.analysis",), _ALL_BELOW),
    ("display", ("simkit.display", "simkit.plots"), _ALL_BELOW),
    ("scenarios", ("simkit.scenarios",), _ALL_BELOW),
    ("sweeps", ("simkit.sweeps",), _ALL_BELOW),
    ("report", ("simkit.report",), _ALL_BELOW),
    ("entry", ("simkit.cli", "simkit.magics", "simkit"), _ALL_BELOW),
)

LAYER_NAMES: tuple[str, ...] = tuple(name for name, _, _ in LAYERS)

FACADE_CALLS: tuple[tuple[str, str, str], ...] = (
    # (importing module, imported module, why): the only imports allowed to run up a
    # layer, and only inside a function (the facade method itself).  They stay out of
    # the cycle check too: nothing is imported through them until a user calls the method.
    (
        "simkit.simulation",
        "simkit.oc",
        "Simulation.oc(command): API.md fixes sim.oc, which runs the oc command line",
    ),
    (
        "simkit.simulation",
        "simkit.display",
        "Simulation._repr_html_(): a notebook's summary of the simulation",
    ),
)
"""The Simulation's user conveniences that call a layer above it, by name and reason."""


def allowed(layers: tuple[Layer, ...] = LAYERS) -> dict[str, frozenset[str]]:
    """Per layer, the layers its modules may import (its own included).

    Examples
    --------
    >>> sorted(allowed()["state"])
    ['base', 'refs', 'state']
    >>> "controllers" in allowed()["analysis"], "controllers" in allowed()["simulation"]
    (False, True)
    """
    names = [name for name, _, _ in layers]
    table: dict[str, frozenset[str]] = {}
    for i, (name, _, may) in enumerate(layers):
        below = [n for n in names[:i] if n not in FENCED] if may == _ALL_BELOW else list(may)
        table[name] = frozenset([name, *below])
    return table


def layer_of(module: str, layers: tuple[Layer, ...] = LAYERS) -> str:
    """The layer ``module`` (a dotted name) belongs to: its longest listed prefix.

    Raises
    ------
    LookupError
        When no layer lists ``module`` or a package above it.

    Examples
    --------
    >>> layer_of("simkit")
    'entry'
    >>> layer_of("simkit.refs.pathmatch")
    'refs'
    """
    best = None
    for name, prefixes, _ in layers:
        for prefix in prefixes:
            inside = module == prefix or module.startswith(prefix + ".")
            if inside and (best is None or len(prefix) > len(best[1])):
                best = (name, prefix)
    if best is None:
        raise LookupError(f"{module}: no layer in simkit/_layers.py places it")
    return best[0]
