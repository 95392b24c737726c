"""``oc help``, ``oc --help``, ``oc CMD --help``: oc's help shape, from the command table.

The expected texts restate openshift/oc at commit 6b8e30c5b39aa742147846341a203905e04834f3:
the command sources (``pkg/cli/tag/tag.go`` ``NewCmdTag``, ``pkg/cli/importimage``
``NewCmdImportImage``, ``pkg/cli/admin/policy/modify_roles.go`` ``NewCmdAddRoleToUser``,
``pkg/cli/secrets/link.go`` ``NewCmdLinkSecret``, vendored kubectl ``cmd/get/get.go``
``NewCmdGet`` and ``cmd/describe/describe.go`` ``NewCmdDescribe``) rendered by the vendored
``k8s.io/kubectl/pkg/util/templates`` (``MainHelpTemplate``/``MainUsageTemplate``,
``getFlagFormat``, ``LongDesc`` through ``ASCIIRenderer``, ``Examples``) as oc prints them
when its output is not a terminal (no wrapping). Errors restate cobra ``legacyArgs``,
``findSuggestions``/``SuggestionsFor`` and the ``help`` command, and oc's
``kcmdutil.CheckErr`` (``cmd/oc/oc.go`` silences cobra's own error lines).
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import simkit as sk
from simkit.oc.command import COMMANDS, GLOBAL_FLAGS, Flag, OcError
from simkit.oc.help import (
    GROUPS,
    ROOT_GROUPS,
    SUB_ALIASES,
    SUBCOMMANDS,
    documented_flags,
    examples,
    flag_usage,
    help_spec,
    levenshtein,
    long_desc,
    suggestions_for,
)

FOOTER = 'Use "oc options" for a list of global command-line options (applies to all commands).'


@pytest.fixture(scope="module")
def sim() -> sk.Simulation:
    return sk.Simulation(seed=1)


# --- golden texts ---------------------------------------------------------------------------

TAG_HELP = (
    """\
Tag existing images into image streams.

 The tag command allows you to take an existing tag or image from an image stream, or a \
container image pull spec, and set it as the most recent image for a tag in 1 or more other \
image streams. It is similar to the 'docker tag' command, but it operates on image streams \
instead.

 Pass the --insecure flag if your external registry does not have a valid HTTPS certificate, \
or is only served over HTTP. Pass --scheduled to have the server regularly check the tag for \
updates and import the latest version (which can then trigger builds and deployments). Note \
that --scheduled is only allowed for container images.

Examples:
  # Tag the current image for the image stream 'openshift/ruby' and tag '2.0' into the \
image stream 'yourproject/ruby with tag 'tip'
  oc tag openshift/ruby:2.0 yourproject/ruby:tip
\x20\x20
  # Tag a specific image
  oc tag openshift/ruby@sha256:6b646fa6bf5e5e4c7fa41056c27910e679c03ebe7f93e361e6515a9da7e258cc \
yourproject/ruby:tip
\x20\x20
  # Tag an external container image
  oc tag --source=docker openshift/origin-control-plane:latest yourproject/ruby:tip
\x20\x20
  # Tag an external container image and request pullthrough for it
  oc tag --source=docker openshift/origin-control-plane:latest yourproject/ruby:tip \
--reference-policy=local
\x20\x20
  # Tag an external container image and include the full manifest list
  oc tag --source=docker openshift/origin-control-plane:latest yourproject/ruby:tip \
--import-mode=PreserveOriginal
\x20\x20
  # Remove the specified spec tag from an image stream
  oc tag openshift/origin-control-plane:latest -d

Options:
    --alias=false:
\tShould the destination tag be updated whenever the source tag changes. Applies only to a \
single image stream. Defaults to false.

    -d, --delete=false:
\tDelete the provided spec tags.

    --import-mode='':
\tImports the full manifest list of a tag when set to 'PreserveOriginal'. Defaults to 'Legacy'.

    --insecure=false:
\tSet to true if importing the specified container image requires HTTP or has a self-signed \
certificate. Defaults to false.

    --reference=false:
\tShould the destination tag continue to pull from the source namespace. Defaults to false.

    --reference-policy='source':
\tAllow to request pullthrough for external image when set to 'local'. Defaults to 'source'.

    --scheduled=false:
\tSet a container image to be periodically imported from a remote repository. Defaults to \
false.

    --source='':
\tOptional hint for the source type; valid values are 'imagestreamtag', 'istag', \
'imagestreamimage', 'isimage', and 'docker'.

Usage:
  oc tag [--source=SOURCETYPE] SOURCE DEST [DEST ...] [flags] [options]

"""
    + FOOTER
)


def test_tag_help_is_ocs(sim: sk.Simulation) -> None:
    assert sim.oc("oc tag --help") == TAG_HELP
    assert sim.oc("oc tag -h") == TAG_HELP
    assert sim.oc("oc help tag") == TAG_HELP
    assert sim.oc("tag a:1 b:1 --help") == TAG_HELP  # cobra: --help wins over the arguments


def test_import_image_help(sim: sk.Simulation) -> None:
    text = sim.oc("oc import-image --help")
    assert text.startswith(
        "Import the latest image information from a tag in a container image registry.\n\n"
        " Image streams allow you to control which images are rolled out to your builds and "
        "applications. This command fetches the latest version of an image from a remote "
        "repository and updates the image stream tag if it does not match the previous value. "
        "Running the command multiple times will not create duplicate entries. When importing "
        "an image, only the image metadata is copied, not the image contents.\n\n"
        " If you want to change the image stream tag or provide more advanced options, see the "
        "'tag' command.\n\nExamples:\n"
        "  # Import tag latest into a new image stream\n"
        "  oc import-image mystream --from=registry.io/repo/image:latest --confirm\n  \n"
    )
    assert (
        "    --confirm=false:\n\tIf true, allow the image stream import location to be set "
        "or changed\n\n    --dry-run=false:\n\tFetch information about images without "
        "creating or updating an image stream.\n\n    --from='':\n\tA container image "
        "repository to import images from\n"
    ) in text
    # --all is simkit's, but importing a whole repository is not: that example is left out
    assert "--from=registry.io/repo/image --all --confirm" not in text
    assert text.endswith(
        "Usage:\n  oc import-image IMAGESTREAM[:TAG] [flags] [options]\n\n" + FOOTER
    )


def test_policy_add_role_to_user_help(sim: sk.Simulation) -> None:
    text = sim.oc("oc policy add-role-to-user --help")
    assert text.startswith(
        "Add a role to users or service accounts for the project.\n\n"
        " This command allows you to grant a user access to specific "
        "resources and actions within the current project, by assigning "
        "them to a role."
    )
    assert (
        "Examples:\n  # Add the 'view' role to user1 for the current project\n"
        "  oc policy add-role-to-user view user1\n  \n"
        "  # Add the 'edit' role to serviceaccount1 for the current project\n"
        "  oc policy add-role-to-user edit -z serviceaccount1\n\n"
    ) in text
    assert (
        "Options:\n    --role-namespace='':\n\tnamespace where the role is located: empty "
        "means a role defined in cluster policy\n\n    --rolebinding-name='':\n\tName of "
        "the rolebinding to modify or create. If left empty creates a new rolebinding with "
        "a default name\n\n    -z, --serviceaccount=[]:\n\tservice account in the current "
        "namespace to use as a user\n\n"
    ) in text
    assert (
        "Usage:\n  oc policy add-role-to-user ROLE (USER | -z SERVICEACCOUNT) [USER ...] "
        "[flags] [options]\n\n" + FOOTER
    ) in text
    # under adm policy oc rewrites its examples (NewCmdAddRoleToUser(..., admin=true))
    adm = sim.oc("oc adm policy add-role-to-user --help")
    assert "  oc adm policy add-role-to-user view user1\n" in adm
    assert "Usage:\n  oc adm policy add-role-to-user ROLE" in adm


def test_secrets_link_help(sim: sk.Simulation) -> None:
    expected = (
        "Link secrets to a service account.\n\n"
        " Linking a secret enables a service account to automatically use that secret for some "
        "forms of authentication.\n\n"
        "Examples:\n"
        "  # Add an image pull secret to a service account to automatically use it for pulling "
        "pod images\n"
        "  oc secrets link serviceaccount-name pull-secret --for=pull\n  \n"
        "  # Add an image pull secret to a service account to automatically use it for both "
        "pulling and pushing build images\n"
        "  oc secrets link builder builder-image-secret --for=pull,mount\n\n"
        "Options:\n    --for=[mount]:\n\ttype of secret to link: mount or pull\n\n"
        "Usage:\n  oc secrets link serviceaccounts-name secret-name [another-secret-name]... "
        "[flags] [options]\n\n" + FOOTER
    )
    assert sim.oc("oc secrets link --help") == expected
    assert sim.oc("oc secret link -h") == expected  # "secret" is an alias of "secrets"


def test_get_help(sim: sk.Simulation) -> None:
    text = sim.oc("oc get --help")
    assert text.startswith(
        "Display one or many resources.\n\n"
        " Prints a table of the most important information about the specified resources. You "
        "can filter the list using a label selector and the --selector flag. If the desired "
        "resource type is namespaced you will only see results in the current namespace if you "
        "don't specify any namespace.\n\n"
        " By specifying the output as 'template' and providing a Go template as the value of "
        "the --template flag, you can filter the attributes of the fetched resources.\n\n"
        ' Use "oc api-resources" for a complete list of supported resources.\n\n'
        "Examples:\n  # List all pods in ps output format\n  oc get pods\n"
    )
    assert (
        "    -A, --all-namespaces=false:\n\tIf present, list the requested object(s) across "
        "all namespaces. Namespace in current context is ignored even if specified with "
        "--namespace.\n"
    ) in text
    # get sets DisableFlagsInUseLine: its Use already ends in [flags]
    assert text.endswith(
        "Usage:\n  oc get [(-o|--output=)json|yaml|kyaml|name|go-template|go-template-file|"
        "template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|"
        "custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | "
        "TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]\n\n" + FOOTER
    )
    # a resource is an argument of get: its help is get's, with the flags simkit takes there
    pods = sim.oc("oc get pods --help")
    assert pods.startswith("Display one or many resources.")
    assert "--output=''" in pods and "--all-namespaces" not in pods


def test_rollout_status_help(sim: sk.Simulation) -> None:
    """oc ``pkg/cli/rollout/rollout.go`` ``NewCmdRolloutStatus``: kubectl's command with oc's
    own ``statusLong`` ("it is done", "do not") and ``statusExample``; kubectl's flags."""
    assert sim.oc("oc rollout status --help") == (
        "Show the status of the rollout.\n\n"
        " By default 'rollout status' will watch the status of the latest rollout until it is "
        "done. If you do not want to wait for the rollout to finish then you can use "
        "--watch=false. Note that if a new rollout starts in-between, then 'rollout status' "
        "will continue watching the latest revision. If you want to pin to a specific revision "
        "and abort if it is rolled over by another revision, use --revision=N where N is the "
        "revision you need to watch for.\n\n"
        "Examples:\n  # Watch the rollout status of a deployment\n"
        "  oc rollout status deployment/nginx\n\n"
        "Options:\n    --revision=0:\n\tPin to a specific revision for showing its status. "
        "Defaults to 0 (last revision).\n\n"
        "    -w, --watch=true:\n\tWatch the status of the rollout until it's done.\n\n"
        # Use already ends in [flags] (DisableFlagsInUseLine)
        "Usage:\n  oc rollout status (TYPE NAME | TYPE/NAME) [flags] [options]\n\n" + FOOTER
    )


def test_create_imagestream_help_and_its_alias(sim: sk.Simulation) -> None:
    """oc ``pkg/cli/create/imagestream.go`` ``NewCmdCreateImageStream`` (``Aliases: is``)."""
    text = sim.oc("oc create imagestream --help")
    assert text == sim.oc("oc create is -h") == sim.oc("oc help create is")
    assert text.startswith("Create a new image stream.\n\n Image streams allow you to track")
    assert (
        "Aliases:\nimagestream, is\n\nExamples:\n  # Create a new image stream\n"
        "  oc create imagestream mysql\n\n"
    ) in text
    assert text.endswith("Usage:\n  oc create imagestream NAME [flags] [options]\n\n" + FOOTER)
    create = sim.oc("oc create --help")
    listed = [line.split(None, 1) for line in create.splitlines() if line.startswith("  ")]
    assert ["imagestream", "Create a new empty image stream"] in listed
    assert "is" not in [row[0] for row in listed]  # an alias is not listed on its own


def test_describe_help(sim: sk.Simulation) -> None:
    expected = (
        "Show details of a specific resource or group of resources.\n\n"
        " Print a detailed description of the selected resources, including related resources "
        "such as events or controllers. You may select a single object by name, all objects of "
        "that type, provide a name prefix, or label selector. For example:\n\n"
        "        $ oc describe TYPE NAME_PREFIX\n        \n"
        " will first check for an exact match on TYPE and NAME_PREFIX. If no such resource "
        "exists, it will output details for every resource that has a name prefixed with "
        "NAME_PREFIX.\n\n"
        ' Use "oc api-resources" for a complete list of supported resources.\n\n'
        "Options:\n    -A, --all-namespaces=false:\n\tIf present, list the requested object(s) "
        "across all namespaces. Namespace in current context is ignored even if specified with "
        "--namespace.\n\n"
        "Usage:\n  oc describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) "
        "[options]\n\n" + FOOTER
    )
    # none of kubectl's describe examples (nodes, pods, -f, -l) is a form simkit accepts yet
    assert sim.oc("oc describe --help") == expected


# --- every registered command ---------------------------------------------------------------


def test_every_registered_command_has_help() -> None:
    """Fails for a command registered without ``use``/``short`` or a flag without usage:
    a new command gets its help in the same ``command(...)`` call that adds it."""
    missing = [" ".join(words) for words, spec in COMMANDS.items() if not help_spec(spec).has_help]
    assert not missing, f"commands registered without help: {missing}"
    no_usage = [
        (" ".join(words), f.name)
        for words, spec in COMMANDS.items()
        for f in documented_flags(spec)
        if not f.usage
    ]
    assert not no_usage, f"flags registered without usage: {no_usage}"


@pytest.mark.parametrize("words", sorted(COMMANDS), ids=" ".join)
def test_help_of_each_command(sim: sk.Simulation, words: tuple[str, ...]) -> None:
    spec = COMMANDS[words]
    before = (len(sim.events), sim.current_project)
    text = sim.oc(" ".join(("oc", *words, "--help")))
    assert sim.oc(" ".join(("oc", "help", *words))) == text
    assert sim.oc(" ".join(("oc", *words, "-h"))) == text
    assert (len(sim.events), sim.current_project) == before  # help changes nothing
    usage = text.split("\nUsage:\n  ", 1)[1].split("\n", 1)[0]
    assert usage.startswith("oc " + " ".join(help_spec(spec).words[:-1]))
    assert usage.endswith("[options]")
    assert text.endswith(FOOTER)
    for flag in spec.flags:
        if flag in GLOBAL_FLAGS:
            assert f"    -n, --{flag.name}=" not in text  # global: ``oc options``, as in oc
        else:
            shorthand = f"-{flag.short}, " if flag.short else ""
            assert f"\n    {shorthand}--{flag.name}=" in text, flag.name


def _example_lines() -> list[str]:
    lines = set()
    for spec in COMMANDS.values():
        for line in examples(spec.example).splitlines():
            if line.strip() and not line.strip().startswith("#"):
                lines.add(line.strip())
    return sorted(lines)


REFUSED = (
    "unknown flag",
    "unknown shorthand flag",
    "unknown command",
    "is not modelled",
    "doesn't have a resource type",
    "flag needs an argument",
    "invalid argument",
)


@pytest.mark.parametrize("line", _example_lines())
def test_examples_are_forms_simkit_accepts(line: str) -> None:
    """An example may fail on the state of an empty cluster (not found), never on its form."""
    sim = sk.Simulation(seed=1)
    try:
        sim.oc(line)
    except OcError as exc:
        assert not any(reason in str(exc) for reason in REFUSED), str(exc)


# --- top level, options, errors ---------------------------------------------------------------


def test_root_help_groups_modelled_commands_as_oc(sim: sk.Simulation) -> None:
    text = sim.oc("oc --help")
    assert text == sim.oc("oc help") == sim.oc("oc -h") == sim.oc("oc")
    assert text.startswith(
        "OpenShift Client\n\nThis client helps you develop, build, deploy, and run your "
        "applications on any\nOpenShift or Kubernetes cluster. It also includes the "
        "administrative\ncommands for managing a cluster under the 'adm' subcommand.\n\n"
        "Basic Commands:\n"
        "  new-project       Request a new project\n"
        "  status            Show an overview of the current project\n"
        "  project           Switch to another project\n"
        "  projects          Display existing projects\n\n"
        "Build and Deploy Commands:\n"
        "  rollout           Manage the rollout of a resource\n"
        "  import-image      Import images from a container image registry\n"
        "  tag               Tag existing images into image streams\n\n"
    )
    assert text.endswith(
        "Other Commands:\n  help              Help about any command\n\n"
        "Usage:\n  oc [flags] [options]\n\n"
        'Use "oc <command> --help" for more information about a given command.\n' + FOOTER
    )
    assert "explain" not in text and "secret " not in text  # unmodelled; an alias
    assert (
        "Troubleshooting and Debugging Commands:\n"
        "  run               Run a particular image on the cluster\n\n"
    ) in text
    # the groups in oc's order, each command under the group oc puts it in
    groups = text.split("\n\nOther Commands:")[0]
    listed = [line.split()[0] for line in groups.splitlines() if line.startswith("  ")]
    order = [name for _, names in ROOT_GROUPS for name in names]
    assert listed == [name for name in order if name in listed]
    assert set(listed) == {w[0] for w in COMMANDS} - {"secret"} | {"secrets"}


def test_group_help(sim: sk.Simulation) -> None:
    text = sim.oc("oc adm policy --help")
    assert text.startswith("Manage policy on the cluster\n\n These commands allow you")
    assert "Available Commands:\n  add-cluster-role-to-group        Add a role to groups" in text
    assert "  who-can                          List who can perform" in text
    assert "add-scc-to-user" not in text  # real, but not modelled
    assert (
        "Usage:\n  oc adm policy [flags] [options]\n\n"
        'Use "oc adm policy <command> --help" for more information about a given command.'
    ) in text
    assert sim.oc("oc help secret") == sim.oc("oc secrets --help")
    assert "Aliases:\nsecrets, secret\n\n" in sim.oc("oc secrets --help")


def test_tree_tables_name_real_oc_commands() -> None:
    """Every group and every registered command sits where oc has it (cli.go and each
    group's NewCmd...): a path simkit invents would never be 'not modelled' nor 'unknown'."""
    roots = {name for _, names in ROOT_GROUPS for name in names} | {"secret"}
    for path in [*GROUPS, *COMMANDS]:
        assert path[0] in roots, path
        for i in range(1, len(path)):
            parent = ("secrets",) if path[:i] == ("secret",) else path[:i]
            if parent[0] in ("get", "describe", "delete") and i == 1:
                continue  # resources are arguments of these verbs
            real = SUBCOMMANDS.get(parent, ())
            alias_of = SUB_ALIASES.get(parent, {}).get(path[i])  # create sa, create is
            assert path[i] in real or alias_of in real, path


def test_options(sim: sk.Simulation) -> None:
    assert sim.oc("oc options") == (
        "The following options can be passed to any command:\n\n"
        "    -n, --namespace='':\n\tIf present, the namespace scope for this CLI request\n"
    )


def test_typo_gets_cobras_suggestions(sim: sk.Simulation) -> None:
    with pytest.raises(OcError) as exc:
        sim.oc("oc tga foo")
    assert str(exc.value) == 'error: unknown command "tga" for "oc"\n\nDid you mean this?\n\ttag'
    with pytest.raises(OcError) as exc:
        sim.oc("oc tga --help")  # cobra finds no command before it looks at --help
    assert str(exc.value).startswith('error: unknown command "tga" for "oc"')
    with pytest.raises(OcError) as exc:
        sim.oc("oc rm pod/x")  # kubectl delete: SuggestFor rm
    # within distance 2 (adm, cp, run; rsh at 1), and delete by its SuggestFor
    assert str(exc.value).endswith("Did you mean this?\n\tadm\n\tcp\n\tdelete\n\trsh\n\trun")
    with pytest.raises(OcError) as exc:
        sim.oc("oc xyzzy")
    assert str(exc.value) == 'error: unknown command "xyzzy" for "oc"'


def test_unmodelled_commands_say_so(sim: sk.Simulation) -> None:
    for line, what in [
        ("oc explain pods", "oc explain"),
        ("oc explain --help", "oc explain"),
        ("oc create imagestreamtag foo:1", "oc create imagestreamtag"),
        ("oc policy scc-review", "oc policy scc-review"),
        ("oc adm top pods", "oc adm top"),
        ("oc logs mypod", "oc logs"),
    ]:
        with pytest.raises(OcError) as exc:
            sim.oc(line)
        assert str(exc.value) == f'error: "{what}" is not modelled by simkit', line
    assert sim.oc("oc help explain") == 'error: "oc explain" is not modelled by simkit'


def test_group_errors_are_default_sub_command_runs(sim: sk.Simulation) -> None:
    with pytest.raises(OcError) as exc:
        sim.oc("oc policy add-rol-to-user view alice")
    assert str(exc.value) == (
        'error: unknown command "add-rol-to-user view alice"\n'
        "See 'oc policy -h' for help and examples"
    )
    with pytest.raises(OcError) as exc:  # flags are not arguments: nothing secret is echoed
        sim.oc("oc secrets new-dockercfg x --docker-password=hunter2")
    assert "hunter2" not in str(exc.value) and '"new-dockercfg x"' in str(exc.value)
    with pytest.raises(OcError) as exc:  # a group alone prints its help and exits 1
        sim.oc("oc policy")
    assert str(exc.value) == sim.oc("oc policy --help")


def test_unknown_help_topic(sim: sk.Simulation) -> None:
    text = sim.oc("oc help tga")
    assert text.startswith("Unknown help topic [`tga`]\n\n\nBasic Commands:\n")
    assert text.endswith(FOOTER)


# --- the rules underneath ---------------------------------------------------------------------


def test_flag_format() -> None:
    """``getFlagFormat``: quotes for string values only; ``HelpFlagPrinter`` joins lines."""
    assert flag_usage(Flag("namespace", "n", usage="ns")) == "    -n, --namespace='':\n\tns"
    assert flag_usage(Flag("all", value=False, default=True, usage="a\nb")) == (
        "    --all=true:\n\ta b"
    )
    assert flag_usage(Flag("user", repeated=True, usage="u")) == "    --user=[]:\n\tu"


def test_long_desc_markdown() -> None:
    """``LongDesc``: heredoc, then blackfriday through ``ASCIIRenderer``."""
    assert long_desc("""
        First line.

        Second paragraph
        on two lines.

            $ code here

        * one
        * two""") == (
        "First line.\n\n Second paragraph on two lines.\n\n"
        "        $ code here\n        \n  *  one\n  *  two"
    )


def test_levenshtein_matches_cobras_examples() -> None:
    """Textbook cases, and cobra's ``ignoreCase`` (``ld`` lowers both strings first)."""
    for s, t, ignore_case, expected in [
        ("", "", False, 0),
        ("a", "a", False, 0),
        ("a", "A", False, 1),
        ("a", "A", True, 0),
        ("kitten", "sitting", False, 3),
        ("saturday", "sunday", False, 3),
    ]:
        assert levenshtein(s, t, ignore_case) == expected


def _reference_distance(s: str, t: str) -> int:
    if not s or not t:
        return len(s) + len(t)
    return min(
        _reference_distance(s[1:], t) + 1,
        _reference_distance(s, t[1:]) + 1,
        _reference_distance(s[1:], t[1:]) + (s[0] != t[0]),
    )


@given(st.text("abc", max_size=5), st.text("abc", max_size=5))
def test_levenshtein_is_edit_distance(s: str, t: str) -> None:
    assert levenshtein(s, t, False) == _reference_distance(s, t) == levenshtein(t, s, False)


@given(st.sampled_from([n for _, names in ROOT_GROUPS for n in names]))
def test_every_oc_command_suggests_itself(name: str) -> None:
    assert name in suggestions_for(name)
    assert name in suggestions_for(name[:2])  # a prefix
