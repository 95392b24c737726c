"""The training notebooks run top to bottom in a fresh kernel and print what they say.

Each notebook in ``notebooks/`` is executed with nbclient in a new ``python3`` kernel
running this interpreter (``sys.executable``: the simkit under test, never a kernel
installed for another Python), with a 120 s limit per cell.  No cell may fail, and every
code cell's text outputs (printed text and ``text/plain`` results; images, HTML and widgets
aside) must equal the committed ones: the notebooks are deterministic, so a difference
means simkit's behaviour changed, or a notebook was edited without being rebuilt
(``python notebooks/_build.py``).  The committed cells must also be what their source in
``notebooks/src/`` builds.

Budget: each notebook executes in well under 30 s; the whole file in under 3 minutes on
two cores.  Notebooks run in parallel, two at a time.
"""

from __future__ import annotations

import difflib
import importlib.util
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import ipykernel  # noqa: E402,F401 - the kernel the notebooks run in (test extra)
import nbclient  # noqa: E402,F401 - a test extra
import nbformat  # noqa: E402 - a test extra
import pytest

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"
NAMES = (
    "01-image-streams-and-tags",
    "02-adding-and-removing-tags",
    "03-scheduled-imports-and-stale-tags",
    "04-pull-policies",
    "05-pull-secrets-and-cross-project-access",
    "06-what-if-access-policies",
)


def _load_build():
    spec = importlib.util.spec_from_file_location("notebooks_build", NOTEBOOKS / "_build.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


build = _load_build()


@pytest.fixture(scope="module")
def executed():
    """Every notebook executed once, two kernels at a time: name -> (notebook, seconds)."""

    def run(name):
        committed = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
        started = time.perf_counter()
        try:
            result = build.execute(committed)
        except Exception as exc:  # noqa: BLE001 - reported by the test of that notebook
            result = exc
        return name, committed, result, time.perf_counter() - started

    with ThreadPoolExecutor(max_workers=2) as pool:
        return {name: rest for name, *rest in pool.map(run, NAMES)}


def test_every_notebook_is_listed():
    found = sorted(p.stem for p in NOTEBOOKS.glob("[0-9]*.ipynb"))
    assert found == sorted(NAMES)
    assert sorted(p.stem for p in build.sources()) == sorted(NAMES)


def test_the_kernel_is_this_interpreter(tmp_path):
    km = build.kernel_manager(tmp_path)
    assert Path(km.kernel_spec.argv[0]).resolve() == Path(sys.executable).resolve()
    assert km.kernel_spec.argv[1:3] == ["-m", "ipykernel_launcher"]


@pytest.mark.parametrize("name", NAMES)
def test_committed_cells_are_built_from_the_source(name):
    committed = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
    built = build.build(NOTEBOOKS / "src" / f"{name}.py")
    assert build.same_code(committed, built), (
        f"notebooks/{name}.ipynb is not what notebooks/src/{name}.py builds: "
        f"run python notebooks/_build.py {name[:2]}"
    )


@pytest.mark.parametrize("name", NAMES)
def test_notebook_runs_and_prints_what_is_committed(executed, name):
    committed, result, seconds = executed[name]
    if isinstance(result, Exception):
        pytest.fail(f"{name} failed after {seconds:.1f} s:\n{result}")
    expected, actual = build.text_outputs(committed), build.text_outputs(result)
    assert len(expected) == len(actual)
    cells = [c for c in committed.cells if c.cell_type == "code"]
    for cell, want, got in zip(cells, expected, actual, strict=True):
        if want != got:
            diff = "\n".join(
                difflib.unified_diff(
                    "".join(want).splitlines(),
                    "".join(got).splitlines(),
                    "committed",
                    "now",
                    lineterm="",
                )
            )
            pytest.fail(f"{name}: the outputs of this cell changed:\n{cell.source}\n\n{diff}")


def test_commented_magics_are_read_as_jupytext_writes_them(tmp_path):
    """``# %oc ...`` in a Python cell and a cell opened by ``# %%oc`` become IPython magics;
    ``# %%oc`` is not taken for a cell marker, and a plain comment stays a comment."""
    source = tmp_path / "x.py"
    source.write_text(
        "# %%\nx = 1  # a comment\n# %oc get pods\n\n"
        "# %%\n# %%oc\n# get pods\n# describe pod web \\\n#     -n demo\n"
        "# %% [markdown]\n# # Title\n"
    )
    cells = build.read_source(source)
    assert cells == [
        ("code", "x = 1  # a comment\n%oc get pods", []),
        ("code", "%%oc\nget pods\ndescribe pod web \\\n    -n demo", []),
        ("markdown", "# Title", []),
    ]


def test_notebook_04_describes_a_pod_backing_off():
    """Issue 18's must-show: a ``%%oc`` cell of notebook 04 runs ``describe pod`` on the pod
    with pull policy Always during the registry outage, and its Events section shows the
    kubelet's aggregated BackOff event (``Back-off pulling image``, with a count)."""
    nb = nbformat.read(NOTEBOOKS / "04-pull-policies.ipynb", as_version=4)
    cells = [
        c
        for c in nb.cells
        if c.cell_type == "code" and c.source.startswith("%%oc") and "describe pod" in c.source
    ]
    assert cells, "no %%oc cell describes a pod"
    text = "".join(o.get("text", "") for o in cells[0].outputs if o.output_type == "stream")
    assert "$ oc describe pod " in text
    events = text[text.index("Events:") :]
    assert "Warning  Failed" in events and "Error: ErrImagePull" in events
    backoff = [line for line in events.splitlines() if "Back-off pulling image" in line]
    assert backoff and "BackOff" in backoff[0] and "(x" in backoff[0]


def test_no_committed_output_is_an_error():
    """No cell of a committed notebook shows a traceback or an error from a magic."""
    for name in NAMES:
        nb = nbformat.read(NOTEBOOKS / f"{name}.ipynb", as_version=4)
        for cell in nb.cells:
            for output in cell.get("outputs", []):
                assert output.output_type != "error", (name, cell.source)
                assert "%simkit" not in output.get("text", ""), (name, cell.source)
