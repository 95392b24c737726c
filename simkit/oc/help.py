"""``oc help``, ``oc --help``, ``oc CMD --help``: oc's help, made from simkit's command table.

Every command simkit models is registered with its help (``simkit.oc.command.command``:
oc's ``Use``, ``Short``, ``Long``, ``Example`` and each flag's usage), and this module
prints it in the shape oc prints it. Restated from openshift/oc at commit
``6b8e30c5b39aa742147846341a203905e04834f3``:

- ``pkg/cli/cli.go`` ``NewOcCommand``: oc's long description (``heredoc.Doc`` only, not
  ``LongDesc``), its command groups
  ("Basic Commands:", "Build and Deploy Commands:", ...) in their order, the
  ``options`` command filtered out of the listing; ``runHelp`` (``oc`` alone prints help).
- vendored ``k8s.io/kubectl/pkg/util/templates``: ``MainHelpTemplate`` and
  ``MainUsageTemplate`` (the long description, then ``Aliases:``, ``Examples:``, the
  subcommands, ``Options:``, ``Usage:``, the ``<command> --help`` hint and the
  ``oc options`` footer); ``templater.usageLine`` (``[options]`` appended);
  ``cmdGroupsString`` (two spaces, the name padded to the parent's longest subcommand
  name, at least 11, three spaces, ``Short``); ``getFlagFormat`` and
  ``HelpFlagPrinter.PrintHelpFlag`` (``    -n, --namespace='':`` then the usage on the
  next line after a tab, a blank line between flags; no wrapping when the output is not
  a terminal, as here); ``normalizers.go`` ``LongDesc`` (heredoc, then the
  ``ASCIIRenderer`` of ``markdown.go``: a paragraph's lines joined, each after one
  space, so paragraphs after the first start with a space; an indented block is code,
  each line indented by eight spaces) and ``Examples`` (each line trimmed and indented
  by two spaces). oc's kubectl wrappers replace ``kubectl`` by ``oc``
  (``kubectlwrappers.adjustCmdExamples``, ``cmdutil.ReplaceCommandName``).
- vendored ``github.com/spf13/cobra``: ``Command.UseLine`` (the parents' path, then
  ``Use``, then `` [flags]`` unless ``DisableFlagsInUseLine``), ``legacyArgs`` and
  ``findSuggestions``/``SuggestionsFor`` (an unknown top-level command gets ``Did you
  mean this?`` with every command within Levenshtein distance 2, case-insensitive, or
  that starts with what was typed, or that lists it in ``SuggestFor``), the ``help``
  command (``Unknown help topic``); pflag's ``VisitAll`` (flags sorted by name).
- ``cmd/oc/oc.go`` with ``k8s.io/component-base/cli`` ``RunNoErrOutput`` (cobra's own
  error printing silenced) and ``kcmdutil.CheckErr``: an error prints as
  ``error: <message>``, with no ``Run 'oc --help' for usage.`` line.
- ``kcmdutil.DefaultSubCommandRun``: a group (``oc policy``) given an unknown word fails
  with ``unknown command "WORD"`` and ``See 'oc policy -h' for help and examples``; given
  nothing it prints its help and exits 1.

What simkit adds: a real oc command or subcommand that simkit does not model is named
as such (``error: "oc explain" is not modelled by simkit``), distinct from a typo; the
Options list only the flags simkit accepts; the examples only forms simkit accepts.
Help never changes the simulation.
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass, replace

from simkit.oc.command import COMMANDS, GLOBAL_FLAGS, Command, Flag

# -- oc's command tree (pkg/cli/cli.go and each group's NewCmd...) -------------------------

#: oc's top-level commands by group, in the order ``oc --help`` lists them.
ROOT_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Basic Commands:",
        ("login", "new-project", "new-app", "status", "project", "projects", "explain"),
    ),
    (
        "Build and Deploy Commands:",
        ("rollout", "rollback", "new-build", "start-build", "cancel-build", "import-image", "tag"),
    ),
    (
        "Application Management Commands:",
        (
            "create",
            "apply",
            "get",
            "describe",
            "edit",
            "set",
            "label",
            "annotate",
            "expose",
            "delete",
            "scale",
            "autoscale",
            "secrets",
            "serviceaccounts",
        ),
    ),
    (
        "Troubleshooting and Debugging Commands:",
        (
            "logs",
            "rsh",
            "rsync",
            "port-forward",
            "debug",
            "exec",
            "proxy",
            "attach",
            "run",
            "cp",
            "wait",
            "events",
        ),
    ),
    (
        "Advanced Commands:",
        (
            "adm",
            "replace",
            "patch",
            "process",
            "extract",
            "observe",
            "policy",
            "auth",
            "image",
            "registry",
            "idle",
            "api-versions",
            "api-resources",
            "cluster-info",
            "diff",
            "kustomize",
        ),
    ),
    ("Settings Commands:", ("get-token", "logout", "config", "whoami", "completion")),
)
#: Commands oc adds outside the groups ("Other Commands:" lists those with a Short).
OTHER_COMMANDS = ("plugin", "version", "options", "help")
#: Aliases of top-level commands (cobra ``Aliases``).
ALIASES = {"secret": "secrets", "serviceaccount": "serviceaccounts", "sa": "serviceaccounts"}
#: ``SuggestFor`` of oc's commands (kubectl get, delete, wait; oc new-app, new-build,
#: cancel-build).
SUGGEST_FOR = {
    "get": ("list", "ps"),
    "wait": ("list", "ps"),
    "delete": ("rm",),
    "new-app": ("app", "application"),
    "new-build": ("build", "builds"),
    "cancel-build": ("builds", "stop-build"),
}

#: Real subcommands of oc's command groups (and of ``create``), modelled or not.
SUBCOMMANDS: dict[tuple[str, ...], tuple[str, ...]] = {
    ("adm",): (
        "upgrade",
        "top",
        "must-gather",
        "ocp-certificates",
        "wait-for-stable-cluster",
        "inspect",
        "drain",
        "cordon",
        "uncordon",
        "taint",
        "node-logs",
        "restart-kubelet",
        "copy-to-node",
        "reboot-machine-config-pool",
        "wait-for-node-reboot",
        "node-image",
        "new-project",
        "policy",
        "groups",
        "certificate",
        "pod-network",
        "migrate",
        "prune",
        "release",
        "build-chain",
        "catalog",
        "verify-image-signature",
        "create-bootstrap-project-template",
        "create-login-template",
        "create-provider-selection-template",
        "create-error-template",
    ),
    ("policy",): (
        "who-can",
        "scc-subject-review",
        "scc-review",
        "add-role-to-user",
        "remove-role-from-user",
        "remove-user",
        "add-role-to-group",
        "remove-role-from-group",
        "remove-group",
    ),
    ("adm", "policy"): (
        "who-can",
        "scc-subject-review",
        "scc-review",
        "remove-user",
        "remove-group",
        "add-role-to-user",
        "add-role-to-group",
        "remove-role-from-user",
        "remove-role-from-group",
        "add-cluster-role-to-user",
        "add-cluster-role-to-group",
        "remove-cluster-role-from-user",
        "remove-cluster-role-from-group",
        "add-scc-to-user",
        "add-scc-to-group",
        "remove-scc-from-user",
        "remove-scc-from-group",
    ),
    ("adm", "groups"): ("new", "add-users", "remove-users", "sync", "prune"),
    ("adm", "prune"): (
        "builds",
        "deployments",
        "images",
        "groups",
        "auth",
        "renderedmachineconfigs",
    ),
    ("secrets",): ("link", "unlink"),
    ("set",): (
        "deployment-hook",
        "env",
        "image",
        "probe",
        "resources",
        "selector",
        "serviceaccount",
        "volumes",
        "data",
        "build-secret",
        "build-hook",
        "image-lookup",
        "triggers",
        "route-backends",
        "subject",
    ),
    ("registry",): ("info", "login"),
    ("auth",): ("can-i", "reconcile", "whoami"),
    ("create",): (
        "clusterrole",
        "clusterrolebinding",
        "configmap",
        "cronjob",
        "deployment",
        "ingress",
        "job",
        "namespace",
        "poddisruptionbudget",
        "priorityclass",
        "quota",
        "role",
        "rolebinding",
        "route",
        "secret",
        "service",
        "serviceaccount",
        "token",
        "deploymentconfig",
        "clusterresourcequota",
        "user",
        "identity",
        "useridentitymapping",
        "imagestream",
        "imagestreamtag",
        "build",
    ),
    ("create", "secret"): ("docker-registry", "generic", "tls"),
    ("rollout",): (
        "cancel",
        "history",
        "latest",
        "pause",
        "restart",
        "resume",
        "retry",
        "status",
        "undo",
    ),
}
#: Aliases of subcommands (cobra ``Aliases``), by group.
SUB_ALIASES: dict[tuple[str, ...], dict[str, str]] = {
    ("create",): {
        "sa": "serviceaccount",
        "pdb": "poddisruptionbudget",
        "cj": "cronjob",
        "ns": "namespace",
        "svc": "service",
        "deploy": "deployment",
        "cm": "configmap",
        "ing": "ingress",
        "pc": "priorityclass",
        "resourcequota": "quota",
        "dc": "deploymentconfig",
        "is": "imagestream",
        "istag": "imagestreamtag",
    }
}

#: Commands whose further words are resources (``oc get pods``): a command registered
#: under such a verb and a resource shows the verb's help.
RESOURCE_VERBS = ("get", "describe", "delete")


@dataclass(frozen=True, slots=True)
class Group:
    """A command group of oc (a node with subcommands), as its ``NewCmd...`` defines it."""

    use: str
    short: str
    long: str
    flags_in_use: bool = True  # false where the group sets DisableFlagsInUseLine
    example: str = ""  # oc's examples for the group, those of forms simkit accepts


#: oc's command groups simkit has (or may have) subcommands of: pkg/cli/admin/admin.go,
#: admin/policy/policy.go, policy/policy.go, admin/groups/groups.go, admin/prune/prune.go,
#: secrets/secrets.go, set/set.go, registry/registry.go, kubectl cmd/auth/auth.go and
#: cmd/create/create_secret.go.
GROUPS: dict[tuple[str, ...], Group] = {
    ("adm",): Group(
        "adm",
        "Tools for managing a cluster",
        """
        Administrative Commands

        Actions for administering an OpenShift cluster are exposed here.""",
    ),
    ("policy",): Group("policy", "Manage authorization policy", "Manage authorization policy"),
    ("adm", "policy"): Group(
        "policy",
        "Manage cluster authorization and security policy",
        """
        Manage policy on the cluster

        These commands allow you to assign and manage the roles and policies that apply to
        users. The reconcile commands allow you to reset and upgrade your system policies to
        the latest default policies.

        To see more information on roles and bindings, use the 'get' and 'describe' commands
        on the following resources: 'clusterroles', 'clusterrolebindings', 'roles',
        'rolebindings', and 'scc'.""",
    ),
    ("adm", "groups"): Group(
        "groups",
        "Manage groups",
        """
        Manage groups in your cluster

        Groups are sets of users that can be used when describing policy.
        """,
    ),
    ("adm", "prune"): Group(
        "prune",
        "Remove older versions of resources from the server",
        """
        Remove older versions of resources from the server

        The commands here allow administrators to manage the older versions of resources on
        the system by removing them.""",
    ),
    ("secrets",): Group(
        "secrets",
        "Manage secrets",
        """
        Manage secrets in your project

        Secrets are used to store confidential information that should not be contained
        inside of an image. They are commonly used to hold things like keys for
        authentication to other internal systems like container image registries.""",
    ),
    ("set",): Group(
        "set COMMAND",
        "Commands that help set specific features on objects",
        """
        Configure application resources

        These commands help you make changes to existing application resources.""",
    ),
    ("registry",): Group(
        "registry COMMAND",
        "Commands for working with the registry",
        """
        Manage the integrated registry on OpenShift

        These commands help you work with an integrated OpenShift registry.""",
    ),
    ("auth",): Group("auth", "Inspect authorization", "Inspect authorization."),
    # pkg/cli/rollout/rollout.go NewCmdRollout
    ("rollout",): Group(
        "rollout SUBCOMMAND",
        "Manage the rollout of a resource",
        """
        Manage the rollout of one or more resources.
        Valid resource types include:

           * deployments
           * daemonsets
           * statefulsets
           * deploymentConfigs (deprecated)
        """,
        example="""
        # Restart a deployment
        oc rollout restart deployment/abc""",
    ),
    ("create", "secret"): Group(
        "secret (docker-registry | generic | tls)",
        "Create a secret using a specified subcommand",
        """
        Create a secret with specified type.

        A docker-registry type secret is for accessing a container registry.

        A generic type secret indicate an Opaque secret type.

        A tls type secret holds TLS certificate and its associated key.""",
        flags_in_use=False,
    ),
}

ROOT_LONG = """
    OpenShift Client

    This client helps you develop, build, deploy, and run your applications on any
    OpenShift or Kubernetes cluster. It also includes the administrative
    commands for managing a cluster under the 'adm' subcommand."""
HELP_SHORT = "Help about any command"  # cobra's default help command
MIN_NAME_PADDING = 11  # cobra minNamePadding
OPTIONS_FOOTER = (
    'Use "oc options" for a list of global command-line options (applies to all commands).'
)


# -- text normalization (templates.LongDesc, templates.Examples) ----------------------------

_LIST_ITEM = re.compile(r"^(\*|-|\+|\d+\.)\s+")


def long_desc(text: str) -> str:
    """A command's long description as kubectl's ``templates.LongDesc`` prints it.

    Examples
    --------
    >>> print(long_desc('''
    ...     Tag images.
    ...
    ...     The tag command
    ...     tags.'''))
    Tag images.
    <BLANKLINE>
     The tag command tags.
    """
    if not text:
        return ""
    lines = textwrap.dedent(text.expandtabs(4)).strip("\n").split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        block: list[str] = []
        if line.startswith("    "):  # an indented code block, blank lines inside it kept
            while i < len(lines) and (lines[i].startswith("    ") or not lines[i].strip()):
                block.append(lines[i])
                i += 1
            while block and not block[-1].strip():
                block.pop()
            code = [" " * 8 + b[4:].strip(" \t") for b in block] + [" " * 8]
            out.append("\n" + "\n".join(code))
            continue
        while i < len(lines) and lines[i].strip():
            block.append(lines[i])
            i += 1
        if _LIST_ITEM.match(block[0].lstrip()):
            items: list[str] = []
            for b in block:
                match = _LIST_ITEM.match(b.strip())
                if match:
                    marker = f"{len(items) + 1}. " if match.group(1)[0].isdigit() else "* "
                    items.append("  " + marker + " " + b.strip()[match.end() :].strip())
                else:
                    items[-1] += " " + b.strip()
            out.append("\n" + "".join(item + "\n" for item in items))
        else:
            out.append("\n" + "".join(" " + b.strip() for b in block) + "\n")
    return "".join(out).strip()


def examples(text: str) -> str:
    """Examples as ``templates.Examples`` prints them: each line trimmed, two spaces in,
    ``kubectl`` read as ``oc`` (oc's kubectl wrappers).

    Examples
    --------
    >>> examples('''
    ...     # List all pods
    ...     kubectl get pods''').splitlines()
    ['  # List all pods', '  oc get pods']
    """
    lines = text.strip().replace("kubectl", "oc").split("\n")
    return "\n".join("  " + line.strip() for line in lines)


def flag_usage(flag: Flag) -> str:
    """One flag as ``HelpFlagPrinter.PrintHelpFlag`` prints it (no terminal, no wrapping).

    Examples
    --------
    >>> flag_usage(Flag("namespace", "n", usage="If present, the namespace scope"))
    "    -n, --namespace='':\\n\\tIf present, the namespace scope"
    """
    shorthand = f"-{flag.short}, " if flag.short else ""
    value = f"'{flag.def_value}'" if flag.pflag_type == "string" else flag.def_value
    usage = " ".join(flag.usage.split("\n"))
    return f"    {shorthand}--{flag.name}={value}:\n\t{usage}"


def flags_usages(flags: tuple[Flag, ...] | list[Flag]) -> str:
    """Flags sorted by name (pflag ``VisitAll``), one blank line between them."""
    return "\n\n".join(flag_usage(f) for f in sorted(flags, key=lambda f: f.name))


# -- the command tree --------------------------------------------------------------------


def _root_names() -> list[str]:
    return [name for _, names in ROOT_GROUPS for name in names] + list(OTHER_COMMANDS)


def _modelled_children(path: tuple[str, ...]) -> list[str]:
    """The names under ``path`` that simkit models (a command, or a group over one)."""
    names = {
        words[len(path)]
        for words in COMMANDS
        if len(words) > len(path) and words[: len(path)] == path
    }
    aliases = ALIASES if not path else SUB_ALIASES.get(path, {})
    # an alias registered on its own ("secret link", "create sa") is listed once
    return sorted(n for n in names if not (n in aliases and aliases[n] in names))


def _canonical(path: tuple[str, ...], word: str) -> str:
    aliases = ALIASES if not path else SUB_ALIASES.get(path, {})
    return aliases.get(word, word)


def _is_real(path: tuple[str, ...], word: str) -> bool:
    if not path:
        return word in _root_names() or word in ALIASES
    return word in SUBCOMMANDS.get(path, ()) or word in SUB_ALIASES.get(path, {})


def _is_modelled_node(path: tuple[str, ...]) -> bool:
    return path in COMMANDS or any(words[: len(path)] == path for words in COMMANDS)


def resolve(words: list[str]) -> tuple[tuple[str, ...], list[str], str | None]:
    """Walk ``words`` down oc's tree as cobra's ``Find`` does.

    Returns the path reached (registered or a group simkit models), the words left over
    (arguments), and, when the walk stopped at a real oc command simkit does not model,
    that command's full path as a string (``"oc explain"``); ``None`` otherwise.
    """
    path: tuple[str, ...] = ()
    for i, word in enumerate(words):
        if word.startswith("-"):
            return path, words[i:], None
        if _is_modelled_node((*path, _canonical(path, word))):
            word = _canonical(path, word)
        candidate = (*path, word)
        if _is_modelled_node(candidate):
            path = candidate
            continue
        if path and path[0] in RESOURCE_VERBS:  # oc get pods: a resource, an argument
            return path, words[i:], None
        if _is_real(path, word) and not _is_modelled_node((*path, _canonical(path, word))):
            return path, words[i:], "oc " + " ".join(candidate)
        return path, words[i:], None
    return path, [], None


# -- Levenshtein, as cobra's ld ------------------------------------------------------------


def levenshtein(s: str, t: str, ignore_case: bool = True) -> int:
    """Edit distance between ``s`` and ``t`` (cobra ``ld``).

    Examples
    --------
    >>> levenshtein("tga", "tag")
    2
    """
    if ignore_case:
        s, t = s.lower(), t.lower()
    row = list(range(len(t) + 1))
    for i, a in enumerate(s, 1):
        previous, row[0] = row[0], i
        for j, b in enumerate(t, 1):
            previous, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, previous + (a != b))
    return row[len(t)]


def suggestions_for(typed: str) -> list[str]:
    """oc's top-level commands cobra suggests for ``typed`` (``SuggestionsFor``), in the
    order cobra keeps them (sorted by name).

    Examples
    --------
    >>> suggestions_for("tga")
    ['tag']
    """
    names = sorted(set(_root_names()) - {"options"} | {"completion"})
    found: list[str] = []
    for name in names:
        if levenshtein(typed, name) <= 2 or name.lower().startswith(typed.lower()):
            found.append(name)
        for explicit in SUGGEST_FOR.get(name, ()):
            if typed.lower() == explicit.lower():
                found.append(name)
    return found


def unknown_command(typed: str) -> str:
    """cobra's ``legacyArgs`` error for an unknown top-level command, as oc prints it."""
    found = suggestions_for(typed)
    hint = ("\n\nDid you mean this?\n" + "".join(f"\t{s}\n" for s in found)) if found else ""
    return f'error: unknown command "{typed}" for "oc"{hint}'.rstrip("\n")


def not_modelled(what: str) -> str:
    """The error for a real oc command simkit does not model."""
    return f'error: "{what}" is not modelled by simkit'


# -- rendering ---------------------------------------------------------------------------


def _padding(path: tuple[str, ...]) -> int:
    if not path:
        names = _root_names()
    else:
        names = list(SUBCOMMANDS.get(path, ())) + _modelled_children(path)
    return max([MIN_NAME_PADDING, *(len(n) for n in names)])


def _short_of(path: tuple[str, ...]) -> str:
    if path in COMMANDS and COMMANDS[path].short:
        return COMMANDS[path].short
    if path in GROUPS:
        return GROUPS[path].short
    return ""


def _own_flags(spec: Command) -> list[Flag]:
    return [f for f in spec.flags if f not in GLOBAL_FLAGS]


def help_spec(spec: Command) -> Command:
    """The command whose help text ``spec`` shows: its own; for an alias registered on its
    own (``create sa``) the command it names; for ``get pods`` the verb's (a resource is an
    argument of ``get``)."""
    if spec.has_help:
        return spec
    path, name = spec.words[:-1], spec.words[-1]
    canonical = COMMANDS.get((*path, _canonical(path, name)))
    if canonical is not None and canonical.has_help:
        return canonical
    if len(spec.words) == 2 and spec.words[0] in RESOURCE_VERBS:
        verb = COMMANDS.get(spec.words[:1])
        if verb is not None:
            return verb
    return spec


def documented_flags(spec: Command) -> list[Flag]:
    """The flags ``spec`` accepts (the global ones aside), each with its usage: its own, or
    that of the same flag of the command whose help it shows (``get pods -o``)."""
    source = {f.name: f for f in help_spec(spec).flags}
    flags = []
    for flag in _own_flags(spec):
        if not flag.usage and flag.name in source and source[flag.name].usage:
            other = source[flag.name]
            flag = replace(
                flag, usage=other.usage, type=other.type, shown_default=other.shown_default
            )
        flags.append(flag)
    return flags


def usage_line(spec: Command) -> str:
    """``Usage:`` line: ``Command.UseLine`` then ``templater.usageLine``."""
    text = help_spec(spec)
    path = " ".join(("oc", *text.words[:-1])) if text.words else "oc"
    line = f"{path} {text.use}"
    has_flags = bool(spec.flags)
    if text.flags_in_use and has_flags and "[flags]" not in line:
        line += " [flags]"
    if has_flags and "[options]" not in line:
        line += " [options]"
    return line


def _aliases(path: tuple[str, ...]) -> str:
    """``Aliases:`` section: the name and its aliases (cobra ``NameAndAliases``)."""
    table = ALIASES if len(path) == 1 else SUB_ALIASES.get(path[:-1], {})
    names = [alias for alias, name in table.items() if name == path[-1]]
    return f"Aliases:\n{', '.join([path[-1], *names])}" if names else ""


def _render(
    description: str,
    example: str,
    aliases: str,
    subcommands: str,
    flags: list[Flag],
    usage: str | None,
    subcommand_hint: str | None,
    footer: bool,
) -> str:
    parts = [description.strip()]
    if aliases:
        parts.append(aliases)
    if example:
        parts.append("Examples:\n" + example.rstrip())
    if subcommands:
        parts.append(subcommands)
    if flags:
        parts.append("Options:\n" + flags_usages(flags).rstrip())
    if usage:
        parts.append("Usage:\n  " + usage)
    tips = []
    if subcommand_hint:
        tips.append(subcommand_hint)
    if footer:
        tips.append(OPTIONS_FOOTER)
    if tips:
        parts.append("\n".join(tips))
    return "\n\n".join(parts)


def command_help(spec: Command) -> str:
    """``oc CMD --help`` for a registered command.

    ``oc get pods --help`` is ``oc get --help`` (a resource is an argument); the Options
    are the flags simkit accepts for what was typed.
    """
    text = help_spec(spec)
    description = long_desc(text.long.replace("kubectl", "oc")) or text.short
    example = examples(text.example) if text.example else ""
    children = [
        n
        for n in _modelled_children(text.words)
        if (*text.words, n) in COMMANDS or (*text.words, n) in GROUPS
    ]
    subcommands = ""
    hint = None
    if children and text.words not in (("get",), ("describe",), ("delete",)):
        subcommands = _listing("Available Commands:", text.words, children)
        hint = (
            f'Use "{" ".join(("oc", *text.words))} <command> --help" for more '
            "information about a given command."
        )
    return _render(
        description,
        example,
        _aliases(text.words),
        subcommands,
        documented_flags(spec),
        usage_line(spec),
        hint,
        footer=True,
    )


def _listing(message: str, path: tuple[str, ...], names: list[str]) -> str:
    pad = _padding(path)
    rows = [f"  {name.ljust(pad)}   {_short_of((*path, name))}" for name in names]
    return "\n".join([message, *rows])


def group_help(path: tuple[str, ...]) -> str:
    """``oc GROUP --help`` for a group of oc simkit models some subcommands of."""
    group = GROUPS[path]
    children = _modelled_children(path)
    full = " ".join(("oc", *path))
    usage = " ".join(("oc", *path[:-1], group.use))
    usage += " [flags] [options]" if group.flags_in_use else " [options]"
    example = examples(group.example) if group.example else ""
    return _render(
        long_desc(group.long) or group.short,
        example,
        _aliases(path),
        _listing("Available Commands:", path, children),
        [],
        usage,
        f'Use "{full} <command> --help" for more information about a given command.',
        footer=True,
    )


def root_help() -> str:
    """``oc help`` / ``oc --help``: oc's groups, listing only the commands simkit models."""
    return textwrap.dedent(ROOT_LONG).strip() + "\n\n" + root_usage()  # heredoc.Doc only


def root_usage() -> str:
    """The root command's usage (``MainUsageTemplate``): its groups, Usage and hints."""
    modelled = set(_modelled_children(()))
    sections = []
    pad = _padding(())
    for message, names in ROOT_GROUPS:
        shown = [n for n in names if n in modelled]
        if shown:
            rows = [f"  {n.ljust(pad)}   {_short_of((n,))}" for n in shown]
            sections.append("\n".join([message, *rows]))
    sections.append("\n".join(["Other Commands:", f"  {'help'.ljust(pad)}   {HELP_SHORT}"]))
    return _render(
        "\n\n".join(sections),
        "",
        "",
        "",
        [],
        "oc [flags] [options]",
        'Use "oc <command> --help" for more information about a given command.',
        footer=True,
    )


def options_help() -> str:
    """``oc options``: the global flags simkit accepts (``OptionsUsageTemplate``)."""
    return (
        "The following options can be passed to any command:\n\n"
        + flags_usages(GLOBAL_FLAGS)
        + "\n"
    )


# -- entry points used by run_oc -------------------------------------------------------------


def is_help_request(tokens: list[str]) -> bool:
    """Whether a command line asks for help: ``help ...``, ``options``, or ``-h``/``--help``
    before ``--``."""
    if not tokens or tokens[0] in ("help", "options"):
        return True
    for token in tokens:
        if token == "--":
            return False
        if token in ("-h", "--help", "--help=true"):
            return True
    return False


def help_for(tokens: list[str]) -> str:
    """The help a help request prints; for a command simkit does not have, what oc
    prints for it (an error message raised by the caller, see :func:`help_error`)."""
    if not tokens:
        return root_help()
    if tokens[0] == "options":
        return options_help()
    if tokens[0] == "help":
        words = [t for t in tokens[1:] if not t.startswith("-")]
        if not words:
            return root_help()
        path, _rest, unmodelled = resolve(words)
        if unmodelled:
            return not_modelled(unmodelled)
        if not path:  # cobra's help command: Root().Find failed
            topic = " ".join(f"`{w}`" for w in words)
            return f"Unknown help topic [{topic}]\n\n\n{root_usage()}"
        return _help_at(path)
    words = [t for t in tokens if t not in ("-h", "--help", "--help=true")]
    path, _rest, _unmodelled = resolve(words)
    return _help_at(path)


def help_error(tokens: list[str]) -> str | None:
    """For ``oc X --help``: the error oc (or simkit) gives when X is not a command it has.

    ``None`` when the help can be shown.
    """
    if not tokens or tokens[0] in ("help", "options"):
        return None
    words = [t for t in tokens if t not in ("-h", "--help", "--help=true")]
    if not words or words[0].startswith("-"):
        return None
    path, rest, unmodelled = resolve(words)
    if unmodelled:
        return not_modelled(unmodelled)
    if not path:
        return unknown_command(words[0])
    return None


def _help_at(path: tuple[str, ...]) -> str:
    if path in COMMANDS:
        return command_help(COMMANDS[path])
    if path in GROUPS:
        return group_help(path)
    return root_help()


def command_error(tokens: list[str]) -> str:
    """The error for a command line that names no registered command (not a help request).

    A real oc command simkit does not model says so; an unknown top-level word is cobra's
    ``unknown command`` with its suggestions; an unknown word under a group is
    ``DefaultSubCommandRun``'s; a group alone prints its help (and oc exits 1).
    """
    path, rest, unmodelled = resolve(tokens)
    if unmodelled:
        return not_modelled(unmodelled)
    if not path:
        return unknown_command(tokens[0])
    if path in GROUPS and path not in COMMANDS:
        words = []
        for word in rest:  # the arguments cobra leaves after parsing the flags
            if word.startswith("-"):
                break
            words.append(word)
        if words:
            full = " ".join(("oc", *path))
            return (
                f'error: unknown command "{" ".join(words)}"\n'
                f"See '{full} -h' for help and examples"
            )
        return group_help(path)
    return unknown_command(tokens[0])
