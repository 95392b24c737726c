"""The docs site builds with warnings as errors, offline, and its generated pages are whole.

Runs ``mkdocs build --strict`` (mkdocs.yml) into a temporary folder when the ``docs`` extra
is installed, and is skipped otherwise (``.ci/run`` installs it and builds the site after
the tests).  Beyond "it builds", it checks what the generators promise: the oc reference
names every registered command and every flag it accepts, with the help ``oc CMD --help``
prints (its usage line, each flag's usage), the scenario reference every key
of every model of the schema, and the six notebooks are rendered with their committed
outputs (their figures), not executed.
"""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

for _module in ("mkdocs", "material", "mkdocstrings", "mkdocs_jupyter", "mkdocs_gen_files"):
    pytest.importorskip(_module, reason="the docs extra is not installed")

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("site")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "NO_MKDOCS_2_WARNING": "1",
        "DISABLE_MKDOCS_2_WARNING": "true",
    }
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(out)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stderr[-4000:]}"
    return out


def _text(path: Path) -> str:
    """A page's text; each heading ends with its permalink sign, ``¶``."""
    return html.unescape(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8")))


def _section(page: str, heading: str) -> str:
    """The text from ``heading`` to the next heading."""
    parts = page.split(f"{heading}¶", 1)
    assert len(parts) == 2, f"no section {heading!r}"
    return parts[1].split("¶", 1)[0]


def test_oc_reference_lists_every_command_and_flag(site: Path) -> None:
    import simkit.oc.commands  # noqa: F401 - registers the commands
    from simkit.oc.command import COMMANDS
    from simkit.oc.help import documented_flags, usage_line

    page = _text(site / "reference" / "oc.html")
    assert len(COMMANDS) > 30
    for words, spec in COMMANDS.items():
        body = _section(page, f"oc {' '.join(words)}")
        own = [flag for flag in spec.flags if flag.name != "namespace"]  # global: said once
        for flag in own:
            assert re.search(rf"--{flag.name}\b", body), (words, flag.name)
        assert ("No flags of its own" in body) == (not own), words
        # the help oc CMD --help prints: its usage line, and each flag's usage
        assert usage_line(spec) in body, words
        flat = " ".join(body.split())
        for flag in documented_flags(spec):
            assert " ".join(flag.usage.split()) in flat, (words, flag.name)
    assert "--namespace, -n" in page
    raw = (site / "reference" / "oc.html").read_text(encoding="utf-8")
    headings = set(re.findall(r'<h2 id="([^"]+)"', raw))  # a docstring's sections add none
    commands = {"oc-" + "-".join(words) for words in COMMANDS}
    assert headings == commands | {"where-each-command-comes-from"}


def test_scenario_reference_lists_every_key(site: Path) -> None:
    from pydantic import BaseModel

    from simkit.scenarios import schema

    page = (site / "reference" / "scenario.html").read_text(encoding="utf-8")
    models = [
        m
        for m in vars(schema).values()
        if isinstance(m, type)
        and issubclass(m, BaseModel)
        and m.__module__ == schema.__name__
        and not m.__name__.startswith("_")
    ]
    assert schema.Scenario in models and len(models) > 10
    for model in models:
        parts = page.split(f'<h2 id="{model.__name__.lower()}">', 1)
        assert len(parts) == 2, f"no section for {model.__name__}"
        body = parts[1].split("<h2", 1)[0]
        keys = re.findall(r"<tr>\s*<td><code>([^<]+)</code></td>", body)
        assert keys == [field.alias or name for name, field in model.model_fields.items()]
        assert body.count("<tr>") == len(keys) + 1  # the header row and one row a key
    assert "<strong>required</strong>" in page  # the Markdown is rendered


def test_notebooks_are_rendered_with_their_outputs(site: Path) -> None:
    assert len(NOTEBOOKS) == 6
    for notebook in NOTEBOOKS:
        html = (site / "notebooks" / notebook.with_suffix(".html").name).read_text("utf-8")
        assert "data:image/png;base64," in html, f"{notebook.name}: no figure rendered"


def test_pages_of_the_nav_exist(site: Path) -> None:
    for page in [
        "index.html",
        "architecture.html",
        "reference/oc.html",
        "reference/scenario.html",
        "api/simkit.html",
        "api/analysis.html",
        "api/plots.html",
        "api/scenarios.html",
        "api/sweeps.html",
        "api/refs.html",
        "api/credentials.html",
    ]:
        assert (site / page).is_file(), page
    index = _text(site / "index.html")
    assert "sk.Simulation(seed=1)" in index  # the README's example, filled in at build time
    assert "simkit sweep" in index and "--grid NAME=V1,V2" in index  # the commands' --help


def test_api_reference_has_every_public_name(site: Path) -> None:
    import inspect

    import simkit

    page = (site / "api" / "simkit.html").read_text(encoding="utf-8")
    for name in simkit.__all__:
        if not inspect.ismodule(getattr(simkit, name)):
            assert re.search(rf'id="simkit\.([\w.]+\.)?{name}"', page), name
    for module in ("analysis", "plots", "scenarios", "refs", "credentials"):
        public = __import__(f"simkit.{module}", fromlist=["__all__"]).__all__
        page = (site / "api" / f"{module}.html").read_text(encoding="utf-8")
        missing = [
            n for n in public if not re.search(rf'id="simkit\.{module}\.([\w.]+\.)?{n}"', page)
        ]
        assert not missing, (module, missing)
