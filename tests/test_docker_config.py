"""Reading, writing and redacting docker configs; secrets never leak.

The first part restates every example of Kubernetes ``pkg/credentialprovider/
config_test.go``.
"""

from __future__ import annotations

import base64
import hashlib
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simkit.credentials import (
    Credential,
    DockerConfigEntry,
    DockerConfigError,
    Keyring,
    UnionKeyring,
    decode_auth,
    docker_config_json,
    dump_docker_config,
    encode_auth,
    keyring_from_secrets,
    merge_docker_config,
    parse_docker_config,
    redact_docker_config,
)

FOO = DockerConfigEntry("foo", "bar", "foo@example.com")
BAR = DockerConfigEntry("bar", "baz", "bar@example.com")
TWO_ENTRIES = (
    '{"http://foo.example.com":{"username": "foo", "password": "bar", '
    '"email": "foo@example.com"}, "http://bar.example.com":{"username": "bar", '
    '"password": "baz", "email": "bar@example.com"}}'
)


# --- config_test.go ------------------------------------------------------------------


def test_read_docker_config_file_upstream() -> None:
    """TestReadDockerConfigFile: the config.json it writes parses (password "bar\\n")."""
    text = (
        '{ "auths": { "http://foo.example.com":{"auth":"Zm9vOmJhcgo=","email":"foo@example.com"}}}'
    )
    assert parse_docker_config(text) == {
        "http://foo.example.com": DockerConfigEntry("foo", "bar\n", "foo@example.com")
    }


def test_docker_config_json_decode_upstream() -> None:
    """TestDockerConfigJsonJSONDecode: the config.json form."""
    text = '{"auths": ' + TWO_ENTRIES + "}"
    assert parse_docker_config(text.encode(), form="config.json") == {
        "http://foo.example.com": FOO,
        "http://bar.example.com": BAR,
    }


def test_docker_config_decode_upstream() -> None:
    """TestDockerConfigJSONDecode: the legacy .dockercfg form."""
    assert parse_docker_config(TWO_ENTRIES.encode(), form="dockercfg") == {
        "http://foo.example.com": FOO,
        "http://bar.example.com": BAR,
    }


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        # simple case, just decode the fields
        ('{"username": "foo", "password": "bar", "email": "foo@example.com"}', FOO),
        # auth field decodes to username & password
        ('{"auth": "Zm9vOmJhcg==", "email": "foo@example.com"}', FOO),
        # auth field overrides username & password
        (
            '{"username": "foo", "password": "bar", "auth": "cGluZzpwb25n", "email": "foo@example.com"}',
            DockerConfigEntry("ping", "pong", "foo@example.com"),
        ),
        # poorly-formatted auth causes failure
        ('{"auth": "pants", "email": "foo@example.com"}', None),
        # invalid JSON causes failure
        ('{"email": false}', None),
    ],
)
def test_docker_config_entry_json_decode_upstream(entry: str, expected) -> None:
    text = '{"registry.io": ' + entry + "}"
    if expected is None:
        with pytest.raises(DockerConfigError):
            parse_docker_config(text)
    else:
        assert parse_docker_config(text) == {"registry.io": expected}


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        # auth field decodes to username & password
        ("Zm9vOmJhcg==", ("foo", "bar")),
        # same as before but with field not well padded
        ("Zm9vOmJhcg", ("foo", "bar")),
        # same as before but with new line characters
        ("Zm9vOm\nJhcg==\n", ("foo", "bar")),
        # standard encoding (with padding)
        (base64.standard_b64encode(b"foo:bar").decode(), ("foo", "bar")),
        # raw encoding (without padding)
        (base64.standard_b64encode(b"foo:bar").decode().rstrip("="), ("foo", "bar")),
        # the input is encoded with encodeDockerConfigFieldAuth (standard encoding)
        (encode_auth("foo", "bar"), ("foo", "bar")),
        # good base64 data, but no colon separating username & password
        ("cGFudHM=", None),
        # only new line characters are ignored
        ("Zm9vOmJhcg== ", None),
        # bad base64 data
        ("pants", None),
    ],
)
def test_decode_docker_config_field_auth_upstream(field: str, expected) -> None:
    if expected is None:
        with pytest.raises(DockerConfigError):
            decode_auth(field)
    else:
        assert decode_auth(field) == expected


def test_docker_config_entry_json_compatible_encode_upstream() -> None:
    text = docker_config_json({"registry.io": FOO})
    assert json.loads(text)["auths"]["registry.io"] == json.loads(
        '{"username":"foo","password":"bar","email":"foo@example.com","auth":"Zm9vOmJhcg=="}'
    )
    assert text == (
        '{"auths":{"registry.io":{"username":"foo","password":"bar",'
        '"email":"foo@example.com","auth":"Zm9vOmJhcg=="}}}'
    )


@pytest.mark.parametrize(
    ("form", "text", "expected"),
    [
        # TestReadDockerConfigFileFromBytes
        (
            "dockercfg",
            '{"http://foo.example.com":{"username": "foo", "password": "bar", '
            '"email": "foo@example.com"}}',
            {"http://foo.example.com": FOO},
        ),
        (
            "dockercfg",
            '{"http://foo.example.com":{"username": "foo", "password": "bar", '
            '"email": "foo@example.com"',
            None,
        ),
        # TestReadDockerConfigJSONFileFromBytes
        (
            "config.json",
            '{"auths": ' + TWO_ENTRIES + "}",
            {"http://foo.example.com": FOO, "http://bar.example.com": BAR},
        ),
        ("config.json", '{"auths": ' + TWO_ENTRIES[:-2], None),
    ],
)
def test_read_docker_config_from_bytes_upstream(form, text: str, expected) -> None:
    if expected is None:
        with pytest.raises(DockerConfigError, match="not valid JSON"):
            parse_docker_config(text.encode(), form=form)
    else:
        assert parse_docker_config(text.encode(), form=form) == expected


# --- forms and Go decoding details ----------------------------------------------------


def test_auto_detects_the_form() -> None:
    entry = {"username": "u"}
    assert parse_docker_config({"auths": {"quay.io": entry}}) == {"quay.io": DockerConfigEntry("u")}
    assert parse_docker_config({"quay.io": entry}) == {"quay.io": DockerConfigEntry("u")}
    assert parse_docker_config('{"Auths": {"quay.io": {}}, "credsStore": "x"}') == {
        "quay.io": DockerConfigEntry()
    }
    assert parse_docker_config("null") == {} == parse_docker_config(None)
    assert parse_docker_config({"auths": {}}, form="dockercfg") == {"auths": DockerConfigEntry()}


def test_field_names_are_case_insensitive_and_last_wins() -> None:
    text = '{"q.io": {"USERNAME": "a", "Password": "p", "username": "b", "Email": null}}'
    assert parse_docker_config(text) == {"q.io": DockerConfigEntry("b", "p", "")}
    # Go folds 'ſ' (U+017F) to 's', so this key still names the password field.
    assert parse_docker_config({"q.io": {"pa\u017fsword": "p"}})["q.io"].password == "p"
    assert parse_docker_config({"q.io": {"passwords": "p", "user": "u"}}) == {
        "q.io": DockerConfigEntry()
    }


def test_repeated_and_null_auths() -> None:
    merged = '{"auths": {"a.io": {}}, "auths": {"b.io": {}}}'
    assert list(parse_docker_config(merged)) == ["a.io", "b.io"]
    reset = '{"auths": {"a.io": {}}, "auths": null, "auths": {"b.io": {}}}'
    assert list(parse_docker_config(reset)) == ["b.io"]
    assert parse_docker_config('{"q.io": null}') == {"q.io": DockerConfigEntry()}


def test_auth_overrides_but_empty_auth_does_not() -> None:
    assert parse_docker_config({"q.io": {"username": "u", "password": "p", "auth": ""}}) == {
        "q.io": DockerConfigEntry("u", "p")
    }
    assert parse_docker_config({"q.io": {"password": "p", "auth": "OnNlY3JldA=="}}) == {
        "q.io": DockerConfigEntry("", "secret")
    }
    # Only the first colon splits: the password may contain more.
    assert decode_auth(encode_auth("u", "a:b:c")) == ("u", "a:b:c")


@pytest.mark.parametrize(
    ("field", "expected"),
    [
        ("dTpw", ("u", "p")),  # raw: no padding needed
        ("dTpwcA==", ("u", "pp")),
        ("dTpwcA", ("u", "pp")),
        ("dTpwcA=", None),  # ends in '=' so padded decoding, which wants a multiple of four
        ("dTpwcA===", None),
        ("dTpw\r\n", ("u", "p")),
        ("  dTpw", None),  # spaces are not ignored
        ("dTpwcA==\n", ("u", "pp")),  # trailing newline: still padded, newline ignored
        ("d", None),  # one character left over
        ("dTpwcB==", ("u", "pp")),  # non-zero trailing bits are accepted
        ("dT-w", None),  # URL-safe alphabet refused
    ],
)
def test_padding_variants(field: str, expected) -> None:
    if expected is None:
        with pytest.raises(DockerConfigError):
            decode_auth(field)
    else:
        assert decode_auth(field) == expected


def test_invalid_utf8_and_lone_surrogates_become_replacement_characters() -> None:
    parsed = parse_docker_config(b'{"q.io": {"username": "a\xffb", "email": "\\ud800"}}')
    assert parsed["q.io"].username == "a\ufffdb"
    assert parsed["q.io"].email == "\ufffd"


@pytest.mark.parametrize(
    ("cfg", "message"),
    [
        ('{"auths": []}', 'invalid docker config: "auths" must be a JSON object, got array'),
        ("[]", "invalid docker config: the config must be a JSON object, got array"),
        ('{"q.io": "x"}', 'invalid docker config: entry "q.io" must be a JSON object, got string'),
        (
            '{"q.io": {"email": false}}',
            'invalid docker config: entry "q.io": "email" must be a string, got bool',
        ),
        (
            '{"auths": {}, "HttpHeaders": {"X-Auth": 1}}',
            'invalid docker config: "HttpHeaders" must map header names to strings',
        ),
        (
            '{"q.io": {"auth": "!!!!"}}',
            'invalid docker config: entry "q.io": auth is not valid base64',
        ),
        (
            '{"q.io": {"auth": "cGFudHM="}}',
            'invalid docker config: entry "q.io": unable to parse auth '
            "field, must be formatted as base64(username:password)",
        ),
        (
            '{"q.io": {}',
            "invalid docker config: not valid JSON: Expecting ',' delimiter (line 1, column 12)",
        ),
        (
            '{"q.io": NaN}',
            "invalid docker config: not valid JSON: invalid character 'N' looking "
            "for beginning of value",
        ),
        ("", "invalid docker config: not valid JSON: Expecting value (line 1, column 1)"),
    ],
)
def test_errors_say_what_is_wrong(cfg: str, message: str) -> None:
    with pytest.raises(DockerConfigError) as info:
        parse_docker_config(cfg)
    assert str(info.value) == message
    assert isinstance(info.value, ValueError)


def test_errors_never_include_the_secret() -> None:
    hunter = encode_auth("bob", "hunter2")
    cases = [
        {"q.io": {"password": "hunter2", "email": 7}},
        {"q.io": {"auth": "hunter2!"}},
        {"q.io": {"auth": base64.b64encode(b"hunter2").decode()}},
        {"https://bob:hunter2@q.io": {"auth": "hunter2!"}},
        '{"q.io": {"password": "hunter2", "auth": "' + hunter + '"',
        '{"q.io": {"password": "hunter2"}, "x": [hunter2]}',
        {"auths": {}, "HttpHeaders": {"Authorization": ["hunter2"]}},
    ]
    for cfg in cases:
        with pytest.raises(DockerConfigError) as info:
            parse_docker_config(cfg)
        text = str(info.value) + repr(info.value)
        assert "hunter2" not in text and hunter not in text, text


def test_wrong_input_types() -> None:
    with pytest.raises(TypeError):
        parse_docker_config(42)
    with pytest.raises(ValueError, match="unknown docker config form"):
        parse_docker_config({}, form="yaml")
    with pytest.raises(DockerConfigError, match="keys must be strings"):
        parse_docker_config({1: {}})


# --- credentials never show their password --------------------------------------------


def test_reprs_hide_passwords() -> None:
    auths = {"q.io": {"auth": encode_auth("bob", "hunter2")}}
    keyring = Keyring.from_docker_config({"auths": auths}, source="node")
    credential = keyring.lookup("q.io/app")[0]
    for shown in (
        repr(credential),
        str(credential),
        f"{credential}",
        repr(keyring),
        str(UnionKeyring([keyring])),
        repr(parse_docker_config({"q.io": {"password": "hunter2"}})),
    ):
        assert "hunter2" not in shown
    assert "password=***" in repr(credential)


def test_fingerprint_is_the_kep_2535_credential_hash() -> None:
    credential = Credential("foo", "bar", "quay.io", "foo@example.com", source="node")
    expected = hashlib.sha256(
        b'{"username":"foo","password":"bar","email":"foo@example.com"}'
    ).hexdigest()
    assert credential.fingerprint == expected
    # Empty fields are omitted; the registry and the source are not part of it.
    assert (
        Credential("u", "p", "a.io").fingerprint
        == hashlib.sha256(b'{"username":"u","password":"p"}').hexdigest()
    )
    assert (
        Credential("u", "p", "b.io", source="x").fingerprint
        == Credential("u", "p", "a.io").fingerprint
    )
    # Go's encoder escapes HTML characters.
    assert (
        Credential("u", "<&>", "a.io").fingerprint
        == hashlib.sha256(b'{"username":"u","password":"\\u003c\\u0026\\u003e"}').hexdigest()
    )


# --- writing --------------------------------------------------------------------------


def test_docker_config_json_like_kubectl() -> None:
    text = docker_config_json(
        {"z.io": DockerConfigEntry("u", "p"), "a.io": Credential("v", "q", "a.io", "v@example.com")}
    )
    assert text == (
        '{"auths":{"a.io":{"username":"v","password":"q","email":"v@example.com",'
        '"auth":"djpx"},"z.io":{"username":"u","password":"p","auth":"dTpw"}}}'
    )
    assert Keyring.from_docker_config(text).keys == ("z.io", "a.io")


def test_merge_docker_config_like_oc_registry_login() -> None:
    assert merge_docker_config(None, "quay.io", "bob", "pw") == {
        "auths": {"quay.io": {"auth": "Ym9iOnB3"}}
    }
    existing = (
        '{"auths": {"quay.io": {"auth": "b2xkOm9sZA==", "email": "x"}, '
        '"a.io": {"auth": "dTpw"}}, "credsStore": "desktop", "n": 1}'
    )
    merged = merge_docker_config(existing.encode(), "quay.io", "bob", "pw")
    assert merged["auths"] == {"quay.io": {"auth": "Ym9iOnB3"}, "a.io": {"auth": "dTpw"}}
    assert dump_docker_config(merged, indent="  ") == (
        '{\n  "auths": {\n    "a.io": {\n      "auth": "dTpw"\n    },\n'
        '    "quay.io": {\n      "auth": "Ym9iOnB3"\n    }\n  },\n'
        '  "credsStore": "desktop",\n  "n": 1\n}'
    )
    source = {"auths": {"a.io": {}}}
    merge_docker_config(source, "b.io", "u", "p")
    assert source == {"auths": {"a.io": {}}}


@pytest.mark.parametrize(
    ("existing", "message"),
    [
        ('{"auths": "x"}', "have 'auths' key of type string"),
        ('{"auths": null}', "have 'auths' key of type <nil>"),
        ('{"auths": 1}', "have 'auths' key of type float64"),
        ("[1]", "unable to parse existing credentials: expected a JSON object, got list"),
        ('{"password": "hunter2"', "unable to parse existing credentials: not valid JSON"),
    ],
)
def test_merge_docker_config_errors(existing: str, message: str) -> None:
    with pytest.raises(DockerConfigError, match=message.replace("[", r"\[")) as info:
        merge_docker_config(existing, "quay.io", "bob", "pw")
    assert "hunter2" not in str(info.value)


def test_dump_formats_numbers_as_go_float64() -> None:
    merged = merge_docker_config(
        '{"a": 1.0, "b": 1e21, "c": 1e-7, "d": 0.5, "e": 100}', "q.io", "u", "p"
    )
    assert dump_docker_config({k: v for k, v in merged.items() if k != "auths"}) == (
        '{"a":1,"b":1e+21,"c":1e-7,"d":0.5,"e":100}'
    )


# --- redaction ------------------------------------------------------------------------


def test_redact_docker_config() -> None:
    config = {
        "auths": {
            "quay.io": {
                "auth": encode_auth("bob", "hunter2"),
                "email": "b@x.io",
                "username": "bob",
                "password": "hunter2",
                "identitytoken": "tok",
                "registrytoken": "",
            }
        },
        "https://bob:hunter2@legacy.io": {"Password": "hunter2"},
        "HttpHeaders": {"Authorization": "Bearer hunter2", "User-Agent": "x"},
    }
    redacted = redact_docker_config(json.dumps(config))
    assert redacted == {
        "auths": {
            "quay.io": {
                "auth": "*****",
                "email": "b@x.io",
                "username": "bob",
                "password": "*****",
                "identitytoken": "*****",
                "registrytoken": "",
            }
        },
        "https://*****@legacy.io": {"Password": "*****"},
        "HttpHeaders": {"Authorization": "*****", "User-Agent": "x"},
    }
    assert "hunter2" not in json.dumps(redacted)
    assert config["auths"]["quay.io"]["password"] == "hunter2"  # input untouched


# --- properties -----------------------------------------------------------------------

SAFE = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789.-_@", min_size=1, max_size=12)
PASSWORD = st.text(min_size=1, max_size=16).map(lambda s: "PW\u2603" + s)
LABELS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-", min_size=1, max_size=12)
HOSTS = st.lists(LABELS.map(lambda s: s + ".io"), min_size=1, max_size=4, unique=True)


@settings(max_examples=80, deadline=None)
@given(
    hosts=HOSTS,
    users=st.lists(SAFE, min_size=4, max_size=4),
    passwords=st.lists(PASSWORD, min_size=4, max_size=4),
    use_auth=st.booleans(),
)
def test_planted_passwords_never_show(hosts, users, passwords, use_auth) -> None:
    auths = {}
    for i, host in enumerate(hosts):
        user, password = users[i], passwords[i]
        auths[host] = (
            {"auth": encode_auth(user, password)}
            if use_auth
            else {"username": user, "password": password}
        )
    keyring = Keyring.from_docker_config({"auths": auths}, source="secret:ns/pull")
    union = UnionKeyring([keyring, Keyring.from_docker_config(auths, source="node")])
    shown = [
        repr(keyring),
        str(keyring),
        repr(union),
        str(union),
        repr(parse_docker_config({"auths": auths})),
    ]
    for host in hosts:
        for credential in union.lookup_raw(host + "/app"):
            shown += [repr(credential), str(credential), credential.fingerprint]
    redacted = json.dumps(redact_docker_config({"auths": auths}), ensure_ascii=False)
    for password in passwords:
        assert all(password not in text for text in shown + [redacted])
    assert [c.password for c in keyring.lookup_raw(hosts[0] + "/app")] == [passwords[0]]


@settings(max_examples=60, deadline=None)
@given(
    password=PASSWORD,
    host=SAFE,
    breakage=st.sampled_from(["email", "auth", "truncate", "entry", "colon"]),
)
def test_planted_passwords_never_in_errors(password, host, breakage) -> None:
    entry = {"username": "u", "password": password}
    if breakage == "email":
        entry["email"] = [password]
    elif breakage == "auth":
        entry["auth"] = password + "!"
    elif breakage == "colon":
        entry["auth"] = base64.b64encode(password.encode()).decode()
    config = {"auths": {host: password if breakage == "entry" else entry}}
    text = json.dumps(config, ensure_ascii=False)
    if breakage == "truncate":
        text = text[:-1]
    if breakage == "colon" and ":" in password:
        return
    with pytest.raises(DockerConfigError) as info:
        parse_docker_config(text)
    with pytest.raises(DockerConfigError) as from_secret:
        keyring_from_secrets(
            [
                {
                    "namespace": "ns",
                    "name": "s",
                    "data": {".dockerconfigjson": text},
                    "type": "kubernetes.io/dockerconfigjson",
                }
            ]
        )
    for exc in (info.value, from_secret.value):
        assert password not in str(exc) and password not in repr(exc)
        assert base64.b64encode(password.encode()).decode() not in str(exc)
