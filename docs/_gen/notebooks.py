"""Put the six notebooks (notebooks/*.ipynb, with their committed outputs) into the site.

mkdocs-gen-files runs this at build time; mkdocs-jupyter then renders each copy without
executing it.  Copying (rather than moving the notebooks under docs/) keeps them where
their README, their build script and tests/test_notebooks.py expect them.
"""

from __future__ import annotations

from pathlib import Path

import mkdocs_gen_files

ROOT = Path(__file__).resolve().parents[2]


def main() -> None:
    for notebook in sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb")):
        target = f"notebooks/{notebook.name}"
        with mkdocs_gen_files.open(target, "w", encoding="utf-8") as out:
            out.write(notebook.read_text(encoding="utf-8"))
        mkdocs_gen_files.set_edit_path(target, f"../notebooks/{notebook.name}")


if __name__ in ("__main__", "<run_path>"):  # run by mkdocs-gen-files, not on import
    main()
