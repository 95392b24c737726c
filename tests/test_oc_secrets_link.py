"""``oc secrets link`` / ``oc secrets unlink`` against openshift/oc ``pkg/cli/secrets``.

openshift/oc (commit 6b8e30c5b39aa742147846341a203905e04834f3) has no ``*_test.go`` for
``secrets.go``, ``link.go`` or ``unlink.go`` (nor ever had one: ``git log --all`` finds
none).  The upstream cases are origin's command test for them,
``test/extended/testdata/cmd/test/cmd/secrets.sh`` (openshift/origin commit
3903fb6e4f9fce1f511555767cca02cb2f553972): its 20 ``oc secrets link``/``unlink`` lines are
restated in order by :data:`ORIGIN_STEPS`.  The other tests are derived from the code paths
of ``SecretOptions.Complete``/``Validate``/``GetServiceAccount``/``GetSecrets``,
``LinkSecretOptions.Complete``/``linkSecretsToServiceAccount`` and
``unlinkSecretsFromServiceAccount``, the ``k8s.io/cli-runtime`` builder
(``ResourceNames``/``splitResourceTypeName``) and pflag's ``StringSlice``.
"""

from __future__ import annotations

import copy
import itertools
import json

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import simkit as sk
from simkit.oc import OcError
from simkit.oc.commands.secret_links import parse_string_slice

NS = "default"


@pytest.fixture(scope="module")
def sim() -> sk.Simulation:
    """One simulation for the module; each test works on its own service account."""
    return sk.Simulation(seed=7)


_ids = itertools.count()


@pytest.fixture
def sa(sim: sk.Simulation) -> str:
    """A fresh service account with empty lists, and secrets ``<sa>-a``, ``-b``, ``-c``."""
    name = f"robot{next(_ids)}"
    sim.oc(f"create sa {name}")
    for suffix in "abc":
        sim.oc(f"create secret generic {name}-{suffix} --from-literal=k=v")
    return name


def lists(sim: sk.Simulation, name: str, namespace: str = NS) -> tuple[list[str], list[str]]:
    account = sim.cluster.get("ServiceAccount", (namespace, name))
    return list(account.secrets), list(account.image_pull_secrets)


def snapshot(sim: sk.Simulation) -> tuple:
    """Every stored object by identity (a commit replaces what it changes), the accounts
    and secrets by value, the log's length and the current project."""
    stores = sim.cluster._stores
    identities = {
        kind: {key: id(obj) for key, obj in store.items()} for kind, store in stores.items()
    }
    values = copy.deepcopy({kind: stores.get(kind) for kind in ("ServiceAccount", "Secret")})
    return identities, values, len(sim.log), sim.current_project


def fails(sim: sk.Simulation, line: str) -> str:
    """Run ``line``, expect an OcError, check nothing changed; the message."""
    before = snapshot(sim)
    with pytest.raises(OcError) as info:
        sim.oc(line)
    assert snapshot(sim) == before, f"{line!r} failed but changed the cluster or the log"
    return str(info.value)


def delete_secret(sim: sk.Simulation, name: str, namespace: str = NS) -> None:
    tx = sim.transaction()
    tx.delete("Secret", (namespace, name))
    tx.commit()


def events(sim: sk.Simulation, kind: str) -> list[dict]:
    return [
        {k: v for k, v in e.items() if k not in ("time", "kind")}
        for e in sim.log
        if e["kind"] == kind
    ]


# --- origin test/extended/testdata/cmd/test/cmd/secrets.sh, restated in order -------------
# (line, exit status 0?, text expected in the output, secrets after, imagePullSecrets after)
# with DC the deployer's own dockercfg secret, present in both lists from the start.
DC = "<dockercfg>"
_S1 = [DC, "dockerconfigjson"]
_S2 = [*_S1, "from-file"]
_P2 = [DC, "dockerconfigjson", "from-file"]
_S3 = [*_S2, "basicauth"]
_S4 = [*_S3, "sshauth"]
_P4 = [*_P2, "basicauth", "sshauth"]
_S5 = [*_S4, "deleted-secret"]
_S6 = [*_S2, "sshauth", "basicauth"]  # basicauth unlinked, then linked again for mount
_UNLINKED_DELETED = "error: Unlinked deleted secrets from default/deployer service account"
OK, FAIL, FAIL_CHANGED = "ok", "fail", "fail-changed"
"""How the step ends in oc: exit 0; exit 1 changing nothing (simkit raises OcError);
exit 1 after updating the account (simkit keeps the update and returns oc's text)."""
ORIGIN_STEPS = (
    # attach secrets to service account / single secret with prefix
    ("oc secrets link deployer dockerconfigjson", OK, "", _S1, [DC]),
    # don't add the same secret twice
    (
        "oc secrets link serviceaccounts/deployer dockerconfigjson secrets/from-file",
        OK,
        "",
        _S2,
        [DC],
    ),
    # make sure we can add as as pull secret
    ("oc secrets link deployer dockerconfigjson from-file --for=pull", OK, "", _S2, _P2),
    # make sure we can add as as pull secret and mount secret at once
    (
        "oc secrets link serviceaccounts/deployer secrets/dockerconfigjson secrets/from-file "
        "--for=pull,mount",
        OK,
        "",
        _S2,
        _P2,
    ),
    # attach secrets to service account (deprecated): the same four with basicauth, sshauth
    ("oc secrets link deployer basicauth", OK, "", _S3, _P2),
    ("oc secrets link deployer basicauth sshauth", OK, "", _S4, _P2),
    ("oc secrets link deployer basicauth sshauth --for=pull", OK, "", _S4, _P4),
    ("oc secrets link deployer basicauth sshauth --for=pull,mount", OK, "", _S4, _P4),
    # test that those secrets can be unlinked after they have been deleted
    ("oc secrets link deployer deleted-secret", OK, "", _S5, _P4),
    ("DELETE deleted-secret", None, None, _S5, _P4),  # oc delete secret deleted-secret
    # expect_failure_and_text ... 'Unlinked deleted secrets'; the secret is unlinked
    (
        "oc secrets unlink deployer secrets/deleted-secret",
        FAIL_CHANGED,
        f'secret "secrets/deleted-secret" not found\n{_UNLINKED_DELETED}\n',
        _S4,
        _P4,
    ),
    # the same four links again: all already there
    ("oc secrets link deployer basicauth", OK, "", _S4, _P4),
    ("oc secrets link deployer basicauth sshauth", OK, "", _S4, _P4),
    ("oc secrets link deployer basicauth sshauth --for=pull", OK, "", _S4, _P4),
    ("oc secrets link deployer basicauth sshauth --for=pull,mount", OK, "", _S4, _P4),
    # Remove secrets from service account; confirm that the secret was removed
    (
        "oc secrets unlink deployer basicauth",
        OK,
        "serviceaccount/deployer updated\n",
        [*_S2, "sshauth"],
        [*_P2, "sshauth"],
    ),
    # Re-link that secret
    ("oc secrets link deployer basicauth", OK, "", _S6, [*_P2, "sshauth"]),
    # Removing a non-existent secret should warn ... and change nothing (exit 1)
    (
        "oc secrets unlink deployer foobar",
        FAIL,
        'secret "foobar" not found\n'
        "error: No valid secrets found or secrets not linked to service account",
        _S6,
        [*_P2, "sshauth"],
    ),
    # removing an existent and non-existent secret warns about the non-existent one; the
    # existing secret is removed
    (
        "oc secrets unlink deployer foobar basicauth",
        FAIL_CHANGED,
        f'secret "foobar" not found\n{_UNLINKED_DELETED}\n',
        [*_S2, "sshauth"],
        [*_P2, "sshauth"],
    ),
    # removing a real but unlinked secret fails
    (
        "oc secrets unlink deployer basicauth",
        FAIL,
        "error: No valid secrets found or secrets not linked to service account",
        [*_S2, "sshauth"],
        [*_P2, "sshauth"],
    ),
    # it succeeds if *any* of the secrets are linked; the linked one was removed
    (
        "oc secrets unlink deployer basicauth sshauth",
        OK,
        "serviceaccount/deployer updated\n",
        _S2,
        _P2,
    ),
)


def test_origin_cmd_secrets_sh_link_and_unlink(tmp_path):
    """origin ``test/extended/testdata/cmd/test/cmd/secrets.sh`` (3903fb6e): every
    ``oc secrets link``/``unlink`` line in order, with oc's whole output and the account's
    two lists after each (the script checks the exit status, a text and ``grep``s)."""
    sim = sk.Simulation(seed=3)
    dockercfg = sim.cluster.get("ServiceAccount", (NS, "deployer")).secrets[0]
    sim.oc(
        "create secret docker-registry dockerconfigjson --docker-username=sample-user "
        "--docker-password=sample-password --docker-email=fake@example.org"
    )
    config = tmp_path / "dockerconfigjson"
    config.write_bytes(
        sim.cluster.get("Secret", (NS, "dockerconfigjson")).data[".dockerconfigjson"]
    )
    sim.oc(
        f"create secret generic from-file --from-file=.dockerconfigjson={config} "
        "--type=kubernetes.io/dockerconfigjson"
    )
    sim.oc(
        "create secret generic basicauth --type=kubernetes.io/basic-auth "
        "--from-literal=username=sample-user --from-literal=password=sample-password"
    )
    sim.oc("create secret generic sshauth --from-literal=ssh-privatekey=test_data")
    sim.oc("create secret generic deleted-secret")
    assert lists(sim, "deployer") == ([dockercfg], [dockercfg])
    restated = 0
    for i, (line, how, text, mount, pull) in enumerate(ORIGIN_STEPS):
        if line.startswith("DELETE "):
            delete_secret(sim, line.split()[1])
            continue
        restated += 1
        where = f"step {i}: {line}"
        output = fails(sim, line) if how == FAIL else sim.oc(line)
        assert output == text, where
        assert ("error:" in output) == (how != OK), where
        want = (
            [dockercfg if n == DC else n for n in mount],
            [dockercfg if n == DC else n for n in pull],
        )
        assert lists(sim, "deployer") == want, where
    assert restated == 20


def test_origin_unlink_of_a_deleted_secret_prints_both_lines():
    """secrets.sh: ``oc secrets unlink deployer foobar basicauth`` writes ``secret "foobar"
    not found`` (GetSecrets, stderr) and then fails with ``Unlinked deleted secrets``."""
    sim = sk.Simulation(seed=3)
    sim.oc("create secret generic basicauth --from-literal=k=v")
    sim.oc("secrets link deployer basicauth")
    out = sim.oc("oc secrets unlink deployer foobar basicauth")
    assert out == f'secret "foobar" not found\n{_UNLINKED_DELETED}\n'
    assert "basicauth" not in lists(sim, "deployer")[0]
    assert events(sim, "secret_unlinked")[-1] == {
        "namespace": NS,
        "service_account": "deployer",
        "secret": "basicauth",
        "uses": "mount",
    }


# --- Complete and Validate: arguments and --for ---------------------------------------------
@pytest.mark.parametrize(
    ("verb", "args"),
    [
        ("link", ""),
        ("link", "robot"),
        ("link", "robot --for=bogus"),
        ("link", "-n default"),
        ("unlink", ""),
        ("unlink", "robot"),
        ("unlink", "-n default robot"),
    ],
)
def test_fewer_than_two_arguments(sim, verb, args):
    """``SecretOptions.Complete``: the argument count is checked first (before --for)."""
    assert fails(sim, f"secrets {verb} {args}") == (
        "error: must have service account name and at least one secret name"
    )


@pytest.mark.parametrize(
    ("flags", "mount", "pull"),
    [
        ("", True, False),  # the default is mount
        ("--for=mount", True, False),
        ("--for=pull", False, True),
        ("--for=pull,mount", True, True),
        ("--for=mount,pull", True, True),
        ("--for pull", False, True),  # the value as the next argument
        ("--for=Pull", False, True),  # strings.ToLower before the switch
        ("--for=PULL,Mount", True, True),
        ("--for=pull --for=mount", True, True),  # a repeated flag appends
        ("--for=pull --for=pull", False, True),
        ("--for=", True, False),  # an empty slice: mount
        ("--for=pull --for=", False, True),  # an empty occurrence adds nothing
        ("--for='\"pull\"'", False, True),  # a quoted CSV field
    ],
)
def test_for_values(sim, sa, flags, mount, pull):
    assert sim.oc(f"secrets link {sa} {sa}-a {flags}") == ""
    assert lists(sim, sa) == ([f"{sa}-a"] if mount else [], [f"{sa}-a"] if pull else [])


@pytest.mark.parametrize(
    ("flags", "shown"),
    [
        ("--for=bogus", "bogus"),
        ("--for=Bogus", "Bogus"),  # shown as typed, not lowered
        ("--for=pull,", ""),  # the second CSV field is empty
        ("--for=pull,,mount", ""),
        ("--for=' pull'", " pull"),  # no trimming
        ("--for=pull --for=secret", "secret"),
        ("--for='\"pull,mount\"'", "pull,mount"),  # one quoted field
        ("--for=mount,pulls", "pulls"),
    ],
)
def test_unknown_for_value(sim, sa, flags, shown):
    """``LinkSecretOptions.Complete``: ``unknown for: %v`` with the value as given."""
    assert fails(sim, f"secrets link {sa} {sa}-a {flags}") == f"error: unknown for: {shown}"


def test_unknown_for_is_reported_before_the_argument_forms(sim, sa):
    """Complete (``--for``) runs before Validate (the ``secret/`` prefix check)."""
    assert fails(sim, f"secrets link {sa} sa/x --for=bogus") == "error: unknown for: bogus"


@pytest.mark.parametrize(
    "flags", ["--for='pu\"ll'", "--for=pull --for='pu\"ll' --for=x", "--for='pu\"ll' --for='\"'"]
)
def test_for_that_is_not_csv(sim, sa, flags):
    """pflag reads each occurrence with Go's ``encoding/csv``: a bare quote is a flag error,
    reported for the first occurrence that has one, before the arguments are looked at."""
    message = fails(sim, f"secrets link {sa} {flags}")
    assert message == (
        'error: invalid argument "pu\\"ll" for "--for" flag: parse error on '
        'line 1, column 3: bare " in non-quoted-field\n'
        "See 'oc secrets link --help' for usage."
    )


def test_unlink_has_no_for_flag(sim, sa):
    assert fails(sim, f"secrets unlink {sa} {sa}-a --for=pull").startswith(
        "error: unknown flag: --for"
    )


@pytest.mark.parametrize(
    "values,expected",
    [
        ([], ["mount"]),
        ([""], []),
        (["a,b"], ["a", "b"]),
        (["a", "b,c"], ["a", "b", "c"]),
        (['"a,b",c'], ["a,b", "c"]),
        (['"a""b"'], ['a"b']),
        (["a,"], ["a", ""]),
        ([",a"], ["", "a"]),
        (["a\nb"], ["a"]),
    ],
)
def test_parse_string_slice(values, expected):
    assert parse_string_slice(values, ["mount"]) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"a\nb",c', ["a\nb", "c"]),  # a quoted field runs over lines
        ("\n\npull", ["pull"]),  # empty lines before the record
        ("pull\r\nmount", ["pull"]),
        ("pull\r", ["pull"]),
        ('"a"', ["a"]),
        ('""', [""]),
        ('a,"b"', ["a", "b"]),
        ('"a",', ["a", ""]),
    ],
)
def test_parse_string_slice_go_csv(value, expected):
    """Go's ``encoding/csv`` ``Reader.Read``: the first record only."""
    assert parse_string_slice([value], []) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ('pu"ll', 'parse error on line 1, column 3: bare " in non-quoted-field'),
        ('a"', 'parse error on line 1, column 2: bare " in non-quoted-field'),
        ('x,"y', 'parse error on line 1, column 5: extraneous or missing " in quoted-field'),
        ('"a', 'parse error on line 1, column 3: extraneous or missing " in quoted-field'),
        ('"abc"x', 'parse error on line 1, column 5: extraneous or missing " in quoted-field'),
        ('é,"b"x', 'parse error on line 1, column 6: extraneous or missing " in quoted-field'),
        (
            '"a\nb"c',
            'record on line 1; parse error on line 2, column 2: extraneous or missing " '
            "in quoted-field",
        ),
        ("\n", "EOF"),
    ],
)
def test_parse_string_slice_rejects_what_go_rejects(value, message):
    """``csv.ParseError`` texts (1-based byte columns), as pflag wraps them."""
    with pytest.raises(ValueError) as info:
        parse_string_slice([value], [])
    assert str(info.value) == message


def test_empty_service_account_name(sim, sa):
    """``SecretOptions.Validate``: ``service account name must be present``."""
    assert fails(sim, f"secrets link '' {sa}-a") == "error: service account name must be present"
    assert fails(sim, f"secrets unlink '' {sa}-a") == (
        "error: service account name must be present"
    )


@pytest.mark.parametrize("verb", ["link", "unlink"])
@pytest.mark.parametrize(
    "arg", ["sa/x", "Secret/x", "SECRETS/x", "serviceaccounts/x", "configmap/x", "/x", "a/b/c"]
)
def test_secret_argument_of_another_type(sim, sa, verb, arg):
    """``Validate``: a secret given as ``TYPE/NAME`` needs TYPE ``secret`` or ``secrets``,
    exactly (``strings.Split`` and ``!=``); checked before the account is fetched."""
    message = f'error: expected resource of type secret, got "{arg}"'
    assert fails(sim, f"secrets {verb} {sa} {sa}-a {arg}") == message
    assert fails(sim, f"secrets {verb} nosuchsa {arg}") == message


# --- the service account ----------------------------------------------------------------------
@pytest.mark.parametrize(
    "form",
    [
        "{}",
        "serviceaccounts/{}",
        "serviceaccount/{}",
        "sa/{}",
        "ServiceAccount/{}",
        "SERVICEACCOUNTS/{}",
    ],
)
def test_service_account_forms(sim, sa, form):
    """``GetServiceAccount``: ``ResourceNames("serviceaccounts", NAME)``; a typed name maps
    through the REST mapper (plural and singular in any case, short name ``sa``)."""
    target = form.format(sa)
    assert sim.oc(f"secrets link {target} {sa}-a --for=pull") == ""
    assert lists(sim, sa) == ([], [f"{sa}-a"])
    assert sim.oc(f"secrets unlink {target} {sa}-a") == f"serviceaccount/{sa} updated\n"


@pytest.mark.parametrize("verb", ["link", "unlink"])
def test_missing_service_account_is_fatal(sim, sa, verb):
    """The account is fetched before the secrets: no ``secret ... not found`` lines."""
    for target in ("nosuchsa", "sa/nosuchsa", "serviceaccounts/nosuchsa"):
        assert fails(sim, f"secrets {verb} {target} {sa}-a missing") == (
            'Error from server (NotFound): serviceaccounts "nosuchsa" not found'
        )


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("SA/{sa}", 'error: the server doesn\'t have a resource type "SA"'),
        ("widgets/{sa}", 'error: the server doesn\'t have a resource type "widgets"'),
        ("widgets.example.com/{sa}", 'error: the server doesn\'t have a resource type "widgets"'),
        ("sa,sa/{sa}", 'error: the server doesn\'t have a resource type "sa,sa"'),
        ("secret/nosuch", 'Error from server (NotFound): secrets "nosuch" not found'),
        ("pods/nosuch", 'Error from server (NotFound): pods "nosuch" not found'),
        (
            "secret/{sa}-a",
            'error: unhandled object: &v1.Secret{Name:"{sa}-a", Namespace:"default", ...}',
        ),
        ("sa/{sa}/x", "error: arguments in resource/name form may not have more than one slash"),
        ("sa/", "error: arguments in resource/name form must have a single resource and name"),
        ("/{sa}", "error: arguments in resource/name form must have a single resource and name"),
        (
            "sa,pods/{sa}",
            "error: arguments in resource/name form must have a single resource and name",
        ),
    ],
)
def test_service_account_argument_errors(sim, sa, target, message):
    """The builder (``splitResourceTypeName``, ``mappingFor``) and ``GetServiceAccount``'s
    type switch; a secret's data never appears in the ``unhandled object`` message."""
    target = target.replace("{sa}", sa)
    message = message.replace("{sa}", sa)
    assert fails(sim, f"secrets link {target} {sa}-a") == message
    assert fails(sim, f"secrets unlink {target} {sa}-a") == message


def test_namespace_flag(sim):
    sim.oc("new-project other")
    sim.oc(f"project {NS}")
    sim.oc("create sa ci -n other")
    sim.oc("create secret generic reg -n other --from-literal=k=v")
    assert fails(sim, "secrets link ci reg") == (
        'Error from server (NotFound): serviceaccounts "ci" not found'
    )
    assert sim.oc("secrets link ci reg --for=pull -n other") == ""
    assert lists(sim, "ci", "other") == ([], ["reg"])
    assert sim.oc("secrets unlink -n other ci reg") == "serviceaccount/ci updated\n"


# --- link ----------------------------------------------------------------------------------
def test_link_appends_sorted_unique_names(sim, sa):
    """``secretsToLink.List()`` is sorted; a name given twice (even as ``secret/NAME``) is
    linked once."""
    line = f"secrets link {sa} {sa}-c {sa}-a secret/{sa}-c secrets/{sa}-b {sa}-a --for=pull,mount"
    assert sim.oc(line) == ""
    names = [f"{sa}-a", f"{sa}-b", f"{sa}-c"]
    assert lists(sim, sa) == (names, names)


def test_link_keeps_existing_entries_first(sim, sa):
    sim.oc(f"secrets link {sa} {sa}-c")
    sim.oc(f"secrets link {sa} {sa}-b {sa}-a {sa}-c")
    assert lists(sim, sa) == ([f"{sa}-c", f"{sa}-a", f"{sa}-b"], [])


def test_link_twice_changes_nothing(sim, sa):
    """Idempotence: nothing to add means no update and no ``secret_linked`` event."""
    first = snapshot(sim)
    sim.oc(f"secrets link {sa} {sa}-a --for=pull,mount")
    assert snapshot(sim) != first  # the check ``fails`` makes can see a change
    before = lists(sim, sa)
    linked = len(events(sim, "secret_linked"))
    assert sim.oc(f"secrets link {sa} {sa}-a --for=pull,mount") == ""
    assert lists(sim, sa) == before
    assert len(events(sim, "secret_linked")) == linked


def test_link_records_what_it_added(sim, sa):
    sim.oc(f"secrets link {sa} {sa}-a")
    sim.oc(f"secrets link {sa} {sa}-a {sa}-b --for=pull,mount")
    assert events(sim, "secret_linked")[-3:] == [
        {"namespace": NS, "service_account": sa, "secret": f"{sa}-a", "uses": "mount"},
        {"namespace": NS, "service_account": sa, "secret": f"{sa}-a", "uses": "pull"},
        {"namespace": NS, "service_account": sa, "secret": f"{sa}-b", "uses": "mount,pull"},
    ]


def test_a_missing_secret_among_several_is_reported_and_the_rest_linked(sim, sa):
    """``GetSecrets(false)`` prints ``secret %q not found`` and skips it; the account is
    updated, so the command succeeds (``Some secrets could not be linked`` is only
    returned when nothing was added)."""
    out = sim.oc(f"secrets link {sa} missing {sa}-a secrets/gone --for=pull")
    assert out == 'secret "missing" not found\nsecret "secrets/gone" not found\n'
    assert lists(sim, sa) == ([], [f"{sa}-a"])


def test_missing_secret_when_nothing_else_is_new_fails(sim, sa):
    sim.oc(f"secrets link {sa} {sa}-a")
    assert fails(sim, f"secrets link {sa} {sa}-a missing") == (
        'secret "missing" not found\nerror: Some secrets could not be linked'
    )


def test_missing_secret_is_not_linked_for_another_use_either(sim, sa):
    sim.oc(f"secrets link {sa} {sa}-a --for=mount")
    out = sim.oc(f"secrets link {sa} {sa}-a missing --for=pull,mount")
    assert out == 'secret "missing" not found\n'
    assert lists(sim, sa) == ([f"{sa}-a"], [f"{sa}-a"])


def test_no_secret_found_is_fatal(sim, sa):
    assert fails(sim, f"secrets link {sa} missing secret/gone") == (
        'secret "missing" not found\nsecret "secret/gone" not found\nerror: No valid secrets found'
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ("secret/a/b", "error: arguments in resource/name form may not have more than one slash"),
        ("secret/", "error: arguments in resource/name form must have a single resource and name"),
        ("secrets,secret/x", None),  # Validate: "secrets,secret" is not secret(s)
        ("''", "error: resource name may not be empty"),
    ],
)
def test_secret_builder_errors_are_fatal(sim, sa, args, message):
    """A builder error in ``GetSecrets`` ends the command after the lines already printed."""
    line = f"secrets link {sa} missing {sa}-a {args}"
    if message is None:
        assert fails(sim, line) == f'error: expected resource of type secret, got "{args}"'
        return
    assert fails(sim, line) == f'secret "missing" not found\n{message}'
    assert fails(sim, f"secrets unlink {sa} missing {sa}-a {args}") == (
        f'secret "missing" not found\n{message}'
    )


def test_link_does_not_look_at_the_secret_type(sim, sa):
    """link checks existence only: an Opaque secret links for pull as well."""
    assert sim.oc(f"secrets link {sa} {sa}-a --for=pull") == ""
    assert sim.cluster.get("Secret", (NS, f"{sa}-a")).type == "Opaque"


def test_secret_alias(sim, sa):
    """``oc secret`` is an alias of ``oc secrets`` (``Aliases: []string{"secret"}``)."""
    assert sim.oc(f"secret link {sa} {sa}-a --for=Pull") == ""
    assert sim.oc(f"secret unlink {sa} {sa}-a") == f"serviceaccount/{sa} updated\n"


# --- unlink --------------------------------------------------------------------------------
def test_unlink_removes_from_both_lists_and_keeps_the_others(sim, sa):
    sim.oc(f"secrets link {sa} {sa}-a {sa}-b {sa}-c --for=pull,mount")
    assert sim.oc(f"secrets unlink {sa} secret/{sa}-b") == f"serviceaccount/{sa} updated\n"
    assert lists(sim, sa) == ([f"{sa}-a", f"{sa}-c"], [f"{sa}-a", f"{sa}-c"])
    assert events(sim, "secret_unlinked")[-1] == {
        "namespace": NS,
        "service_account": sa,
        "secret": f"{sa}-b",
        "uses": "mount,pull",
    }


def test_unlink_removes_every_occurrence(sim, sa):
    tx = sim.transaction()
    account = tx.edit("ServiceAccount", (NS, sa))
    account.secrets = [f"{sa}-a", f"{sa}-b", f"{sa}-a"]
    account.image_pull_secrets = [f"{sa}-a"]
    tx.commit()
    sim.oc(f"secrets unlink {sa} {sa}-a")
    assert lists(sim, sa) == ([f"{sa}-b"], [])


def test_unlink_from_one_list_only(sim, sa):
    sim.oc(f"secrets link {sa} {sa}-a --for=pull")
    assert sim.oc(f"secrets unlink {sa} {sa}-a") == f"serviceaccount/{sa} updated\n"
    assert lists(sim, sa) == ([], [])


def test_unlink_of_unlinked_secrets_fails(sim, sa):
    sim.oc(f"secrets link {sa} {sa}-a")
    assert fails(sim, f"secrets unlink {sa} {sa}-b {sa}-c") == (
        "error: No valid secrets found or secrets not linked to service account"
    )
    assert fails(sim, f"secrets unlink {sa} missing") == (
        'secret "missing" not found\n'
        "error: No valid secrets found or secrets not linked to service account"
    )


def test_unlink_of_a_deleted_secret_keeps_the_change(sim, sa):
    """oc updates the account, then exits 1 with ``Unlinked deleted secrets``: the one
    case where oc reports failure after changing something (simkit returns the text)."""
    sim.oc(f"secrets link {sa} {sa}-a {sa}-b --for=pull,mount")
    delete_secret(sim, f"{sa}-a")
    out = sim.oc(f"secrets unlink {sa} {sa}-a")
    assert out == (
        f'secret "{sa}-a" not found\n'
        f"error: Unlinked deleted secrets from {NS}/{sa} service account\n"
    )
    assert lists(sim, sa) == ([f"{sa}-b"], [f"{sa}-b"])


@pytest.mark.parametrize("output", ["name", "yaml", "json"])
def test_unlink_output(sim, sa, output):
    sim.oc(f"secrets link {sa} {sa}-a {sa}-b --for=pull")
    out = sim.oc(f"secrets unlink {sa} {sa}-a -o {output}")
    if output == "name":
        assert out == f"serviceaccount/{sa}\n"
        return
    obj = yaml.safe_load(out) if output == "yaml" else json.loads(out)
    assert obj["kind"] == "ServiceAccount"
    assert obj["metadata"]["name"] == sa
    assert obj["imagePullSecrets"] == [{"name": f"{sa}-b"}]


def test_unlink_unknown_output_format(sim, sa):
    """``PrintFlags.ToPrinter`` in Complete: after the argument count, before the account."""
    assert fails(sim, "secrets unlink nosuchsa x -o bogus") == (
        'error: unable to match a printer suitable for the output format "bogus", allowed '
        "formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,"
        "jsonpath-file,kyaml,name,template,templatefile,yaml"
    )
    assert fails(sim, "secrets unlink x -o bogus") == (
        "error: must have service account name and at least one secret name"
    )


# --- invariants ----------------------------------------------------------------------------
_names = st.sampled_from(["a", "b", "c", "missing"])
_forms = st.sampled_from(["{}", "secret/{}", "secrets/{}"])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    ops=st.lists(
        st.tuples(
            st.booleans(),
            st.lists(st.tuples(_names, _forms), min_size=1, max_size=4),
            st.sampled_from(["mount", "pull", "pull,mount", "Pull,MOUNT"]),
        ),
        min_size=1,
        max_size=6,
    )
)
def test_link_unlink_against_a_model(sim, ops):
    """Any sequence of links and unlinks: the lists follow a plain model of oc's rules
    (add sorted new names per list; remove from both), each name at most once per list,
    and a command that fails leaves the cluster and the log as they were."""
    name = f"prop{next(_ids)}"
    sim.oc(f"create sa {name}")
    for suffix in "abc":
        sim.oc(f"create secret generic {name}-{suffix} --from-literal=k=v")
    mount: list[str] = []
    pull: list[str] = []
    for is_link, picks, uses in ops:
        args = [form.format(f"{name}-{n}") for n, form in picks]
        found = sorted({f"{name}-{n}" for n, _ in picks if n != "missing"})
        missing = any(n == "missing" for n, _ in picks)
        want = set(uses.lower().split(","))
        line = f"secrets {'link' if is_link else 'unlink'} {name} {' '.join(args)}"
        if is_link:
            line += f" --for={uses}"
            new_m = [n for n in found if n not in mount] if "mount" in want else []
            new_p = [n for n in found if n not in pull] if "pull" in want else []
            if not found or (not new_m and not new_p and missing):
                fails(sim, line)
            else:
                sim.oc(line)
                mount += new_m
                pull += new_p
        else:
            gone = set(found) | ({f"{name}-missing"} if missing else set())
            if not gone & (set(mount) | set(pull)):
                fails(sim, line)
            else:
                out = sim.oc(line)
                assert ("Unlinked deleted secrets" in out) == missing
                mount = [n for n in mount if n not in gone]
                pull = [n for n in pull if n not in gone]
        assert lists(sim, name) == (mount, pull), line


@pytest.mark.parametrize(
    ("arg", "shown"),
    [
        ('we"ird', '"we\\"ird"'),
        ("tab\there", '"tab\\there"'),
        ("secret/ünï", '"secret/ünï"'),
    ],
)
def test_missing_secret_names_are_go_quoted(sim, sa, arg, shown):
    """``fmt.Fprintf(os.Stderr, "secret %q not found\\n", secretName)``: the argument as
    given, quoted as Go's ``%q``."""
    out = sim.oc(f"secrets link {sa} {sa}-a '{arg}'")
    assert out == f"secret {shown} not found\n"
