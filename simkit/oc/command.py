"""Parsing an ``oc`` command line: command words, flags as cobra reads them, errors as oc.

A command is registered with :func:`command` under its words (``("adm", "prune",
"images")``) with the flags it accepts and its help (oc's ``Use``, ``Short``, ``Long`` and
``Example`` for that command, and each flag's usage line), so that the help and the
reference page are made from what simkit accepts and cannot drift from it.
:func:`run_oc` finds the longest registered match, parses flags and runs the handler
inside one transaction, so that a command that fails changes nothing;
``simkit.oc.run_oc`` (:mod:`simkit.oc.dispatch`) answers ``oc help``, ``--help`` and
``-h`` from the metadata (:mod:`simkit.oc.help`) before that.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from simkit.apiserver.errors import ApiError

if TYPE_CHECKING:
    from simkit.simulation import Simulation
    from simkit.state.cluster import Transaction


class OcError(Exception):
    """An ``oc`` command failed; the message is what oc would print on stderr."""


class UnknownCommand(OcError):
    """No registered command matches the leading words (``simkit.oc.dispatch`` says why:
    a typo, or a real oc command simkit does not model)."""

    def __init__(self, words: list[str]) -> None:
        super().__init__(f'error: unknown command "{words[0] if words else ""}" for "oc"')
        self.words = list(words)


@dataclass(frozen=True, slots=True)
class Flag:
    """A flag: its long name, an optional one-letter short name, whether it takes a value.

    ``usage`` is oc's usage text for the flag (what ``oc CMD --help`` prints under it);
    ``type`` is pflag's name for its value type (``string``, ``bool``, ``stringArray``,
    ``int``, ...) and ``shown_default`` the default as oc prints it, when they differ from
    what ``value``, ``repeated`` and ``default`` imply.  All three are filled in by the
    ``usage=`` argument of :func:`command`.
    """

    name: str
    short: str = ""
    value: bool = True
    repeated: bool = False
    default: Any = None
    usage: str = field(default="", compare=False)
    type: str = field(default="", compare=False)
    shown_default: str | None = field(default=None, compare=False)

    @property
    def pflag_type(self) -> str:
        """pflag's type name: ``bool``, ``string``, ``stringArray``, or as registered."""
        if self.type:
            return self.type
        if not self.value:
            return "bool"
        return "stringArray" if self.repeated else "string"

    @property
    def def_value(self) -> str:
        """The default as pflag's ``DefValue`` prints it (``false``, ``''`` content, ``[]``)."""
        if self.shown_default is not None:
            return self.shown_default
        if not self.value:
            return "true" if self.default else "false"
        if self.repeated:
            return "[]"
        return "" if self.default is None else str(self.default)


@dataclass(frozen=True, slots=True)
class Usage:
    """A flag's help as oc has it: the usage text, and pflag's type and default when the
    flag's own shape does not say them (``Usage("Number of ...", type="int", default="3")``).
    """

    text: str
    type: str = ""
    default: str | None = None


GLOBAL_FLAGS = (
    Flag("namespace", "n", usage="If present, the namespace scope for this CLI request"),
)


@dataclass(slots=True)
class Invocation:
    """One parsed command line, handed to a command's handler.

    ``printed`` is false when the caller throws the printed text away: a handler whose
    printout is costly may then return ``""`` instead, changing nothing else.
    """

    sim: Simulation
    tx: Transaction
    words: tuple[str, ...]
    args: list[str]
    flags: dict[str, Any]
    line: str
    explicit_namespace: bool = False
    printed: bool = True

    @property
    def namespace(self) -> str:
        """``-n``/``--namespace``, else the current project."""
        return self.flags.get("namespace") or self.sim.current_project

    @property
    def now(self) -> float:
        """The simulation time."""
        return self.sim.now

    def flag(self, name: str) -> Any:
        """The value of a flag (its default when not given)."""
        return self.flags.get(name)

    def usage_error(self, message: str) -> OcError:
        """A cobra usage error: the message plus where to find help."""
        words = " ".join(self.words)
        return OcError(f"error: {message}\nSee 'oc {words} -h' for help and examples")


Handler = Callable[[Invocation], str]


@dataclass(frozen=True, slots=True)
class Command:
    """A registered command, with its help as oc prints it.

    ``use`` is cobra's ``Use`` (the command's own name first), ``short``, ``long`` and
    ``example`` are oc's ``Short``, ``Long`` (as written, before kubectl's ``LongDesc``
    normalizes it) and ``Example`` (only the examples simkit accepts);
    ``flags_in_use`` is false where oc sets ``DisableFlagsInUseLine``.
    """

    words: tuple[str, ...]
    handler: Handler
    flags: tuple[Flag, ...]
    min_args: int = 0
    mutates: bool = True
    use: str = ""
    short: str = ""
    long: str = ""
    example: str = ""
    flags_in_use: bool = True

    @property
    def has_help(self) -> bool:
        """Whether the command was registered with its help (``use`` and ``short``)."""
        return bool(self.use and self.short)


COMMANDS: dict[tuple[str, ...], Command] = {}


def _with_usage(flag: Flag, usage: str | Usage | None) -> Flag:
    if usage is None:
        return flag
    if isinstance(usage, str):
        usage = Usage(usage)
    return replace(
        flag,
        usage=usage.text,
        type=usage.type or flag.type,
        shown_default=usage.default if usage.default is not None else flag.shown_default,
    )


def command(
    *words: str,
    flags: tuple[Flag, ...] = (),
    use: str = "",
    short: str = "",
    long: str = "",
    example: str = "",
    flags_in_use: bool = True,
    usage: dict[str, str | Usage] | None = None,
) -> Callable[[Handler], Handler]:
    """Register ``handler`` as the command ``oc <words...>``, with its help.

    ``usage`` maps a flag's long name to its usage text (or a :class:`Usage`); a name
    that is not one of ``flags`` is a mistake and raises ``ValueError``.
    """
    usage = dict(usage or {})
    unknown = set(usage) - {f.name for f in flags}
    if unknown:
        raise ValueError(
            f"oc {' '.join(words)}: usage for flags it does not have: {sorted(unknown)}"
        )
    own = tuple(_with_usage(f, usage.get(f.name)) for f in flags)

    def register(handler: Handler) -> Handler:
        COMMANDS[tuple(words)] = Command(
            tuple(words),
            handler,
            own + GLOBAL_FLAGS,
            use=use,
            short=short,
            long=long,
            example=example,
            flags_in_use=flags_in_use,
        )
        return handler

    return register


def split_line(line: str) -> list[str]:
    """Split a command line as a POSIX shell would; a leading ``oc`` is dropped.

    Examples
    --------
    >>> split_line("oc tag 'quay.io/a/b:1' b:1")
    ['tag', 'quay.io/a/b:1', 'b:1']
    >>> split_line("oc")
    []
    """
    try:
        tokens = shlex.split(line, comments=False, posix=True)
    except ValueError as exc:
        from simkit.redact import redact_command

        shown = redact_command(line)  # an unclosed quote may be in a password
        raise OcError(f"error: cannot parse the command line {shown!r}: {exc}") from None
    if tokens and tokens[0] == "oc":
        tokens = tokens[1:]
    return tokens


def find_command(tokens: list[str]) -> tuple[Command, list[str]]:
    """The longest registered command matching the leading words, and the rest."""
    words = list(tokens)
    if len(words) > 1 and words[0] in ("get", "describe") and "/" in words[1]:
        # ``get secret/NAME`` is ``get secret NAME``: the resource picks the command
        resource, _, name = words[1].partition("/")
        words[1:2] = [resource, name]
        tokens = words
    for length in range(min(4, len(words)), 0, -1):
        candidate = tuple(words[:length])
        if candidate in COMMANDS:
            return COMMANDS[candidate], tokens[length:]
    raise UnknownCommand(words)


_TRUE = {"true", "1", "t", "yes"}
_FALSE = {"false", "0", "f", "no"}


def parse_flags(spec: Command, tokens: list[str]) -> tuple[list[str], dict[str, Any]]:
    """Separate positional arguments from flags, as cobra/pflag does."""
    by_long = {f.name: f for f in spec.flags}
    by_short = {f.short: f for f in spec.flags if f.short}
    flags: dict[str, Any] = {f.name: ([] if f.repeated else f.default) for f in spec.flags}
    args: list[str] = []
    usage = f"See 'oc {' '.join(spec.words)} --help' for usage."
    value: str | bool  # the text after the flag; a bool flag's becomes a bool
    i = 0
    while i < len(tokens):
        token = tokens[i]
        i += 1
        if token == "--":
            args.extend(tokens[i:])
            break
        if token.startswith("--") and len(token) > 2:
            name, eq, value = token[2:].partition("=")
            flag = by_long.get(name)
            if flag is None:
                raise OcError(f"error: unknown flag: --{name}\n{usage}")
        elif token.startswith("-") and len(token) > 1 and not token[1].isdigit():
            letter, rest = token[1], token[2:]
            flag = by_short.get(letter)
            if flag is None:
                raise OcError(f"error: unknown shorthand flag: '{letter}' in {token}\n{usage}")
            eq = "=" if rest else ""
            value = rest[1:] if rest.startswith("=") else rest
        else:
            args.append(token)
            continue
        if flag.value:
            if not eq:
                if i >= len(tokens):
                    raise OcError(f"error: flag needs an argument: --{flag.name}\n{usage}")
                value = tokens[i]
                i += 1
        else:
            if not eq or value.lower() in _TRUE:
                value = True
            elif value.lower() in _FALSE:
                value = False
            else:
                raise OcError(
                    f'error: invalid argument "{value}" for "--{flag.name}" flag: '
                    f'strconv.ParseBool: parsing "{value}": invalid syntax\n{usage}'
                )
        if flag.repeated:
            flags[flag.name].append(value)
        else:
            flags[flag.name] = value
    return args, flags


def run_oc(sim: Simulation, line: str, *, output: bool = True) -> str:
    """Run one ``oc`` command line against ``sim``; raise :class:`OcError` on failure.

    The command runs in a single transaction: on failure neither the cluster nor the
    event log changes (``simkit.oc.run_oc``, in :mod:`simkit.oc.dispatch`, answers help
    requests before this and names unmodelled commands).  A successful
    command logs an ``oc`` event with the command (secrets in it redacted).
    ``output=False`` tells the handler that what it prints is thrown away
    (:attr:`Invocation.printed`).
    """
    from simkit.redact import redact_command

    tokens = split_line(line)
    spec, rest = find_command(tokens)
    args, flags = parse_flags(spec, rest)
    previous_project = sim.current_project
    tx = sim.transaction()
    invocation = Invocation(
        sim,
        tx,
        spec.words,
        args,
        flags,
        line,
        explicit_namespace=bool(flags.get("namespace")),
        printed=output,
    )
    try:
        namespace = flags.get("namespace")
        if (
            namespace
            and sim.cluster.get("Project", ("", namespace)) is None
            and (spec.words != ("new-project",))
        ):
            raise OcError(
                f'Error from server (NotFound): namespaces "{flags["namespace"]}" not found'
            )
        tx.record(
            "oc",
            command=" ".join(spec.words),
            line=redact_command(line),
            namespace=invocation.namespace,
        )
        text = spec.handler(invocation)
    except ApiError as exc:
        sim.current_project = previous_project
        raise OcError(str(exc)) from None
    except OcError:
        sim.current_project = previous_project
        raise
    tx.commit()
    return text
