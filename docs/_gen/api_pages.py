"""Generate the API reference pages (api/*.md), one a public package, for mkdocstrings.

``::: simkit.analysis`` renders every name of the package's ``__all__`` except one that
shares its name with a submodule (``simkit.sweep`` the function over ``simkit/sweep.py``,
``simkit.analysis.diff`` over ``analysis/diff.py``): the static reader sees the module
there.  Such a name gets its own block, naming the object where it is defined, so each
page lists every public name whichever way the tree is laid out.
"""

from __future__ import annotations

import importlib
import importlib.util
import inspect
import sys
from pathlib import Path

import mkdocs_gen_files

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))  # document the tree being built, not an installed copy

PAGES = {
    "simkit": "The names `import simkit as sk` gives; `simkit.analysis` has "
    "[its own page](analysis.md).",
    "simkit.analysis": "DataFrames and graphs from a simulation, a cluster dump or image "
    "stream files.",
    "simkit.plots": "matplotlib figures of the analyses.",
    "simkit.scenarios": "Scenario files: validated, built into a simulation, run. The file's "
    "keys are in the [scenario file reference](../reference/scenario.md).",
    "simkit.sweeps": "The machinery behind `simkit.sweep` (on the [simkit page](simkit.md)).",
    "simkit.refs": "Image references and OpenShift pull specs.",
    "simkit.credentials": "Docker config files, the kubelet's keyring and its matching.",
}
# A package whose __init__ exports nothing shows its submodules instead.
SHOW_SUBMODULES = {"simkit.sweeps"}


def shadowed(package: str) -> list[str]:
    """``module.qualname`` of the public names that share their name with a submodule."""
    module = importlib.import_module(package)
    found = []
    for name in getattr(module, "__all__", ()):
        obj = getattr(module, name)
        if inspect.ismodule(obj) or importlib.util.find_spec(f"{package}.{name}") is None:
            continue
        found.append(f"{obj.__module__}.{obj.__qualname__}")
    return found


def main() -> None:
    for package, intro in PAGES.items():
        lines = [
            f"# `{package}`",
            "",
            intro,
            "",
            f"::: {package}",
            "    options:",
            "      show_root_heading: false",
        ]
        if package in SHOW_SUBMODULES:
            lines.append("      show_submodules: true")
        lines.append("")
        for path in shadowed(package):
            lines += [f"::: {path}", "    options:", "      show_root_full_path: false", ""]
        page = "api/" + ("simkit" if package == "simkit" else package.split(".", 1)[1]) + ".md"
        with mkdocs_gen_files.open(page, "w", encoding="utf-8") as out:
            out.write("\n".join(lines))


if __name__ in ("__main__", "<run_path>"):  # run by mkdocs-gen-files, not on import
    main()
