"""``%load_ext simkit``: ``%oc``, ``%%oc`` and ``%simkit use`` in an in-process IPython shell.

The transcript shape is a terminal's: each command echoed as ``$ oc ...`` and followed by
what oc prints; errors as oc prints them on stderr (``error: ...``, ``Error from server
(Reason): ...``), never a traceback; secrets masked in the echo as in the ``oc`` event.
"""

from __future__ import annotations

import gc

import pytest

import simkit as sk

pytest.importorskip("IPython")

from IPython.core.interactiveshell import InteractiveShell  # noqa: E402


@pytest.fixture
def shell():
    ip = InteractiveShell.instance()
    ip.run_line_magic("load_ext", "simkit")
    yield ip
    ip.run_line_magic("reload_ext", "simkit")  # forget %simkit use between tests
    for name in ("sim", "other", "number"):
        ip.user_ns.pop(name, None)


def _run(shell, capsys, source: str) -> tuple[str, str]:
    result = shell.run_cell(source)
    assert result.error_in_exec is None and result.error_before_exec is None
    captured = capsys.readouterr()
    return captured.out, captured.err


def test_line_magic_runs_against_the_last_simulation_created(shell, capsys):
    sim = sk.Simulation(seed=1)
    sim.registry("quay.io").push("acme/web", "1")
    out, err = _run(shell, capsys, "%oc tag quay.io/acme/web:1 web:1")
    assert out == "Tag web:1 set to quay.io/acme/web:1.\n" and err == ""
    assert sim.stream("default", "web") is not None


def test_cell_magic_echoes_each_command_like_a_terminal(shell, capsys):
    sim = sk.Simulation(seed=1)
    shell.user_ns["sim"] = sim
    cell = "%%oc\ncreate imagestream web\n\n# a comment\noc get is -o name\n"
    out, err = _run(shell, capsys, cell)
    assert out == (
        "$ oc create imagestream web\n"
        "imagestream.image.openshift.io/web created\n"
        "$ oc get is -o name\n"
        "imagestream.image.openshift.io/web\n"
    )
    assert err == ""


def test_errors_print_as_oc_prints_them_and_the_cell_goes_on(shell, capsys):
    sk.Simulation(seed=1)
    out, err = _run(shell, capsys, "%%oc\nget is nope\ncreate imagestream web\n")
    assert err == (
        'Error from server (NotFound): imagestreams.image.openshift.io "nope" not found\n'
    )
    assert "Traceback" not in out + err
    assert out == (
        "$ oc get is nope\n$ oc create imagestream web\n"
        "imagestream.image.openshift.io/web created\n"
    )
    out, err = _run(shell, capsys, "%oc get is --bogus")
    assert err.startswith("error: unknown flag: --bogus\n") and out == ""


def test_simkit_use_picks_a_notebook_variable(shell, capsys):
    first = sk.Simulation(seed=1)
    shell.user_ns["sim"] = first
    second = sk.Simulation(seed=2)  # the last one created
    shell.user_ns["other"] = second
    _run(shell, capsys, "%oc create imagestream latest")
    assert second.stream("default", "latest") is not None
    assert _run(shell, capsys, "%simkit use sim") == ("", "")
    _run(shell, capsys, "%oc create imagestream chosen")
    assert first.stream("default", "chosen") is not None
    assert second.stream("default", "chosen") is None
    out, _ = _run(shell, capsys, "%simkit")
    assert out.startswith("oc runs against the variable sim: <Simulation seed=1 ")
    shell.user_ns["number"] = 3
    _, err = _run(shell, capsys, "%simkit use number")
    assert err == "error: %simkit use number: number is a int, not a simkit Simulation\n"
    _, err = _run(shell, capsys, "%simkit use")
    assert err.startswith("error: usage: %simkit use NAME")
    del shell.user_ns["sim"]
    _, err = _run(shell, capsys, "%oc get is")
    assert err == "error: %simkit use sim: there is no variable 'sim' any more\n"


def test_no_simulation_says_how_to_make_one(shell, capsys):
    gc.collect()
    alive = [ref for ref in sk.Simulation._created if ref() is not None]
    if alive:
        pytest.skip("another test keeps a Simulation alive")
    _, err = _run(shell, capsys, "%oc get is")
    assert err.startswith("error: no simulation to run oc against")


def test_secrets_are_masked_in_the_echo_as_in_the_oc_event(shell, capsys):
    sim = sk.Simulation(seed=1)
    cell = (
        "%%oc\ncreate secret docker-registry quay --docker-server=quay.io \\\n"
        "  --docker-username=bob --docker-password=hunter2\n"
    )
    out, err = _run(shell, capsys, cell)
    assert err == ""
    echo = out.splitlines()[0]
    assert echo == (
        "$ oc create secret docker-registry quay --docker-server=quay.io "
        "--docker-username=bob --docker-password=*****"
    )
    assert "hunter2" not in out
    logged = sim.events.query("kind == 'oc'")["line"].iloc[-1]
    assert echo == f"$ oc {logged}"


def test_a_failing_pull_looked_at_in_a_cell(shell, capsys):
    """The issue's notebook cell: a pod that cannot pull, looked at with oc."""
    sim = sk.Simulation(seed=1)
    shell.user_ns["sim"] = sim
    _run(shell, capsys, "%simkit use sim")
    _run(shell, capsys, "%oc run web --image=quay.io/acme/missing:1")
    sim.advance("2m")
    out, err = _run(shell, capsys, "%%oc\nget pods\nrollout status deploy/none\n")
    assert out.startswith("$ oc get pods\nNAME   READY   STATUS")
    assert "web " in out and "0/1" in out
    assert err == 'Error from server (NotFound): deployments.apps "none" not found\n'
