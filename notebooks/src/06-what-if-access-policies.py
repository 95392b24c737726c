# Source of notebooks/06-what-if-access-policies.ipynb: edit here, then run
# `python notebooks/_build.py 06` to rebuild and re-execute the notebook.

# %% [markdown]
# # 6. What-if: access policies on a real cluster's objects
#
# Notebook 5 built access up step by step. Real clusters arrive the other way round: years
# of bindings, some of them forgotten. This notebook audits one:
#
# 1. load a cluster dump (what `oc get ... -A -o yaml` prints) into a simulation;
# 2. ask who can pull what, and **why**;
# 3. change a binding *in the simulation* and see exactly which access is gained or lost,
#    and whether anything that needs access breaks;
# 4. compare whole policies with a **sweep**, on local processes or on a Dask cluster.
#
# Nothing touches a real cluster: the dump is read once, and every change happens in the
# simulated copy.

# %%
import warnings

import matplotlib.pyplot as plt
import pandas as pd

import simkit as sk
from simkit import analysis, plots

pd.set_option("display.width", 130)
pd.set_option("display.max_colwidth", 60)
# sk.sweep imports tqdm.auto, which warns when ipywidgets is missing; no bar is shown
warnings.filterwarnings("ignore", message="IProgress not found")
# %load_ext simkit

DUMP = "../data/cluster-dump/acme-prod.yaml"

# %% [markdown]
# ## Load the dump
#
# `data/cluster-dump/acme-prod.yaml` is a `kind: List`, as `oc get -A -o yaml` prints it
# for namespaces, image streams, service accounts, secrets, groups and role bindings, of a
# small cluster: a `shared` project with base images, a `payments`
# project with a sensitive image, two teams and a CI project. `sk.load_manifests` builds a
# simulation whose starting state is those objects, on top of OpenShift's default roles
# and each project's default service accounts and bindings. `%simkit use sim` points the
# `%%oc` cells (from `%load_ext simkit`: `oc` commands typed one a line, as in a terminal)
# at that simulation.

# %%
sim = sk.load_manifests(DUMP)
# %simkit use sim
print({kind: count for kind, count in sim.manifest_summary["loaded"].items()})

# %%
# %%oc
# get is -A

# %% [markdown]
# ## Who can pull what
#
# `analysis.pull_matrix` evaluates RBAC for every subject and every stream: the same
# question the integrated registry asks on each pull (`get imagestreams/layers` on the
# stream, in its project). The platform's own accounts are left out of the picture.

# %%
matrix = analysis.pull_matrix(sim)
ax = plots.pull_matrix_heatmap(matrix)
plt.show()

# %% [markdown]
# Every service account of every project can pull everything, including
# `payments/card-processor`. Why can, say, `team-b`'s builder pull it?

# %%
print(analysis.explain_pull(sim, "system:serviceaccount:team-b:builder",
                            "payments/card-processor"))

# %% [markdown]
# A **ClusterRoleBinding** `legacy-image-pullers` grants `system:image-puller` to the group
# `system:serviceaccounts`, every service account of the cluster, in every project. Its
# annotation says it came from a migration. The users tell a second story: the group
# `auditors` has the `view` role in `payments`, yet cannot pull its image. In the
# bootstrap policy simkit uses, `view` aggregates no `imagestreams/layers` rule (upstream
# left it commented out: `// TODO let them pull images?`), so viewing a project does not
# let you pull its images.

# %%
print(str(analysis.explain_pull(sim, "carol", "payments/card-processor")).splitlines()[0])
rows = ["carol", "erin", "payments-lead", "platform-admin", "group:auditors",
        "group:payments-devs"]
matrix.loc[rows]

# %% [markdown]
# The whole picture as a graph, for the subjects of our projects (the platform's own
# accounts are left out):

# %%
before = analysis.who_can_pull(sim)
fig, ax = plt.subplots(figsize=(13, 9))
plots.who_can_pull_graph(before, ax=ax)
plt.show()

# %% [markdown]
# ## What actually needs access
#
# Talking to the teams gives the list of pulls that must keep working:

# %%
needs = pd.DataFrame([
    ("system:serviceaccount:team-a:default", "shared/base", "team-a's deployments"),
    ("system:serviceaccount:team-a:builder", "shared/base", "team-a builds FROM base"),
    ("system:serviceaccount:team-b:default", "shared/base", "team-b's deployments"),
    ("system:serviceaccount:payments:builder", "shared/base", "card-processor builds FROM base"),
    ("system:serviceaccount:payments:default", "payments/card-processor", "payments runs it"),
    ("system:serviceaccount:ci:pipeline", "payments/card-processor", "CI scans it"),
    ("system:serviceaccount:ci:pipeline", "shared/tools", "CI runs the tools"),
], columns=["subject", "stream", "why"])


def check(sim, needs):
    """Each needed pull, and whether RBAC allows it now."""
    return needs.assign(allowed=[sim.can_pull(s, t) for s, t in zip(needs["subject"],
                                                                      needs["stream"],
                                                                      strict=True)])


check(sim, needs)

# %% [markdown]
# ## What if we delete the legacy binding?
#
# Removing the group from the ClusterRoleBinding deletes it (oc removes a binding left
# without subjects). Then `analysis.diff` compares the graph before and after:

# %%
# %%oc
# adm policy remove-cluster-role-from-group system:image-puller system:serviceaccounts

# %%
after = analysis.who_can_pull(sim)
changes = analysis.diff(before, after)
lost = changes[(changes["level"] == "access") & (changes["change"] == "lost")]
print(len(lost), "subject/stream pairs lost access")
lost.groupby("target").size().rename("subjects that lost access")

# %%
check(sim, needs)

# %% [markdown]
# Most of the lost access was never needed, but two needed pulls break: `payments`'
# builder can no longer pull `shared/base`, and CI can no longer pull `shared/tools`. They
# only ever worked through the legacy binding. Grant exactly those, with the guide's
# procedure, and check again:

# %%
# %%oc
# policy add-role-to-user system:image-puller system:serviceaccount:payments:builder -n shared
# policy add-role-to-user system:image-puller system:serviceaccount:ci:pipeline -n shared

# %%
check(sim, needs)

# %%
fixed = analysis.who_can_pull(sim)
ours = plots.access.default_subjects(fixed)  # users and our projects' service accounts
changes = analysis.diff(before, fixed)
changes = changes[(changes["level"] == "edge") | changes["source"].isin(ours)]
fig, ax = plt.subplots(figsize=(13, 9))
plots.who_can_pull_graph(fixed, ax=ax, diff=changes, subjects=ours)
ax.set_title("After: the legacy binding gone (red), two narrow grants (green)")
plt.show()

# %% [markdown]
# The pull matrix before and after, in numbers: how many service accounts may pull each
# stream (the platform's own controllers included).

# %%
accounts = [s for s in matrix.index if s.startswith("system:serviceaccount:")]
now = analysis.pull_matrix(sim)
pd.DataFrame({"before": matrix.loc[accounts].sum(),
              "after": now.loc[[s for s in now.index if s in accounts]].sum()})

# %% [markdown]
# ## A sweep over policies
#
# How should a platform team share `shared/base` with its teams? Four policies, each one
# `oc` command, run per team or once (`POLICIES` below):
#
# - **one service account**: `oc policy add-role-to-user system:image-puller
#   system:serviceaccount:TEAM:default -n shared`
# - **project's accounts**: `oc policy add-role-to-group system:image-puller
#   system:serviceaccounts:TEAM -n shared`
# - **all accounts, in shared**: `oc policy add-role-to-group system:image-puller
#   system:serviceaccounts -n shared`
# - **all accounts, cluster-wide**: `oc adm policy add-cluster-role-to-group
#   system:image-puller system:serviceaccounts`
#
# `policy_run` builds a cluster with a number of teams, applies one policy, starts one pod
# per team from `shared/base` (pulled through the integrated registry, so RBAC is really
# enforced) and measures what works and how far access spreads: the bindings the policy
# made, the teams' pods running, the teams' builders that may pull the base image, and the
# service accounts that may pull `shared/base` and `payments/card-processor` (nine can
# before any policy: each project's own three, and six platform controllers). `sk.sweep` runs it for
# every combination of the grid, in parallel processes.

# %%
POLICIES = {
    "one service account": "policy add-role-to-user system:image-puller "
                           "system:serviceaccount:{team}:default -n shared",
    "project's accounts": "policy add-role-to-group system:image-puller "
                          "system:serviceaccounts:{team} -n shared",
    "all accounts, in shared": "policy add-role-to-group system:image-puller "
                               "system:serviceaccounts -n shared",
    "all accounts, cluster-wide": "adm policy add-cluster-role-to-group system:image-puller "
                                  "system:serviceaccounts",
}


def policy_run(params, seed):
    """One cluster, one sharing policy: what runs, and who can pull what."""
    sim = sk.Simulation(seed=seed, nodes=2)
    sim.registry("quay.io").push("acme/base", "9")
    for project in ("shared", "payments"):
        sim.oc(f"new-project {project}")
    sim.oc("tag --reference-policy=local quay.io/acme/base:9 base:9 -n shared")
    sim.oc("tag --reference-policy=local quay.io/acme/base:9 card-processor:1 -n payments")
    teams = [f"team-{i}" for i in range(params["teams"])]
    for team in teams:
        sim.oc(f"new-project {team}")

    def bindings():
        return len(sim.cluster.list("RoleBinding")) + len(sim.cluster.list("ClusterRoleBinding"))

    before = bindings()
    for command in dict.fromkeys(POLICIES[params["policy"]].format(team=t) for t in teams):
        sim.oc(command)  # once per team, or once in all
    added = bindings() - before
    sim.advance("30s")
    pods = [sim.run_pod(team, sim.pull_spec("shared/base:9")) for team in teams]
    sim.advance("2m")
    matrix = analysis.pull_matrix(sim)
    accounts = [s for s in matrix.index if s.startswith("system:serviceaccount:")]
    return {
        "bindings": added,
        "pods_running": sum(pod.status == "Running" for pod in pods),
        "builders_ok": sum(sim.can_pull(f"system:serviceaccount:{t}:builder", "shared/base")
                           for t in teams),
        "can_pull_shared": int(matrix.loc[accounts, "shared/base"].sum()),
        "can_pull_payments": int(matrix.loc[accounts, "payments/card-processor"].sum()),
    }


grid = {"policy": list(POLICIES), "teams": [2, 6]}
table = sk.sweep(policy_run, grid, seeds=[0], progress=False, drop_timing=True)
table.drop(columns=["seed", "run_id", "error"])

# %%
fig, ax = plt.subplots(figsize=(9, 3.5))
six = table[table["teams"] == 6].set_index("policy")
six[["can_pull_shared", "can_pull_payments"]].plot.barh(ax=ax)
ax.invert_yaxis()
ax.set_xlabel("service accounts that may pull (6 teams)")
ax.set_ylabel("")
ax.set_title("How far each sharing policy spreads pull access")
plt.show()

# %% [markdown]
# Every policy gets the teams' pods running, so "it works" does not tell them apart. What
# does:
#
# - **one service account** grants the least, but the teams' builders cannot pull the base
#   image they build from, and every new team needs a new binding;
# - **project's accounts** covers builds and deployments of exactly the teams named;
# - **all accounts, in shared** needs one binding but lets every service account of the
#   cluster pull `shared`, including future projects nobody reviewed;
# - **all accounts, cluster-wide** (the legacy binding of the dump) also opens `payments`
#   and every other project to every service account.
#
# ### The same sweep on a Dask cluster
#
# `sk.sweep` takes a Dask client as its executor and returns the same table. The function
# travels to the workers by value (Dask uses cloudpickle); the workers need simkit
# installed. Set `USE_DASK = True` to try it on a local cluster, or pass the client of a
# real one (`Client("tcp://scheduler:8786")`).

# %%
USE_DASK = False
if USE_DASK:
    from dask.distributed import Client

    with Client(n_workers=2, threads_per_worker=1, dashboard_address=":0") as client:
        on_dask = sk.sweep(policy_run, grid, seeds=[0], executor=client, progress=False,
                           drop_timing=True)
    print("same table on Dask:", on_dask.equals(table))

# %% [markdown]
# ## Try this
#
# 1. In the dump, `auditors` have `view` in `payments`. Bind them `registry-viewer`
#    instead (`oc policy add-role-to-group registry-viewer auditors -n payments`): can
#    `carol` pull now? What else can she read?
# 2. Add a policy "project's accounts, with a role limited to one stream": a `Role` in
#    `shared` whose rule names `resourceNames: [base]`, bound to the team groups (load it
#    with `simkit.manifests.apply_objects` or `oc create -f`). Does `shared/tools` stay
#    private?
# 3. Run the sweep with `teams` = [2, 6, 20] and seeds `range(3)`. Which metrics depend on
#    the seed, and why?
# 4. From a shell, `simkit who-can-pull data/cluster-dump/acme-prod.yaml` lists every
#    subject and stream that may pull it, without a notebook: a quick check in CI for
#    a dump of your own cluster.
