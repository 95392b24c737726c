"""Build the training notebooks from their sources, execute them and save them with outputs.

Each notebook is written as a plain Python file in ``notebooks/src/`` in the "percent"
format (the one Jupytext, VS Code and Spyder read): ``# %% [markdown]`` starts a markdown
cell whose lines are comments, ``# %%`` starts a code cell.  This script turns each
source into a ``.ipynb`` next to this file, executes it top to bottom in a fresh kernel
running *this* interpreter (so the ``simkit`` it imports is the one installed here), and
saves it with its outputs.

Outputs are made deterministic: simulations are seeded, cells record no timings, figures
are PNGs from the inline backend, and ipywidgets' random model ids are renumbered.  So a
rebuild changes a committed notebook only when its source or simkit's behaviour changed.

Usage, from the repository root::

    python notebooks/_build.py                 # every notebook
    python notebooks/_build.py 03 05           # the ones whose names start so
    python notebooks/_build.py --check         # execute, compare with the committed ones

``tests/test_notebooks.py`` uses :func:`execute` and :func:`text_outputs` from here.
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
import tempfile
import time
import uuid
from pathlib import Path

import nbformat

HERE = Path(__file__).resolve().parent
SOURCES = HERE / "src"
CELL_TIMEOUT = 120
"""Seconds a cell may run before the execution fails."""

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
_MARKER = re.compile(r"^# %%(?=\s|$)(?P<markdown>\s*\[markdown\])?(?P<rest>.*)$")
_MAGIC = re.compile(r"^# (?=%)")
"""A commented IPython magic in a code cell (``# %oc get pods``, ``# %%oc``), as Jupytext
writes them so that the source stays valid Python."""
_TAGS = re.compile(r"tags=\[(?P<tags>[^\]]*)\]")


# --- sources -> notebooks ---------------------------------------------------------------
def read_source(path: Path) -> list[tuple[str, str, list[str]]]:
    """The cells of a percent-format source: ``(cell_type, text, tags)``.

    A ``# %%`` line may carry ``tags=["a", "b"]``.  Markdown lines lose their leading
    ``# `` (or ``#``); everything before the first marker is ignored (a module docstring
    or lint directives).  In code cells, a commented magic (``# %oc get pods``, or
    ``# %%oc`` opening a cell of ``oc`` commands, whose lines are comments too) loses its
    ``# ``, as Jupytext reads it: the source stays valid Python.
    """
    cells: list[tuple[str, list[str], list[str]]] = []
    for line in path.read_text().splitlines():
        match = _MARKER.match(line)
        if match:
            tags = []
            found = _TAGS.search(match["rest"])
            if found:
                tags = [t.strip().strip("'\"") for t in found["tags"].split(",") if t.strip()]
            cells.append(("markdown" if match["markdown"] else "code", [], tags))
        elif cells:
            kind, lines, _ = cells[-1]
            if kind == "markdown" or (lines and lines[0].startswith("%%")):
                line = line[2:] if line.startswith("# ") else line.removeprefix("#")
            else:
                line = _MAGIC.sub("", line)
            lines.append(line)
    result = []
    for kind, lines, tags in cells:
        text = "\n".join(lines).strip("\n")
        if text:
            result.append((kind, text, tags))
    return result


def build(path: Path) -> nbformat.NotebookNode:
    """A notebook (no outputs) from the source at ``path``."""
    nb = nbformat.v4.new_notebook()
    for i, (kind, text, tags) in enumerate(read_source(path)):
        make = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
        cell = make(text)
        cell["id"] = f"cell-{i:03d}"  # stable ids: nbformat's are random
        if tags:
            cell["metadata"]["tags"] = tags
        nb.cells.append(cell)
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3 (ipykernel)",
                                 "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    return nb


# --- execution ----------------------------------------------------------------------------
def kernel_manager(workdir: Path):
    """A kernel manager whose ``python3`` kernel is ``sys.executable -m ipykernel_launcher``.

    The kernel spec is written into a private folder, so neither a ``python3`` kernel
    installed elsewhere for another interpreter (``~/.local/share/jupyter/kernels``) nor a
    missing ``python -m ipykernel install`` changes which Python runs the notebook.
    """
    from ipykernel.kernelspec import write_kernel_spec
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager

    specs = workdir / "kernels"
    write_kernel_spec(str(specs / "python3"))
    manager = KernelSpecManager(kernel_dirs=[str(specs)], ensure_native_kernel=False)
    km = KernelManager(kernel_name="python3", kernel_spec_manager=manager)
    argv = km.kernel_spec.argv
    if Path(argv[0]).resolve() != Path(sys.executable).resolve():
        raise RuntimeError(f"the python3 kernel would run {argv[0]}, not {sys.executable}")
    return km


def kernel_env() -> dict[str, str]:
    """This process's environment, with the folder of the simkit it imports first on
    ``PYTHONPATH`` (the kernel runs the simkit under test: an installed one, or this
    checkout's when none is installed) and ``PYTHONHASHSEED=0``."""
    import importlib.util
    import os

    spec = importlib.util.find_spec("simkit")
    root = str(Path(spec.origin).parent.parent) if spec and spec.origin else str(HERE.parent)
    env = dict(os.environ)
    paths = [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p and p != root]
    env["PYTHONPATH"] = os.pathsep.join([root, *paths])
    # a fixed string hash: the order of sets of names, and so the order in which graph
    # edges are drawn, is the same in every run (the pixels of overlapping edges too)
    env["PYTHONHASHSEED"] = "0"
    return env


def execute(nb: nbformat.NotebookNode, cwd: Path = HERE, timeout: int = CELL_TIMEOUT,
            timings: list[tuple[float, str]] | None = None) -> nbformat.NotebookNode:
    """Run ``nb`` top to bottom in a fresh kernel (in ``cwd``); outputs normalised.

    ``timings``, if given, receives ``(seconds, first line)`` for each code cell.
    Raises ``nbclient.exceptions.CellExecutionError`` on the first cell that fails.
    """
    from nbclient import NotebookClient

    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    with tempfile.TemporaryDirectory(prefix="simkit-nb-") as scratch:
        km = kernel_manager(Path(scratch))
        client = NotebookClient(
            nb, km=km, timeout=timeout, record_timing=timings is not None, allow_errors=False,
            resources={"metadata": {"path": str(cwd)}},
        )
        # The inline backend draws PNGs; nothing else about the front end matters.
        client.execute(env=kernel_env())
    if timings is not None:
        timings.extend(_timings(nb))
    return normalise(nb)


def _timings(nb: nbformat.NotebookNode) -> list[tuple[float, str]]:
    from datetime import datetime

    found = []
    for cell in nb.cells:
        stamps = cell.metadata.get("execution", {})
        if cell.cell_type == "code" and "shell.execute_reply" in stamps:
            start = datetime.fromisoformat(stamps["iopub.execute_input"].replace("Z", "+00:00"))
            end = datetime.fromisoformat(stamps["shell.execute_reply"].replace("Z", "+00:00"))
            first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
            found.append(((end - start).total_seconds(), first))
    return found


def normalise(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Replace the random ids ipywidgets gives its models with numbered ones (the same
    everywhere they appear), and drop per-run metadata."""
    ids: dict[str, str] = {}

    def stable(model_id: str) -> str:
        if model_id not in ids:
            ids[model_id] = str(uuid.UUID(int=len(ids) + 1))
        return ids[model_id]

    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            view = data.get(WIDGET_VIEW)
            if view and "model_id" in view:
                view["model_id"] = stable(view["model_id"])
            if "image/png" in data:
                data["image/png"] = shrink_png(data["image/png"])
    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE)
    if state:
        models = state["state"]
        # number the models in an order that does not depend on their random ids: from the
        # displayed ones, through the references in each model's state (field names sorted,
        # lists in order), then whatever is left by its content
        queue = [old for old in ids if old in models]
        while queue:
            refs = re.findall(r"IPY_MODEL_([0-9a-f]+)", json.dumps(models[queue.pop(0)],
                                                                   sort_keys=True))
            for old in refs:
                if old in models and old not in ids:
                    stable(old)
                    queue.append(old)
        masked = {old: re.sub(r"IPY_MODEL_[0-9a-f]+", "", json.dumps(model, sort_keys=True))
                  for old, model in models.items()}
        for old in sorted(set(models) - set(ids), key=masked.get):
            stable(old)
        text = json.dumps(models, sort_keys=True)
        for old, new in ids.items():
            text = text.replace(old, new)
        state["state"] = dict(sorted(json.loads(text).items()))
    return nb


def shrink_png(encoded: str) -> str:
    """A figure's PNG (base64) as a 256-colour PNG when that is smaller: plots have few
    colours, and the notebooks stay a few hundred kilobytes.  Deterministic."""
    import base64
    import io

    try:
        from PIL import Image
    except ImportError:  # matplotlib needs Pillow, but be safe
        return encoded
    raw = base64.b64decode(encoded)
    with Image.open(io.BytesIO(raw)) as image:
        if image.mode == "P":
            return encoded
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.FASTOCTREE,
                                              dither=Image.Dither.NONE)
    out = io.BytesIO()
    small.save(out, "PNG", optimize=True)
    if out.tell() >= len(raw):
        return encoded
    return base64.b64encode(out.getvalue()).decode() + "\n"


# --- comparing outputs -------------------------------------------------------------------------
def text_outputs(nb: nbformat.NotebookNode) -> list[list[str]]:
    """Each code cell's text outputs: streams and ``text/plain`` (not images, not widgets,
    not HTML), in order; a cell's output stream parts are joined as Jupyter shows them."""
    cells = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        texts: list[str] = []
        for output in cell.get("outputs", []):
            if output.output_type == "stream":
                if texts and texts[-1].startswith(f"[{output.name}] "):
                    texts[-1] += output.text
                else:
                    texts.append(f"[{output.name}] {output.text}")
            elif output.output_type in ("execute_result", "display_data"):
                data = output.get("data", {})
                if WIDGET_VIEW in data:
                    continue
                if "text/plain" in data:
                    texts.append(f"[{output.output_type}] {data['text/plain']}")
            elif output.output_type == "error":
                texts.append(f"[error] {output.ename}: {output.evalue}")
        cells.append(texts)
    return cells


def notebook_path(source: Path) -> Path:
    """``src/01-x.py`` -> ``01-x.ipynb`` beside this script."""
    return HERE / f"{source.stem}.ipynb"


def sources(prefixes: list[str] | None = None) -> list[Path]:
    """The notebook sources, optionally only those whose names start with a prefix."""
    found = sorted(SOURCES.glob("[0-9]*.py"))
    if prefixes:
        found = [p for p in found if any(p.name.startswith(x) for x in prefixes)]
    return found


def same_code(a: nbformat.NotebookNode, b: nbformat.NotebookNode) -> bool:
    """Whether two notebooks have the same cells (type, source, tags)."""
    def cells(nb):
        return [(c.cell_type, c.source, c.metadata.get("tags", [])) for c in nb.cells]
    return cells(a) == cells(b)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("prefixes", nargs="*", help="build only notebooks starting so")
    parser.add_argument("--check", action="store_true",
                        help="execute and compare text outputs with the committed notebooks")
    parser.add_argument("--timings", action="store_true", help="print each cell's time")
    args = parser.parse_args(argv)
    failed = 0
    for source in sources(args.prefixes):
        target = notebook_path(source)
        started = time.perf_counter()
        timings: list[tuple[float, str]] | None = [] if args.timings else None
        executed = execute(build(source), timings=timings)
        elapsed = time.perf_counter() - started
        for seconds, first in timings or []:
            print(f"  {seconds:6.2f} s  {first[:70]}")
        if args.check:
            committed = nbformat.read(target, as_version=4)
            ok = same_code(committed, executed) and (
                text_outputs(committed) == text_outputs(executed))
            failed += not ok
            print(f"{'ok  ' if ok else 'DIFF'} {target.name} ({elapsed:.1f} s)")
        else:
            nbformat.write(executed, target)
            print(f"wrote {target.name} ({elapsed:.1f} s)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
