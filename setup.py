"""The optional compiled build: ``SIMKIT_COMPILE=1 pip install .``.

pyproject.toml holds all of simkit's metadata; this file only adds, when the environment
variable ``SIMKIT_COMPILE`` is ``1`` at build time, the hot modules below compiled to C
extensions with mypyc.  A plain ``pip install .`` builds the same pure-Python package as
without this file: no extension, no compiler, no mypy.

The compiled modules are the same sources, type-checked by mypy and translated to C; the
``.py`` files are installed beside them, and Python imports the extension first.  mypyc
checks the declared types at run time (a wrong type raises TypeError instead of passing
through), which mypy already keeps from happening; tests/test_compiled_build.py checks
that a compiled build writes the very event log the pure sources write.

Building needs mypy (which ships mypyc) and, because mypyc refuses to compile code mypy
rejects, what ``mypy`` from the checkout needs: simkit's dependencies and the stubs of the
``lint`` extra.  Under pip's default build isolation these are the build's ``setup_requires``,
which setuptools reports to pip as dynamic build requirements, so pip fetches them into the
isolated build environment; with ``--no-build-isolation`` they must be installed already.

The list is chosen by measurement (benchmarks/compiled.py): modules that compile, whose
tests pass compiled, and that pay.  Left out on purpose:

- state/images, state/nodes, state/workloads and the other modules whose objects are read
  attribute by attribute by interpreted code: a compiled class's attributes are slower to
  read from Python, and state/images' dataclasses lose state/cluster.py's fast copier
  (it rebuilds slotted dataclasses; a compiled class has no ``__slots__``).
- eventlog (``_Mark`` subclasses int; truncate's ``int`` parameter drops a mark's owner),
  simulation (mypyc crashes on a closure in a non-native class; Simulation needs weakrefs),
  refs/_text (a decorated closure is unbound when compiled), credentials/keyring
  (``runtime_checkable`` Protocol), apiserver/field_errors (a dataclass field typed
  ``object``), rules/backoff (the alias ``delete_entry = reset``), upstream/rebuilds
  (``inspect.signature`` of its ``__init__``), rules/pull_throttle (an int assigned to a
  float).
"""

from __future__ import annotations

import os
import sys
import tomllib
from pathlib import Path

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = Path(__file__).resolve().parent

#: The modules compiled by ``SIMKIT_COMPILE=1`` (paths from the project root).
HOT_MODULES = [
    "simkit/engine.py",
    "simkit/state/cluster.py",
    "simkit/state/registries.py",
    "simkit/controllers/pods.py",
    "simkit/controllers/scheduled_imports.py",
    "simkit/controllers/kubelet.py",
    "simkit/controllers/workloads.py",
    "simkit/apiserver/imagestreamimport.py",
    "simkit/apiserver/imagestreams.py",
    "simkit/apiserver/validation.py",
    "simkit/apiserver/objectmeta.py",
    "simkit/rules/import_selection.py",
    "simkit/rules/pull_access.py",
    "simkit/rules/secret_pulled_images.py",
    "simkit/rules/prune.py",
    "simkit/rules/tags.py",
    "simkit/rules/image_usage.py",
    "simkit/rules/pull_decision.py",
    "simkit/rules/stream_strategy.py",
    "simkit/refs/pullspec.py",
    "simkit/refs/digest.py",
    "simkit/refs/pull_policy.py",
    "simkit/refs/distribution.py",
    "simkit/upstream/cadence.py",
    "simkit/_go/strconv.py",
]


def compile_requested() -> bool:
    """Whether this build compiles (``SIMKIT_COMPILE=1``)."""
    return os.environ.get("SIMKIT_COMPILE", "").strip() == "1"


def build_requirements() -> list[str]:
    """What compiling needs: mypy (the ``lint`` extra's pin, mypyc comes with it), and
    what mypy needs to check simkit: its dependencies and the ``lint`` extra's stubs."""
    project = tomllib.loads((HERE / "pyproject.toml").read_text())["project"]
    lint = project["optional-dependencies"]["lint"]
    return [*project["dependencies"], *(r for r in lint if not r.startswith("ruff"))]


class _NoMypyc(build_ext):
    """Stands in for the compiled modules when mypyc cannot be imported: fails the build
    with a clear message rather than quietly building the pure package."""

    def run(self) -> None:
        raise SystemExit(
            "SIMKIT_COMPILE=1 needs mypyc (pip install 'mypy>=2.4,<2.5'); with "
            "--no-build-isolation, install it and simkit's lint extra first"
        )


def compiled_extensions() -> tuple[list[Extension], dict[str, type[build_ext]]]:
    """The extension modules and commands of a compiled build."""
    try:
        from mypyc.build import mypycify
    except ImportError:
        # pip first asks for the build requirements (below) with mypyc not yet installed:
        # setuptools stops at setup_requires before it looks at the extensions
        return [Extension("simkit._mypyc_missing", sources=[])], {"build_ext": _NoMypyc}
    # --follow-imports=silent: mypy still reads every module the compiled ones import, but
    # reports errors only in the compiled ones (the CI's mypy checks the rest, with the
    # optional IPython and dask installed, which a build needs not have)
    return mypycify(["--follow-imports=silent", *HOT_MODULES], opt_level="3"), {}


def metadata_only() -> bool:
    """Whether setuptools runs only to report requirements or metadata (pip's first two
    steps): translating and compiling the modules then would be done twice for nothing."""
    commands = set(sys.argv[1:])
    return bool(commands & {"egg_info", "dist_info"}) and not commands & {
        "bdist_wheel",
        "build",
        "build_ext",
        "develop",
        "editable_wheel",
        "install",
    }


if compile_requested():
    if metadata_only():
        extensions, commands = [Extension("simkit._mypyc_missing", sources=[])], {}
    else:
        extensions, commands = compiled_extensions()
    setup(ext_modules=extensions, cmdclass=commands, setup_requires=build_requirements())
else:
    setup()
