"""``oc secrets link`` and ``oc secrets unlink`` as openshift/oc ``pkg/cli/secrets`` has them.

Restated from openshift/oc at commit 6b8e30c5b39aa742147846341a203905e04834f3
(``secrets.go``: ``SecretOptions.Complete``/``Validate``/``GetServiceAccount``/
``GetSecrets``/``parseSecretName``; ``link.go``: ``LinkSecretOptions.Complete``/
``Validate``/``linkSecretsToServiceAccount``; ``unlink.go``:
``unlinkSecretsFromServiceAccount``), with the resource builder of
``k8s.io/cli-runtime`` (``ResourceNames``, ``splitResourceTypeName``) and pflag's
``StringSlice`` for ``--for``.  ``oc secret`` is an alias of ``oc secrets``.

The steps, in oc's order; the first failing one ends the command:

1. ``--for`` is read as pflag reads a string slice: each occurrence is one CSV record,
   the first replaces the default ``mount``, later ones add to it; ``--for=`` (empty)
   leaves the list empty, which means ``mount``.
2. Fewer than two arguments: ``must have service account name and at least one secret
   name``.
3. (link) each ``--for`` value, lower-cased, must be ``pull`` or ``mount``; otherwise
   ``unknown for: VALUE`` with the value as typed (so ``Pull`` works, ``pull,`` does not:
   its second value is empty).
4. An empty service account name: ``service account name must be present``.  A secret
   argument with a slash must start with ``secret/`` or ``secrets/`` (exactly, in lower
   case): ``expected resource of type secret, got "ARG"``.
5. The service account: ``NAME`` or ``TYPE/NAME``, the type spelled ``serviceaccounts`` or
   ``serviceaccount`` in any case (the REST mapper lowers them) or ``sa`` exactly (the
   shortcut expander compares as typed: ``SA/x`` is ``the server doesn't have a resource
   type "SA"``); a missing account is ``Error from server (NotFound): serviceaccounts
   "NAME" not found``.
6. The secrets, one by one in argument order: a builder error (two slashes, an empty
   name) is fatal; a missing secret prints ``secret "ARG" not found`` (stderr) and is
   skipped (link) or kept as a name to remove (unlink).  No secret found at all (link):
   ``No valid secrets found``.
7. link adds the names (sorted, each once) missing from ``.secrets`` (``--for=mount``) and
   from ``.imagePullSecrets`` (``--for=pull``).  If it added any, the command succeeds
   silently even when some secrets were missing (their lines are still printed); if it
   added none, a missing secret makes it fail with ``Some secrets could not be linked``,
   else it succeeds doing nothing.
8. unlink removes every occurrence of the names from both lists.  Nothing removed:
   ``No valid secrets found or secrets not linked to service account``.  Something removed
   while a secret was missing: the account **is** updated and oc still exits 1 with
   ``Unlinked deleted secrets from NS/NAME service account``; simkit keeps the change and
   returns that text (as ``import-image`` does for a partly failed import) instead of
   raising, since an error that is raised changes nothing.  Otherwise it prints
   ``serviceaccount/NAME updated`` (``-o name``, ``-o yaml``, ``-o json`` as oc's printer).

Messages go through ``kcmdutil.CheckErr``: ``error: `` is prepended, API errors read
``Error from server (Reason): ...``.  Lines oc writes to stderr before it finishes come
first in the returned text (or in the ``OcError`` message).

Where oc would fetch an object of another type as the service account
(``oc secrets link secret/x ...``) it fails with ``unhandled object: &v1.Secret{...}`` and
Go's full dump of the object; simkit prints the kind, namespace and name only, since the
dump of a secret holds its data.  Of the other types only secrets and pods are known
here; any other type reads ``the server doesn't have a resource type``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from simkit._go.strconv import go_quote
from simkit.oc.command import Flag, Handler, Invocation, OcError, Usage, command
from simkit.state.accounts import ServiceAccount

__all__ = ["parse_string_slice", "secrets_link", "secrets_unlink"]

_SERVICE_ACCOUNTS = ("ServiceAccount", "serviceaccounts", "serviceaccount", "sa")
_SECRETS = ("Secret", "secrets", "secret", "")
_PODS = ("Pod", "pods", "pod", "po")
_TYPES = (_SERVICE_ACCOUNTS, _SECRETS, _PODS)
"""(store, plural, singular, short name): the types simkit stores that oc could fetch here."""
_SECRET_PREFIXES = ("secret", "secrets")
_LINK_FLAGS = (Flag("for", repeated=True),)
_UNLINK_FLAGS = (Flag("output", "o", default=""),)
_PRINT_FORMATS = ("", "name", "yaml", "json")
_ALLOWED_FORMATS = (
    "go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,kyaml,name,"
    "template,templatefile,yaml"
)


class _CsvError(ValueError):
    """Go's ``encoding/csv`` refused the value."""


def parse_string_slice(values: list[str], default: list[str]) -> list[str]:
    """The values of a pflag ``StringSlice`` flag given ``values`` (one per occurrence).

    Each occurrence is read as one CSV record (Go's ``encoding/csv``: commas separate,
    a field may be double-quoted, a quote inside an unquoted field is an error); the first
    occurrence replaces the default, later ones append; an empty occurrence adds nothing.

    Parameters
    ----------
    values : list of str
        The raw values, in command-line order.
    default : list of str
        The flag's default, used when ``values`` is empty.

    Returns
    -------
    list of str
        The flag's value as the command sees it.

    Raises
    ------
    ValueError
        An occurrence that is not valid CSV; the message is Go's ``csv.ParseError``.

    Examples
    --------
    >>> parse_string_slice([], ["mount"])
    ['mount']
    >>> parse_string_slice(["pull,mount", "Pull"], ["mount"])
    ['pull', 'mount', 'Pull']
    >>> parse_string_slice([""], ["mount"])
    []
    >>> parse_string_slice(['"pull,mount"'], ["mount"])
    ['pull,mount']
    """
    if not values:
        return list(default)
    out: list[str] = []
    for value in values:
        out.extend(_csv_record(value))
    return out


_BARE_QUOTE = 'bare " in non-quoted-field'
_QUOTE = 'extraneous or missing " in quoted-field'


def _csv_lines(value: str) -> list[str]:
    """The lines Go's csv reader sees: each keeps its ``\n``; ``\r\n`` reads as ``\n`` and
    a ``\r`` just before the end is dropped."""
    lines = [line + "\n" for line in value.split("\n")]
    lines[-1] = lines[-1][:-1].removesuffix("\r")
    if not lines[-1]:
        lines.pop()
    return [line[:-2] + "\n" if line.endswith("\r\n") else line for line in lines]


def _csv_error(start: int, line: int, column: int, what: str) -> _CsvError:
    """``csv.ParseError``'s text: lines and the 1-based byte column."""
    where = f"parse error on line {line}, column {column}: {what}"
    return _CsvError(where if start == line else f"record on line {start}; {where}")


def _csv_record(value: str) -> list[str]:
    """The first record of ``value`` as Go's ``csv.Reader.Read`` returns it (pflag's
    ``readAsCSV``): comma-separated fields, double-quoted fields (``""`` is a quote, a
    quoted field may run over lines), empty lines before the record skipped, no quote
    allowed inside an unquoted field."""
    if value == "":
        return []
    lines = _csv_lines(value)
    index = 0
    while index < len(lines) and lines[index] == "\n":
        index += 1
    if index == len(lines):
        raise _CsvError("EOF")
    start = number = index + 1
    line, column = lines[index], 1
    fields: list[str] = []
    while True:
        if not line.startswith('"'):
            comma = line.find(",")
            text = line[:comma] if comma >= 0 else line.removesuffix("\n")
            quote = text.find('"')
            if quote >= 0:
                raise _csv_error(start, number, column + len(text[:quote].encode()), _BARE_QUOTE)
            fields.append(text)
            if comma < 0:
                return fields
            column += len(line[: comma + 1].encode())
            line = line[comma + 1 :]
            continue
        line, column = line[1:], column + 1
        text_parts: list[str] = []
        while True:
            quote = line.find('"')
            if quote >= 0:
                text_parts.append(line[:quote])
                column += len(line[:quote].encode()) + 1
                line = line[quote + 1 :]
                if line.startswith('"'):
                    text_parts.append('"')
                    line, column = line[1:], column + 1
                    continue
                if line.startswith(","):
                    line, column = line[1:], column + 1
                    fields.append("".join(text_parts))
                    break
                if line in ("", "\n"):
                    fields.append("".join(text_parts))
                    return fields
                raise _csv_error(start, number, column - 1, _QUOTE)
            if not line:
                raise _csv_error(start, number, column, _QUOTE)
            text_parts.append(line)
            column += len(line.encode())
            index += 1
            line = lines[index] if index < len(lines) else ""
            if line:
                number, column = number + 1, 1


@dataclass(slots=True)
class _Request:
    """What the command line asks for, once parsed and validated."""

    account: str
    secrets: list[str]
    for_pull: bool = False
    for_mount: bool = False
    stderr: list[str] = field(default_factory=list)


def _split_type(arg: str) -> tuple[str | None, str]:
    """``splitResourceTypeName``: ``(TYPE, NAME)`` or ``(None, ARG)``; builder errors raise."""
    if "/" not in arg:
        return None, arg
    parts = arg.split("/")
    if len(parts) != 2:
        raise OcError("error: arguments in resource/name form may not have more than one slash")
    kind, name = parts
    if not kind or not name or len(set(kind.split(","))) != 1:
        raise OcError("error: arguments in resource/name form must have a single resource and name")
    return kind, name


def _check_name(name: str) -> None:
    """A name the REST client can put in a URL (``Request.Name``)."""
    if not name:
        raise OcError("error: resource name may not be empty")


def _parse(inv: Invocation, link: bool) -> _Request:
    """Complete and Validate: the argument count, ``--for``, the argument forms."""
    if link:
        for given in inv.flag("for"):  # pflag stops at the first value it cannot read
            try:
                _csv_record(given)
            except _CsvError as exc:
                raise OcError(
                    f'error: invalid argument {go_quote(given)} for "--for" flag: '
                    f"{exc}\nSee 'oc {' '.join(inv.words)} --help' for usage."
                ) from None
        uses = parse_string_slice(inv.flag("for"), ["mount"])
    if len(inv.args) < 2:
        raise OcError("error: must have service account name and at least one secret name")
    request = _Request(inv.args[0], inv.args[1:])
    if link:
        for use in uses:
            lowered = use.lower()
            if lowered == "pull":
                request.for_pull = True
            elif lowered == "mount":
                request.for_mount = True
            else:
                raise OcError(f"error: unknown for: {use}")
        if not uses:
            request.for_mount = True
    elif inv.flag("output") not in _PRINT_FORMATS:
        output = inv.flag("output")
        if output in _ALLOWED_FORMATS.split(","):
            raise OcError(
                f"error: simkit's secrets unlink prints only -o name, yaml or json, not {output}"
            )
        raise OcError(
            f"error: unable to match a printer suitable for the output format "
            f'"{output}", allowed formats are: {_ALLOWED_FORMATS}'
        )
    if not request.account:
        raise OcError("error: service account name must be present")
    for name in request.secrets:
        parts = name.split("/")
        if len(parts) > 1 and parts[0] not in _SECRET_PREFIXES:
            raise OcError(f"error: expected resource of type secret, got {go_quote(name)}")
    # ``for must be present`` cannot happen: no --for values means mount
    return request


def _resource_type(kind: str) -> tuple[str, str, str, str]:
    """The type named ``kind``: plural and singular in any case (the REST mapper lowers
    them), the short name exactly (the shortcut expander compares as typed)."""
    for known in _TYPES:
        store, plural, singular, short = known
        if kind.lower() in (plural, singular) or (short and kind == short):
            return known
    resource = kind.partition(".")[0]  # ParseGroupResource: the part before the group
    raise OcError(f"error: the server doesn't have a resource type {go_quote(resource)}")


def _service_account(inv: Invocation, target: str) -> ServiceAccount:
    """``GetServiceAccount``: the account named by ``NAME`` or ``TYPE/NAME``."""
    kind, name = _split_type(target)
    store, plural = "ServiceAccount", "serviceaccounts"
    if kind is not None:
        store, plural, _, _ = _resource_type(kind)
    found = inv.tx.get(store, (inv.namespace, name))
    if found is None:
        raise OcError(f"Error from server (NotFound): {plural} {go_quote(name)} not found")
    if store != "ServiceAccount":
        raise OcError(
            f"error: unhandled object: &v1.{store}{{Name:{go_quote(name)}, "
            f"Namespace:{go_quote(inv.namespace)}, ...}}"
        )
    return found


def _secret_names(inv: Invocation, request: _Request, keep_missing: bool) -> tuple[list[str], bool]:
    """``GetSecrets`` + ``GetSecretNames``: the names to act on, and whether one was missing."""
    names: list[str] = []
    missing = False
    for arg in request.secrets:
        try:
            _, name = _split_type(arg)
            _check_name(name)
        except OcError as exc:  # fatal, after the lines already printed
            raise _failure(request, str(exc)) from None
        if inv.tx.get("Secret", (inv.namespace, name)) is None:
            request.stderr.append(f"secret {go_quote(arg)} not found")
            missing = True
            if not keep_missing:
                continue
        names.append(name)  # parseSecretName: the part after the first slash
    if not names:
        raise _failure(request, "error: No valid secrets found")
    return names, missing


def _failure(request: _Request, message: str) -> OcError:
    return OcError("".join(line + "\n" for line in request.stderr) + message)


# oc pkg/cli/secrets/link.go and unlink.go: the commands' help, shared by both spellings
_LINK_LONG = """
    Link secrets to a service account.

    Linking a secret enables a service account to automatically use that secret for some
    forms of authentication.
"""
_LINK_EXAMPLE = """
    # Add an image pull secret to a service account to automatically use it for pulling pod images
    oc secrets link serviceaccount-name pull-secret --for=pull

    # Add an image pull secret to a service account to automatically use it for both pulling and pushing build images
    oc secrets link builder builder-image-secret --for=pull,mount"""  # noqa: E501
_UNLINK_LONG = """
    Unlink (detach) secrets from a service account.

    If a secret is no longer valid for a pod, build or image pull, you may unlink it from a
    service account.
"""
_UNLINK_EXAMPLE = """
    # Unlink a secret currently associated with a service account
    oc secrets unlink serviceaccount-name secret-name another-secret-name ..."""
_OUTPUT_USAGE = (
    "Output format. One of: (json, yaml, kyaml, name, go-template, go-template-file, "
    "template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file)."
)


def _secrets_command(
    verb: str,
    flags: tuple[Flag, ...],
    use: str,
    short: str,
    long: str,
    example: str,
    usage: dict[str, str | Usage],
) -> Callable[[Handler], Handler]:
    """Register a handler as ``oc secret VERB`` and then ``oc secrets VERB``, with one help."""

    def register(handler: Handler) -> Handler:
        for group in ("secret", "secrets"):
            command(
                group,
                verb,
                flags=flags,
                use=use,
                short=short,
                long=long,
                example=example,
                usage=usage,
            )(handler)
        return handler

    return register


@_secrets_command(
    "link",
    flags=_LINK_FLAGS,
    use="link serviceaccounts-name secret-name [another-secret-name]...",
    short="Link secrets to a service account",
    long=_LINK_LONG,
    example=_LINK_EXAMPLE,
    usage={
        "for": Usage("type of secret to link: mount or pull", type="stringSlice", default="[mount]")
    },
)
def secrets_link(inv: Invocation) -> str:
    """``oc secrets link SA SECRET... [--for=pull|mount|pull,mount]``.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation(seed=1)
    >>> _ = sim.oc("create sa robot")
    >>> _ = sim.oc("create secret generic reg --from-literal=k=v")
    >>> sim.oc("secrets link robot reg missing --for=Pull")
    'secret "missing" not found\\n'
    >>> sim.cluster.get("ServiceAccount", ("default", "robot")).image_pull_secrets
    ['reg']
    """
    request = _parse(inv, link=True)
    current = _service_account(inv, request.account)
    names, missing = _secret_names(inv, request, keep_missing=False)
    wanted = sorted(set(names))
    add_mount = [n for n in wanted if n not in current.secrets] if request.for_mount else []
    add_pull = (
        [n for n in wanted if n not in current.image_pull_secrets] if request.for_pull else []
    )
    if not add_mount and not add_pull:
        if missing:
            raise _failure(request, "error: Some secrets could not be linked")
        return "".join(line + "\n" for line in request.stderr)
    account = inv.tx.edit("ServiceAccount", current.key)
    assert account is not None  # _service_account found it in this transaction
    account.secrets.extend(add_mount)
    account.image_pull_secrets.extend(add_pull)
    for name in wanted:
        uses = [u for u, added in (("mount", add_mount), ("pull", add_pull)) if name in added]
        if uses:
            inv.tx.record(
                "secret_linked",
                namespace=inv.namespace,
                service_account=account.name,
                secret=name,
                uses=",".join(uses),
            )
    return "".join(line + "\n" for line in request.stderr)


@_secrets_command(
    "unlink",
    flags=_UNLINK_FLAGS,
    use="unlink serviceaccount-name secret-name [another-secret-name] ...",
    short="Detach secrets from a service account",
    long=_UNLINK_LONG,
    example=_UNLINK_EXAMPLE,
    usage={"output": _OUTPUT_USAGE},
)
def secrets_unlink(inv: Invocation) -> str:
    """``oc secrets unlink SA SECRET...``: remove the secrets from both of the account's lists.

    Examples
    --------
    >>> import simkit as sk
    >>> sim = sk.Simulation(seed=1)
    >>> _ = sim.oc("create sa robot")
    >>> _ = sim.oc("create secret generic reg --from-literal=k=v")
    >>> sim.oc("secrets link robot reg --for=pull,mount")
    ''
    >>> sim.oc("secrets unlink sa/robot reg")
    'serviceaccount/robot updated\\n'
    >>> sim.oc("secrets unlink robot reg")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    simkit.oc.command.OcError: error: No valid secrets found or secrets not linked to service ...
    """
    request = _parse(inv, link=False)
    current = _service_account(inv, request.account)
    names, missing = _secret_names(inv, request, keep_missing=True)
    gone = set(names)
    removed_mount = [n for n in current.secrets if n in gone]
    removed_pull = [n for n in current.image_pull_secrets if n in gone]
    if not removed_mount and not removed_pull:
        raise _failure(
            request, "error: No valid secrets found or secrets not linked to service account"
        )
    account = inv.tx.edit("ServiceAccount", current.key)
    assert account is not None  # _service_account found it in this transaction
    account.secrets = [n for n in account.secrets if n not in gone]
    account.image_pull_secrets = [n for n in account.image_pull_secrets if n not in gone]
    for name in sorted(set(removed_mount) | set(removed_pull)):
        uses = [
            u
            for u, removed in (("mount", removed_mount), ("pull", removed_pull))
            if name in removed
        ]
        inv.tx.record(
            "secret_unlinked",
            namespace=inv.namespace,
            service_account=account.name,
            secret=name,
            uses=",".join(uses),
        )
    stderr = "".join(line + "\n" for line in request.stderr)
    if missing:
        # oc has updated the account, then exits 1: the change stays (see the module notes)
        return (
            f"{stderr}error: Unlinked deleted secrets from {inv.namespace}/{account.name} "
            "service account\n"
        )
    return stderr + _printed(inv, account)


def _printed(inv: Invocation, account: ServiceAccount) -> str:
    """What unlink's printer writes for the updated account."""
    output = inv.flag("output")
    if output == "name":
        return f"serviceaccount/{account.name}\n"
    if output in ("yaml", "json"):
        from simkit.manifests.merge import live_dict
        from simkit.oc.output import to_json, to_yaml

        obj = live_dict("ServiceAccount", account, inv.sim)
        return to_yaml(obj) if output == "yaml" else to_json(obj)
    return f"serviceaccount/{account.name} updated\n"
