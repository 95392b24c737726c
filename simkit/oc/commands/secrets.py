"""Pull-secret commands: ``create secret``, ``registry login``, ``set data`` and
``get secret`` (``secrets link``/``unlink`` are in :mod:`simkit.oc.commands.secret_links`).

Secret values never reach the output: ``get secret`` prints them masked unless the
command line redirects its output into a file (``> PATH``), as the OpenShift procedure
for the global pull secret does (``oc get secret/pull-secret -n openshift-config
--template='{{index .data ".dockerconfigjson" | base64decode}}' > pull-secret.json``).
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

from simkit.oc.command import Flag, Invocation, OcError, Usage, command
from simkit.oc.output import GET_OUTPUT_FLAGS, OutputFormat, output_format, print_generic
from simkit.state.accounts import DOCKERCONFIGJSON, OPAQUE, PULL_SECRET_KEYS, Secret

DEFAULT_DOCKER_SERVER = "https://index.docker.io/v1/"
_NAME = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_DECODE_TEMPLATE = re.compile(
    r"""^\{\{\s*index\s+\.data\s+"(?P<key>[^"]+)"\s*\|\s*base64decode\s*\}\}$"""
)


def _check_name(name: str) -> None:
    if not _NAME.match(name) or len(name) > 253:
        raise OcError(
            f'error: failed to create secret Secret "{name}" is invalid: metadata.name: Invalid '
            f'value: "{name}": a lowercase RFC 1123 subdomain must consist of lower case '
            "alphanumeric characters, '-' or '.', and must start and end with an alphanumeric "
            "character"
        )


def _read_file(path: str) -> bytes:
    try:
        return Path(path).read_bytes()
    except (OSError, ValueError) as exc:
        why = getattr(exc, "strerror", None) or exc  # ValueError: a NUL in the path
        raise OcError(f"error: error reading {path}: {why}") from None


def validate_pull_secret_data(secret_type: str, data: dict[str, bytes], name: str) -> None:
    """The API server's check of a registry secret: the right key, holding valid JSON."""
    key = PULL_SECRET_KEYS.get(secret_type)
    if key is None:
        return
    if key not in data:
        raise OcError(
            f'error: failed to create secret Secret "{name}" is invalid: data[{key}]: '
            "Required value"
        )
    try:
        parsed = json.loads(data[key])
    except (ValueError, UnicodeDecodeError) as exc:
        raise OcError(
            f'error: failed to create secret Secret "{name}" is invalid: data[{key}]: Invalid '
            f'value: "<secret contents redacted>": {type(exc).__name__}: not valid JSON'
        ) from None
    if secret_type == DOCKERCONFIGJSON and not isinstance(parsed.get("auths"), dict):
        raise OcError(
            f'error: failed to create secret Secret "{name}" is invalid: data[{key}]: Invalid '
            'value: "<secret contents redacted>": auths: Required value'
        )


def _store_secret(inv: Invocation, secret: Secret) -> str:
    if inv.tx.get("Secret", secret.key) is not None:
        raise OcError(f'error: failed to create secret secrets "{secret.name}" already exists')
    secret.created = inv.now
    secret.uid = inv.sim.pod_controller.pod_name(f"uid-{secret.namespace}-{secret.name}")
    inv.tx.put("Secret", secret.key, secret)
    inv.tx.record(
        "secret_created",
        namespace=secret.namespace,
        name=secret.name,
        type=secret.type,
        keys=",".join(sorted(secret.data)),
    )
    return f"secret/{secret.name} created\n"


@command(
    "create",
    "secret",
    "docker-registry",
    flags=(
        Flag("docker-server", default=DEFAULT_DOCKER_SERVER),
        Flag("docker-username", default=""),
        Flag("docker-password", default=""),
        Flag("docker-email", default=""),
        Flag("from-file", repeated=True),
    ),
    use="docker-registry NAME --docker-username=user --docker-password=password "
    "--docker-email=email [--docker-server=string] [--from-file=[key=]source] "
    "[--dry-run=server|client|none]",
    flags_in_use=False,
    short="Create a secret for use with a Docker registry",
    # oc's text indents every line but one, so most of it prints as a code block
    long="""
        Create a new secret for use with Docker registries.

        Dockercfg secrets are used to authenticate against Docker registries.

        When using the Docker command line to push images, you can authenticate to a given registry by running:
            '$ docker login DOCKER_REGISTRY_SERVER --username=DOCKER_USER --password=DOCKER_PASSWORD --email=DOCKER_EMAIL'.

    That produces a ~/.dockercfg file that is used by subsequent 'docker push' and 'docker pull' commands to
        authenticate to the registry. The email address is optional.

        When creating applications, you may have a Docker registry that requires authentication.  In order for the
        nodes to pull images on your behalf, they must have the credentials.  You can provide this information
        by creating a dockercfg secret and attaching it to your service account.""",  # noqa: E501
    example="""
    # If you do not already have a .dockercfg file, create a dockercfg secret directly
    kubectl create secret docker-registry my-secret --docker-server=DOCKER_REGISTRY_SERVER --docker-username=DOCKER_USER --docker-password=DOCKER_PASSWORD --docker-email=DOCKER_EMAIL""",  # noqa: E501
    usage={
        "docker-username": "Username for Docker registry authentication",
        "docker-password": "Password for Docker registry authentication",
        "docker-email": "Email for Docker registry",
        "docker-server": "Server location for Docker registry",
        "from-file": Usage(
            "Key files can be specified using their file path, in which case a "
            "default name of .dockerconfigjson will be given to them, or optionally "
            "with a name and file path, in which case the given name will be used. "
            "Specifying a directory will iterate each named file in the directory "
            "that is a valid secret key. For this command, the key should always be "
            ".dockerconfigjson.",
            type="stringSlice",
        ),
    },
)
def create_docker_registry_secret(inv: Invocation) -> str:
    """``oc create secret docker-registry NAME --docker-server=... --docker-username=...``."""
    from simkit.credentials import docker_config_json

    if len(inv.args) != 1:
        raise inv.usage_error("exactly one NAME is required")
    name = inv.args[0]
    _check_name(name)
    if inv.flag("from-file"):
        data = {}
        for spec in inv.flag("from-file"):
            key, _, path = spec.partition("=")
            data[key if path else Path(key).name] = _read_file(path or key)
        validate_pull_secret_data(DOCKERCONFIGJSON, data, name)
    else:
        username, password = inv.flag("docker-username"), inv.flag("docker-password")
        if not username:
            raise inv.usage_error("--docker-username must be specified")
        if not password:
            raise inv.usage_error("--docker-password must be specified")
        entry = {
            "username": username,
            "password": password,
            "auth": base64.b64encode(f"{username}:{password}".encode()).decode(),
        }
        if inv.flag("docker-email"):
            entry["email"] = inv.flag("docker-email")
        data = {
            ".dockerconfigjson": docker_config_json({inv.flag("docker-server"): entry}).encode()
        }
    return _store_secret(inv, Secret(inv.namespace, name, DOCKERCONFIGJSON, data))


@command(
    "create",
    "secret",
    "generic",
    flags=(
        Flag("from-file", repeated=True),
        Flag("from-literal", repeated=True),
        Flag("type", default=OPAQUE),
    ),
    use="generic NAME [--type=string] [--from-file=[key=]source] [--from-literal=key1=value1] "
    "[--dry-run=server|client|none]",
    flags_in_use=False,
    short="Create a secret from a local file, directory, or literal value",
    long="""
    Create a secret based on a file, directory, or specified literal value.

    A single secret may package one or more key/value pairs.

    When creating a secret based on a file, the key will default to the basename of the
    file, and the value will default to the file content. If the basename is an invalid key
    or you wish to chose your own, you may specify an alternate key.

    When creating a secret based on a directory, each file whose basename is a valid key in
    the directory will be packaged into the secret. Any directory entries except regular
    files are ignored (e.g. subdirectories, symlinks, devices, pipes, etc).""",
    example="""
    # Create a new secret named my-secret with keys for each file in folder bar
    kubectl create secret generic my-secret --from-file=path/to/bar

    # Create a new secret named my-secret with specified keys instead of names on disk
    kubectl create secret generic my-secret --from-file=ssh-privatekey=path/to/id_rsa --from-file=ssh-publickey=path/to/id_rsa.pub

    # Create a new secret named my-secret with key1=supersecret and key2=topsecret
    kubectl create secret generic my-secret --from-literal=key1=supersecret --from-literal=key2=topsecret

    # Create a new secret named my-secret using a combination of a file and a literal
    kubectl create secret generic my-secret --from-file=ssh-privatekey=path/to/id_rsa --from-literal=passphrase=topsecret""",  # noqa: E501
    usage={
        "from-file": Usage(
            "Key files can be specified using their file path, in which case a "
            "default name will be given to them, or optionally with a name and file "
            "path, in which case the given name will be used.  Specifying a "
            "directory will iterate each named file in the directory that is a "
            "valid secret key.",
            type="stringSlice",
        ),
        "from-literal": "Specify a key and literal value to insert in secret (i.e. "
        "mykey=somevalue)",
        "type": Usage("The type of secret to create", default=""),
    },
)
def create_generic_secret(inv: Invocation) -> str:
    """``oc create secret generic NAME --from-file=KEY=PATH --type=TYPE``."""
    if len(inv.args) != 1:
        raise inv.usage_error("exactly one NAME is required")
    name = inv.args[0]
    _check_name(name)
    data: dict[str, bytes] = {}
    for spec in inv.flag("from-file"):
        key, sep, path = spec.partition("=")
        if not sep:
            key, path = Path(spec).name, spec
        if key in data:
            raise OcError(f"error: cannot add key {key}, another key by that name already exists")
        data[key] = _read_file(path)
    for spec in inv.flag("from-literal"):
        key, sep, value = spec.partition("=")
        if not sep or not key:
            raise OcError("error: invalid literal source <redacted>, expected key=value")
        data[key] = value.encode()
    secret_type = inv.flag("type")
    validate_pull_secret_data(secret_type, data, name)
    return _store_secret(inv, Secret(inv.namespace, name, secret_type, data))


@command(
    "registry",
    "login",
    flags=(
        Flag("registry", default=""),
        Flag("auth-basic", default=""),
        Flag("to", default=""),
        Flag("skip-check", value=False, default=False),
        Flag("insecure", value=False, default=False),
    ),
    use="login ",
    short="Log in to the integrated registry",
    long="""
    Log in to the OpenShift integrated registry.

    This logs your local Docker client into the OpenShift integrated registry using the
    external registry name (if configured by your administrator). If you are logged in
    to the server using a client certificate the command will report an error because
    container registries do not generally allow client certificates.

    As an advanced option you may specify the credentials to login with using --auth-basic
    with USER:PASSWORD.

    You may specify an alternate file to write credentials to with --to instead of
    .docker/config.json in your home directory.

    To detect the registry hostname the client will attempt to find an image stream in
    the current namespace or the openshift namespace and use the status fields that
    indicate the registry hostnames. If no image stream is found or if you do not have
    permission to view image streams you will have to pass the --registry flag with the
    desired host name.

    You may also pass the --registry flag to login to the integrated registry but with a
    custom DNS name, or to an external registry. Note that in absence of
    --auth-basic=USER:PASSWORD, the authentication token from the connected kubeconfig
    file will be recorded as the auth entry in the credentials file (defaults to Docker
    config.json) for the passed registry value.""",
    example="""
    # Log in to different registry using BASIC auth credentials
    oc registry login --registry quay.io/myregistry --auth-basic=USER:PASS""",
    usage={
        "auth-basic": "Provide credentials in the form 'user:password' to authenticate (advanced)",
        "to": "The location of the file your credentials will be stored in. Alternatively "
        "REGISTRY_AUTH_FILE env variable can be also specified. Defaults to "
        "${XDG_RUNTIME_DIR}/containers/auth.json or /run/containers/${UID}/auth.json. "
        "Default can be changed via the REGISTRY_AUTH_PREFERENCE env variable (deprecated) "
        'to a "docker" value to prioritizes Docker credentials over Podman\'s.',
        "registry": "An alternate domain name and port to use for the registry, defaults to the "
        "cluster's configured external hostname.",
        "skip-check": "Skip checking the credentials against the registry.",
        "insecure": "Bypass HTTPS certificate verification when checking the registry login.",
    },
)
def registry_login(inv: Invocation) -> str:
    """``oc registry login --registry=HOST --auth-basic=USER:PASS --to=PATH``."""
    from simkit.credentials import DockerConfigError, merge_docker_config

    host = inv.flag("registry")
    if not host:
        raise OcError(
            "error: The public hostname of the integrated registry could not be "
            "determined. Please specify one with --registry."
        )
    basic = inv.flag("auth-basic")
    username, sep, password = basic.partition(":")
    if not sep or not username:
        raise OcError("error: --auth-basic must be in the form user:password")
    target = inv.flag("to") or str(Path.home() / ".docker" / "config.json")
    if not inv.flag("skip-check"):
        registry = inv.sim.registries.get(host)
        if registry is None:
            raise OcError(
                "error: unable to check your credentials - pass --skip-check to bypass this "
                f'error: Get "https://{host}/v2/": dial tcp: lookup {host}: no such host'
            )
        if registry.users and not registry.authenticate((username, password)):
            raise OcError(
                "error: unable to check your credentials - pass --skip-check to bypass this "
                "error: unauthorized: incorrect username or password"
            )
    path = Path(target)
    try:
        existing = path.read_text() if path.exists() else "{}"
    except (OSError, ValueError) as exc:
        why = getattr(exc, "strerror", None) or exc  # ValueError: a NUL in the path
        raise OcError(f"error: cannot read {path}: {why}") from None
    try:
        merged = merge_docker_config(existing, host, username, password)
    except DockerConfigError as exc:
        raise OcError(f"error: {exc}") from None
    inv.tx.record("registry_login", registry=host, username=username, path=str(path))
    # Writing the file is the one effect outside the cluster; it happens last, once
    # nothing else can fail (and if it fails, the command fails and changes nothing).
    _write(path, json.dumps(merged, indent=2) + "\n", parents=True)
    return f"Saved credentials for {host} into {path}\n"


def _write(path: Path, text: str, *, parents: bool = False) -> None:
    """Write a file for a command, or fail the command (an ``OcError``)."""
    try:
        if parents:
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    except (OSError, ValueError) as exc:
        why = getattr(exc, "strerror", None) or exc  # ValueError: a NUL in the path
        raise OcError(f"error: cannot write {path}: {why}") from None


@command(
    "set",
    "data",
    flags=(Flag("from-file", repeated=True), Flag("from-literal", repeated=True)),
    use="data RESOURCE/NAME [KEY=VALUE|KEY- ...] [--from-file=file|dir|key=path]",
    short="Update the data within a config map or secret",
    long="""
    Add, update, or remove data keys from secrets and config maps.

    Secrets and config maps allow users to store keys and values that can be passed into
    pods or loaded by other Kubernetes resources. This command lets you set or remove keys
    from those objects from arguments or files. Use the --from-file flag when you want to
    load the contents of a file or directory, or pass command line arguments that contain
    either a KEY=VALUE pair (to set a value) or KEY- (to remove that key).

    You may also use this command as part of a chain to modify an object before submitting
    to the server with the --local and --dry-run flags. This allows you to update local
    resources to contain additional keys.""",
    example="""
    # Update a secret with the contents of a directory, one key per file
    oc set data secret/foo --from-file=secret-dir""",
    usage={
        "from-file": Usage(
            "Specify a file using its file path, in which case the file basename "
            "will be used as the key or optionally with a key and file path, in "
            "which case the given key will be used.  Specifying a directory will "
            "iterate each named file in the directory whose basename is a valid "
            "secret key.",
            type="stringSlice",
        ),
        "from-literal": "Specify a key and literal value to set (i.e. mykey=somevalue)",
    },
)
def set_data(inv: Invocation) -> str:
    """``oc set data secret/NAME --from-file=KEY=PATH`` (also ``--from-literal``)."""
    if len(inv.args) != 1 or "/" not in inv.args[0]:
        raise inv.usage_error(
            "one or more resources must be specified as <resource> <name> or <resource>/<name>"
        )
    kind, _, name = inv.args[0].partition("/")
    if kind not in ("secret", "secrets"):
        raise OcError("error: only secrets are modelled by simkit's set data")
    secret = inv.tx.edit("Secret", (inv.namespace, name))
    if secret is None:
        raise OcError(f'Error from server (NotFound): secrets "{name}" not found')
    updates: dict[str, bytes] = {}
    for spec in inv.flag("from-file"):
        key, sep, path = spec.partition("=")
        if not sep:
            key, path = Path(spec).name, spec
        updates[key] = _read_file(path)
    for spec in inv.flag("from-literal"):
        key, sep, value = spec.partition("=")
        if not sep:
            raise OcError("error: invalid literal source <redacted>, expected key=value")
        updates[key] = value.encode()
    if not updates:
        raise OcError("error: must add, update, or remove at least one key from this object")
    if all(secret.data.get(k) == v for k, v in updates.items()):
        return f"info: {name} was not changed\n"
    secret.data.update(updates)
    validate_pull_secret_data(secret.type, secret.data, name)
    inv.tx.record(
        "secret_updated", namespace=inv.namespace, name=name, keys=",".join(sorted(updates))
    )
    return f"secret/{name} data updated\n"


def _split_redirect(inv: Invocation) -> tuple[list[str], str | None]:
    args = list(inv.args)
    if ">" in args:
        i = args.index(">")
        if i + 1 >= len(args):
            raise OcError("error: a redirection needs a file: > PATH")
        return args[:i] + args[i + 2 :], args[i + 1]
    for i, arg in enumerate(args):
        if arg.startswith(">") and len(arg) > 1:
            return args[:i] + args[i + 1 :], arg[1:]
    return args, None


@command("get", "secret", flags=GET_OUTPUT_FLAGS)
def get_secret(inv: Invocation) -> str:
    """``oc get secret NAME`` or ``oc get secret/NAME``; ``--template`` decoding a key.

    ``> PATH`` at the end writes the output to that file (and returns nothing); printed
    template output masks secret values.  ``-o yaml|json|jsonpath=...`` (and the other
    ``-o`` formats but ``go-template``) print the Secret as the API returns it, ``data``
    base64-encoded: the one place simkit shows a secret's value.
    """
    args, redirect = _split_redirect(inv)
    return _show_secret(inv, args, redirect)


@command("get", "secrets", flags=GET_OUTPUT_FLAGS)
def get_secrets(inv: Invocation) -> str:
    """``oc get secrets``: a table of the project's secrets."""
    args, redirect = _split_redirect(inv)
    return _show_secret(inv, args, redirect)


def _show_secret(inv: Invocation, args: list[str], redirect: str | None) -> str:
    from simkit.credentials import redact_docker_config

    output = output_format(inv)
    if not output.table and output.kind != "go-template":
        return _print_secrets(inv, output, args, redirect)
    if not args:
        secrets = sorted(inv.tx.list("Secret", inv.namespace), key=lambda s: s.name)
        if not secrets:
            return f"No resources found in {inv.namespace} namespace.\n"
        return _secret_table(inv, secrets)
    if len(args) > 1 and output.kind != "go-template":  # a table of each, then what is missing
        found, errors = [], []
        for arg in args:
            name = arg.partition("/")[2] if "/" in arg else arg
            secret = inv.tx.get("Secret", (inv.namespace, name))
            if secret is not None:
                found.append(secret)
            elif not inv.flag("ignore-not-found"):
                errors.append(f'Error from server (NotFound): secrets "{name}" not found')
        text = _secret_table(inv, found) if found else ""
        if errors:
            raise OcError(text + "\n".join(errors))
        return text
    name = args[0].partition("/")[2] if "/" in args[0] else args[0]
    secret = inv.tx.get("Secret", (inv.namespace, name))
    if secret is None:
        if inv.flag("ignore-not-found"):
            return ""
        raise OcError(f'Error from server (NotFound): secrets "{name}" not found')
    template = output.template if output.kind == "go-template" else ""
    if template:
        match = _DECODE_TEMPLATE.match(template.strip())
        if match is None:
            raise OcError(
                "error: simkit understands only the template "
                "'{{index .data \"KEY\" | base64decode}}'"
            )
        key = match.group("key")
        if key not in secret.data:
            raise OcError(f'error: error executing template: map has no entry for key "{key}"')
        text = secret.data[key].decode(errors="replace")
        if redirect is not None:
            _write(Path(redirect), text)
            return ""
        if key in (".dockerconfigjson", ".dockercfg"):
            try:
                return json.dumps(redact_docker_config(text)) + "\n"
            except ValueError:
                pass
        return "*****\n"
    return _secret_table(inv, [secret])


def _print_secrets(
    inv: Invocation, output: OutputFormat, args: list[str], redirect: str | None
) -> str:
    """``-o yaml|json|name|jsonpath|custom-columns``: the Secrets as the API returns them."""
    names = [arg.partition("/")[2] if "/" in arg else arg for arg in args]
    if names:
        secrets, errors = [], []
        for name in names:
            secret = inv.tx.get("Secret", (inv.namespace, name))
            if secret is None:
                if not inv.flag("ignore-not-found"):
                    errors.append(f'Error from server (NotFound): secrets "{name}" not found')
            else:
                secrets.append(secret)
    else:
        secrets = sorted(inv.tx.list("Secret", inv.namespace), key=lambda s: s.name)
        errors = []
    text = print_generic(inv, output, "Secret", secrets, single=len(names) == 1, errors=errors)
    if redirect is not None:
        _write(Path(redirect), text)
        return ""
    return text


def _secret_table(inv: Invocation, secrets: list[Secret]) -> str:
    from simkit._go.tabwriter import align
    from simkit.oc.humanize import short_duration

    lines = ["NAME\tTYPE\tDATA\tAGE"]
    for s in secrets:
        age = short_duration(inv.now - s.created)
        lines.append(f"{s.name}\t{s.type}\t{len(s.data)}\t{age}")
    return align("\n".join(lines) + "\n")
