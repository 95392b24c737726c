"""Every event simkit records is declared in the catalogue (simkit/events.py).

Two checks.  The first reads simkit's source with :mod:`ast` (nothing is run): every
``record(kind, **fields)`` call names a catalogued kind and only fields that kind
declares.  Kinds are string literals, ``a if c else b`` of literals, or f-strings (the
manifest loader's ``f"{store.lower()}_created"``), which must match a catalogued kind;
fields passed as ``**name`` are resolved to the keys the call sites or helper functions
build.  The second runs scenarios and a manifest load and apply, and checks every
logged record's kind, field names and value types with :func:`simkit.events.problems`.
"""

from __future__ import annotations

import ast
import re
import textwrap
from pathlib import Path

import pytest

from simkit import events
from simkit.events import CATALOGUE, problems
from simkit.manifests import load_manifests

ROOT = Path(__file__).resolve().parent.parent / "simkit"
# record_fields(time, kind, fields) takes the fields as a dict (the facade forwards them).
RECORDERS = {"record", "_record", "record_fields"}
# The log and the catalogue themselves, not recording sites.
SKIPPED = {"eventlog.py", "events.py"}
# Functions that hand on a kind they were given (by name, not a literal): the facade's
# record method, the writer it gives its transactions, and a transaction's commit, which
# writes the events it staged.
FORWARDERS = {
    ("simkit/simulation.py", "record"),
    ("simkit/simulation.py", "transaction"),
    ("simkit/state/cluster.py", "commit"),
}


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _function(node: ast.AST, parents) -> ast.FunctionDef | None:
    while node in parents:
        node = parents[node]
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            return node
    return None


def _kinds(node: ast.expr) -> list[str | re.Pattern]:
    """The kinds a kind argument can be: names, or a pattern for an f-string."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _kinds(node.body) + _kinds(node.orelse)
    if isinstance(node, ast.JoinedStr):
        parts = [
            re.escape(v.value) if isinstance(v, ast.Constant) else "[a-z_]+" for v in node.values
        ]
        return [re.compile("".join(parts))]
    raise AssertionError(f"kind is not a literal: {ast.unparse(node)}")


def _built_keys(function: ast.FunctionDef) -> set[str]:
    """The string keys a helper puts in the dicts it builds: ``{"k": ...}``,
    ``dict(k=...)`` and ``d["k"] = ...``."""
    keys = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Dict):
            keys.update(k.value for k in node.keys if isinstance(k, ast.Constant))
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and (node.func.id == "dict")
        ):
            keys.update(kw.arg for kw in node.keywords if kw.arg)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant):
                    keys.add(target.slice.value)
    return keys


def _callee(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _splat_keys(value: ast.expr, call: ast.Call, tree, parents, where: str) -> set[str]:
    """The field names a ``**value`` in a record call stands for."""
    functions = {f.name: f for f in ast.walk(tree) if isinstance(f, ast.FunctionDef)}
    if isinstance(value, ast.Call) and _callee(value.func) in functions:
        return _built_keys(functions[_callee(value.func)])
    if isinstance(value, ast.Name):
        function = _function(call, parents)
        if function is not None and function.args.kwarg and (function.args.kwarg.arg == value.id):
            # the enclosing function's **kwargs: the keywords of its calls in the module
            keys = set()
            for node in ast.walk(tree):
                if isinstance(node, ast.Call) and _callee(node.func) == function.name:
                    keys.update(kw.arg for kw in node.keywords if kw.arg)
            assert keys, f"{where}: no call of {function.name} passes fields"
            return keys
        for node in ast.walk(function or tree):  # for value in helper(...):
            if (
                isinstance(node, ast.For)
                and isinstance(node.target, ast.Name)
                and node.target.id == value.id
                and isinstance(node.iter, ast.Call)
                and _callee(node.iter.func) in functions
            ):
                return _built_keys(functions[_callee(node.iter.func)])
    raise AssertionError(f"{where}: cannot tell which fields **{ast.unparse(value)} holds")


def recording_sites(root: Path = ROOT):
    """``(where, kinds, fields)`` for every record call under ``root``."""
    for path in sorted(root.rglob("*.py")):
        if path.name in SKIPPED:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        parents = _parents(tree)
        for call in ast.walk(tree):
            if not (
                isinstance(call, ast.Call)
                and _callee(call.func) in RECORDERS
                and isinstance(call.func, ast.Attribute)
                and call.args
            ):
                continue
            where = f"{path.relative_to(root.parent)}:{call.lineno}"
            if _callee(call.func) == "record_fields":  # (time, kind, fields) or (kind, fields)
                kind = call.args[1] if len(call.args) == 3 else call.args[0]
            else:
                kind = call.args[-1] if len(call.args) == 2 else call.args[0]
            function = _function(call, parents)
            if (
                isinstance(kind, ast.Name)
                and function is not None
                and (str(path.relative_to(root.parent)), function.name) in FORWARDERS
            ):
                yield where, None, set()
                continue
            fields = set()
            for keyword in call.keywords:
                if keyword.arg:
                    fields.add(keyword.arg)
                else:
                    fields |= _splat_keys(keyword.value, call, tree, parents, where)
            yield where, _kinds(kind), fields


SITES = [site for site in recording_sites() if site[1] is not None]


def test_the_scan_sees_the_recording_sites():
    """A scan that finds nothing passes everything: the known sites are found."""
    by_kind: dict[str, set[str]] = {}
    for _, kinds, fields in SITES:  # a kind's fields over all its sites
        for kind in kinds:
            if isinstance(kind, str):
                by_kind.setdefault(kind, set()).update(fields)
    assert len(SITES) > 60
    assert by_kind["pull"] >= {"decision", "bytes", "credential", "error", "pull_through"}
    assert by_kind["tag_updated"] >= {"image", "previous_image", "generation"}
    assert {"rolebinding_created", "rolebinding_updated"} <= set(by_kind)
    assert any(isinstance(k, re.Pattern) for _, kinds, _ in SITES for k in kinds)
    forwarding = [where for where, kinds, _ in recording_sites() if kinds is None]
    assert len(forwarding) == len(FORWARDERS), forwarding


def catalogue_problems(sites) -> list[str]:
    """One message per recorded kind or field that the catalogue does not declare."""
    found = []
    for where, kinds, fields in sites:
        for kind in kinds:
            if isinstance(kind, str):
                declared = CATALOGUE[kind].fields if kind in CATALOGUE else None
                if declared is None:
                    found.append(f"{where}: kind {kind!r} is not in the catalogue")
                    continue
                found += [
                    f"{where}: {kind} field {f!r} is not in the catalogue"
                    for f in sorted(fields - set(declared))
                ]
                continue
            matching = [spec for name, spec in CATALOGUE.items() if kind.fullmatch(name)]
            if not matching:
                found.append(f"{where}: no catalogued kind matches {kind.pattern!r}")
            for field in sorted(fields):
                if not any(field in spec.fields for spec in matching):
                    found.append(
                        f"{where}: field {field!r} of {kind.pattern!r} is in no "
                        "catalogued kind it matches"
                    )
    return found


def test_every_recorded_kind_and_field_is_in_the_catalogue():
    found = catalogue_problems(SITES)
    assert not found, "\n".join(found)


def test_the_scan_fails_on_an_unknown_kind_or_field(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "mod.py").write_text(
        textwrap.dedent("""
        def emit(sim, **extra):
            sim.record("pull", node="n", colour="red", **extra)
            sim.record("pulled" if sim else "node_lost", node="n")
            sim.record(f"{sim}_created", name="x", hue=1)
            sim.record(f"{sim}_exploded")
        def go(sim):
            emit(sim, shade="dark")
    """)
    )
    sites = list(recording_sites(tmp_path / "pkg"))
    assert [(kinds, fields) for _, kinds, fields in sites][:2] == [
        (["pull"], {"node", "colour", "shade"}),
        (["pulled", "node_lost"], {"node"}),
    ]
    assert catalogue_problems(sites) == [
        "pkg/mod.py:3: pull field 'colour' is not in the catalogue",
        "pkg/mod.py:3: pull field 'shade' is not in the catalogue",
        "pkg/mod.py:4: kind 'pulled' is not in the catalogue",
        "pkg/mod.py:5: field 'hue' of '[a-z_]+_created' is in no catalogued kind it matches",
        "pkg/mod.py:6: no catalogued kind matches '[a-z_]+_exploded'",
    ]


def test_constants_name_their_kinds():
    assert events.PULL == "pull" and events.TAG_UPDATED == "tag_updated"
    constants = {getattr(events, n) for n in events.__all__ if n.isupper() and n != "CATALOGUE"}
    assert constants == set(CATALOGUE)
    for name, spec in CATALOGUE.items():
        assert spec.name == name and spec.meaning and "\n" not in spec.meaning
        assert all(types for types in spec.fields.values())
    with pytest.raises(ValueError, match="declared twice"):
        events._kind("pull", "again")


def test_problems_checks_types():
    assert problems("pull", {"latency": 2, "bytes": 10, "pull_through": False}) == []
    assert problems("pull", {"bytes": True}) == ["pull: field 'bytes' is bool, not int"]
    assert problems("pod_status", {"digest": None}) == []
    assert problems("pod_status", {"pod": None}) == ["pod_status: field 'pod' is NoneType, not str"]


# -- records of real runs ---------------------------------------------------------------------
def _log_problems(sim) -> list[str]:
    found = set()
    for record in sim.log:
        kind = record.pop("kind")
        record.pop("time")
        found.update(problems(kind, record))
    return sorted(found)


@pytest.mark.parametrize("scenario", ["default", "cross-project-access"])
def test_every_record_of_a_scenario_is_in_the_catalogue(scenario):
    from simkit.scenarios import run

    path = ROOT / "data" / "scenarios" / f"{scenario}.yaml"
    sim = run(path, {"duration": "2d"})
    kinds = set(sim.log.kinds())
    assert {"pull", "import", "tag_updated", "registry_push", "pod_status"} <= kinds
    assert _log_problems(sim) == []


MANIFESTS = """
apiVersion: v1
kind: List
items:
- {apiVersion: project.openshift.io/v1, kind: Project, metadata: {name: team}}
- {apiVersion: project.openshift.io/v1, kind: Project, metadata: {name: default}}
- {apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, metadata: {name: reader},
   rules: [{apiGroups: [image.openshift.io], resources: [imagestreams], verbs: [get]}]}
- {apiVersion: rbac.authorization.k8s.io/v1, kind: Role, metadata: {name: r, namespace: team},
   rules: [{apiGroups: [image.openshift.io], resources: [imagestreams], verbs: [get]}]}
- {apiVersion: rbac.authorization.k8s.io/v1, kind: RoleBinding,
   metadata: {name: readers, namespace: team}, roleRef: {kind: ClusterRole, name: reader},
   subjects: [{kind: Group, name: qa}]}
- {apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRoleBinding, metadata: {name: all},
   roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: reader},
   subjects: [{kind: Group, name: qa}]}
- {apiVersion: user.openshift.io/v1, kind: Group, metadata: {name: qa}, users: [carol]}
- {apiVersion: user.openshift.io/v1, kind: User, metadata: {name: carol}}
- {apiVersion: v1, kind: ServiceAccount, metadata: {name: robot, namespace: team}}
- {apiVersion: v1, kind: ServiceAccount, metadata: {name: default, namespace: default}}
- {apiVersion: v1, kind: Secret, metadata: {name: s, namespace: team}, type: Opaque,
   stringData: {note: x}}
- {apiVersion: image.openshift.io/v1, kind: ImageStream, metadata: {name: app, namespace: team},
   spec: {tags: [{name: "1", from: {kind: DockerImage, name: quay.io/acme/app:1}}]}}
- {apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: team},
   spec: {replicas: 1, template: {spec: {containers: [{name: web, image: quay.io/a/b:1}]}}}}
"""


def test_every_record_of_a_manifest_load_and_apply_is_in_the_catalogue(tmp_path):
    """The manifest loader names its kinds after the store: each one it makes is declared."""
    path = tmp_path / "all.yaml"
    path.write_text(MANIFESTS)
    sim = load_manifests(str(path))
    sim.registry("quay.io").push("acme/app", "1")
    sim.advance("1m")
    changed = (
        MANIFESTS.replace("users: [carol]", "users: [carol, dave]")
        .replace("name: qa}]}", "name: ops}]}")
        .replace("note: x", "note: y")
        .replace("replicas: 1", "replicas: 2")
        .replace("verbs: [get]", "verbs: [list]")
        .replace("name: carol}}", "name: carol}, fullName: Carol}")
        .replace(
            "name: robot, namespace: team}}",
            "name: robot, namespace: team}, imagePullSecrets: [{name: s}]}",
        )
    )
    path.write_text(changed)
    sim.oc(f"apply -f {path}")
    sim.advance("1m")
    kinds = set(sim.log.kinds())
    assert {
        "clusterrole_created",
        "role_created",
        "user_created",
        "group_created",
        "clusterrolebinding_created",
        "secret_created",
        "serviceaccount_updated",
        "group_updated",
        "secret_updated",
        "deployment_updated",
        "clusterrolebinding_updated",
        "rolebinding_updated",
    } <= kinds, kinds
    assert _log_problems(sim) == []
