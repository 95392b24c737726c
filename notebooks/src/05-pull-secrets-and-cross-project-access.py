# Source of notebooks/05-pull-secrets-and-cross-project-access.ipynb: edit here, then run
# `python notebooks/_build.py 05` to rebuild and re-execute the notebook.

# %% [markdown]
# # 5. Pull secrets and cross-project access
#
# Who may pull an image is decided in two different places:
#
# - **Images in the integrated registry** (every image stream, and every `Local` tag) are
#   guarded by RBAC. The registry asks the API server whether the puller may
#   `get` the `imagestreams/layers` subresource of that stream, *in the stream's project*.
#   Pods pull as their **service account**, using the token in the dockercfg secret
#   OpenShift gives every service account.
# - **Images in other registries** are guarded by those registries. Pods present the
#   credentials of their **pull secrets** (the pod's `imagePullSecrets`, normally copied
#   from its service account) and then the node's own, which on OpenShift is the cluster's
#   **global pull secret**.
#
# This notebook walks through the procedures of the OpenShift images guide for both, one
# step at a time, and draws the *who-can-pull* graph after each: every path from a subject
# (left) to a stream or registry (right) is a permission.
#
# | Step | Procedure |
# |---|---|
# | 1 | the default: each project's service accounts pull from their own project |
# | 2 | *Allowing pods to reference images across projects*: one service account |
# | 3 | the same for every service account of a project |
# | 4 | *Allowing pods to reference images from other secured registries*: a linked secret |
# | 5 | several credentials for one registry: the most specific entry wins |
# | 6 | *Pulling from private registries with delegated authentication* |
# | 7 | *Updating the global cluster pull secret* |
# | 8 | the service-account race |

# %%
import base64
import json
import os
import tempfile

import matplotlib.pyplot as plt
import pandas as pd

import simkit as sk
from simkit import analysis, plots

pd.set_option("display.width", 130)
pd.set_option("display.max_colwidth", 70)

os.chdir(tempfile.mkdtemp(prefix="simkit-05-"))  # a scratch folder for the files oc writes
INTERNAL = "image-registry.openshift-image-registry.svc:5000"
sim = sk.Simulation(seed=11, nodes=2)
# %load_ext simkit
# %simkit use sim


def show(before=None, title=""):
    """Draw who can pull what now, for the service accounts of our projects; with `before`
    (an earlier graph), what changed since then in colour."""
    graph = analysis.who_can_pull(sim)
    ours = [n for n, kind in graph.nodes(data="kind")
            if kind == "serviceaccount" and n.split(":")[2] in ("project-a", "project-b")]
    changes = None
    if before is not None:
        changes = analysis.diff(before, graph)
        changes = changes[(changes["level"] == "edge") | changes["source"].isin(ours)]
    fig, ax = plt.subplots(figsize=(13, 5.5))
    plots.who_can_pull_graph(graph, ax=ax, diff=changes, subjects=ours)
    ax.set_title(title)
    plt.show()
    return graph


def started(pod):
    """A pod in one line: where it runs, its status and its pull secrets (why it fails is
    in its events: `oc describe pod NAME`, `oc get events`)."""
    return f"{pod.name} on {pod.node}: {pod.status}, pull secrets {pod.image_pull_secrets}"


# %% [markdown]
# ## Step 1: the default
#
# Two projects: `project-b` publishes an image stream, `project-a` wants to use it. The
# stream's tag has `referencePolicy: Local`, so pods pull it from the integrated registry.

# %%
sim.registry("quay.io").push("acme/base", "9")

# %%
# %%oc
# new-project project-a
# new-project project-b
# tag --reference-policy=local quay.io/acme/base:9 base:9 -n project-b

# %%
sim.advance("30s")  # the projects' service accounts and their pull secrets are ready
image = sim.pull_spec("project-b/base:9")
print(image)

# %% [markdown]
# Every new project gets a RoleBinding `system:image-pullers` that grants the ClusterRole
# `system:image-puller` (`get imagestreams/layers`) to the group
# `system:serviceaccounts:<project>`: all service accounts of a project may pull its
# streams, and nobody else's. The builder account also gets `system:image-builders`
# (pull and push).

# %%
graph = show(title="Step 1: every project's service accounts pull from their own project")

# %% [markdown]
# A pod of `project-a` asking for `project-b`'s image is refused by the registry. Why a pod
# fails is in its events, which `oc get events` lists (`--field-selector` keeps one pod's;
# `%oc` runs one command in a Python cell, where `{denied.name}` is the pod's name), and
# `oc auth can-i` asks the API server the registry's question:

# %%
denied = sim.run_pod("project-a", image)
sim.advance("1m")
print(started(denied))
# %oc get events -n project-a --field-selector involvedObject.name={denied.name}

# %%
# %%oc
# auth can-i get imagestreams --subresource=layers -n project-b \
#     --as=system:serviceaccount:project-a:default

# %% [markdown]
# ## Step 2: let one service account of another project pull
#
# The guide's first procedure binds `system:image-puller` in the *producing* project to the
# consuming service account:

# %%
# %%oc
# policy add-role-to-user system:image-puller system:serviceaccount:project-a:default \
#     --namespace=project-b

# %%
graph = show(graph, "Step 2: project-a's default service account may pull from project-b")

# %% [markdown]
# oc created a RoleBinding named after the role, `system:image-puller`, in `project-b`
# (green in the graph). Only `default` gained access; `builder` of `project-a` did not.
# `sim.explain_pull` shows the chain that allows a pull:

# %%
print(sim.explain_pull("system:serviceaccount:project-a:default", "project-b/base"))
print()
print(str(sim.explain_pull("system:serviceaccount:project-a:builder",
                           "project-b/base")).splitlines()[0])

# %% [markdown]
# The pod refused in step 1 was retrying under the kubelet's backoff; its next attempt
# succeeds. The image was not on the integrated registry yet, so the registry pulled it
# through from quay.io (`pull_through` events).

# %%
sim.advance("5m")
print(started(denied))
events = sim.events
print(len(events[events["kind"] == "pull_through"]), "pull-through fetch(es) from quay.io")

# %% [markdown]
# ## Step 3: let every service account of a project pull
#
# Granting the role to the group `system:serviceaccounts:project-a` covers all of that
# project's service accounts, present and future. oc warns that it cannot find a *Group
# object* of that name: the group is virtual (every service-account token carries it), so
# the warning is expected.

# %%
# %%oc
# policy add-role-to-group system:image-puller system:serviceaccounts:project-a \
#     --namespace=project-b

# %%
graph = show(graph, "Step 3: all of project-a's service accounts may pull from project-b")

# %% [markdown]
# oc did not add the group to step 2's binding: unless a binding already grants the role to
# all the subjects named, `oc policy add-role-to-*` creates a new one, named after the role
# and numbered when the name is taken (here `system:image-puller-0`). Now every service
# account of `project-a` may pull:

# %%
matrix = analysis.pull_matrix(sim)
matrix.loc[[s for s in matrix.index if ":project-" in s and not s.startswith("group:")]]

# %% [markdown]
# ## Step 4: a secured registry, through a linked pull secret
#
# `registry.example.com` refuses anonymous pulls. The guide stores the credentials in a
# secret of type `kubernetes.io/dockerconfigjson` and links it to the service account that
# runs the pods, `--for=pull`, which appends it to the account's `imagePullSecrets`:

# %%
private = sim.registry("registry.example.com", users={"robot": "not-a-real-password"})
private.push("team/app", "1.0")
before = sim.run_pod("project-a", "registry.example.com/team/app:1.0")
sim.advance("1m")
print(started(before))
# %oc get events -n project-a --field-selector involvedObject.name={before.name}

# %%
# %%oc
# create secret docker-registry example-reg --docker-server=registry.example.com \
#     --docker-username=robot --docker-password=not-a-real-password \
#     --docker-email=robot@example.com -n project-a
# secrets link default example-reg --for=pull -n project-a
# get secrets -n project-a

# %% [markdown]
# The admission plugin copies the service account's `imagePullSecrets` into a pod **when
# the pod is created**, so the pod from before keeps failing; a new pod works:

# %%
after = sim.run_pod("project-a", "registry.example.com/team/app:1.0", node="worker-1")
sim.advance("1m")
print(started(before))
print(started(after))

# %% [markdown]
# The guide's other two ways to make the same secret, from files you already have:
#
# ```
# oc create secret generic <name> --from-file=.dockerconfigjson=<path/to/.docker/config.json> \
#     --type=kubernetes.io/dockerconfigjson
# oc create secret generic <name> --from-file=.dockercfg=<path/to/.dockercfg> \
#     --type=kubernetes.io/dockercfg
# ```
#
# Pull secrets appear in the graph as `serviceaccount → secret → registry` paths, and
# `analysis.registry_coverage` lists which account reaches which registry, and how:

# %%
graph = show(graph, "Step 4: project-a's default account reaches registry.example.com")

# %%
coverage = analysis.registry_coverage(sim)
coverage[coverage["namespace"] == "project-a"][["service_account", "registry", "via",
                                                 "secret", "keys"]]

# %% [markdown]
# The passwords appear nowhere: not in oc's output, not in the events, not in the graph.
#
# ## Step 5: several credentials for one registry
#
# A config file may hold entries for a registry *and* for paths inside it. The kubelet
# sorts the keys in reverse lexicographic order, so `quay.io/repository-main` comes before
# `quay.io`, and tries the credentials of every key that matches the image, in that order,
# until one works. (Matching is by string prefix of the path, and `*` may stand for one
# label of the host name.) `sk.Keyring` is that lookup:

# %%
def auth(user, password):
    return {"auth": base64.b64encode(f"{user}:{password}".encode()).decode()}


config = {"auths": {"quay.io": auth("general", "wrong-password"),
                    "quay.io/repository-main": auth("main", "main-password")}}
keyring = sk.Keyring.from_docker_config(config)
print(keyring)
for name in ("quay.io/repository-main/app:1", "quay.io/other/app:1"):
    print(name, "->", [c.registry for c in keyring.lookup(name)])

# %%
quay = sim.registry("quay.io", users={"main": "main-password"})  # quay.io turns private
quay.push("repository-main/app", "1")
quay.push("other/app", "1")
with open("config.json", "w") as file:
    json.dump(config, file)

# %%
# %%oc
# create secret generic quay --from-file=.dockerconfigjson=config.json \
#     --type=kubernetes.io/dockerconfigjson -n project-a

# %%
specific = sim.run_pod("project-a", "quay.io/repository-main/app:1",
                       image_pull_secrets=["quay"])
general = sim.run_pod("project-a", "quay.io/other/app:1", image_pull_secrets=["quay"])
sim.advance("1m")
print(started(specific))
print(started(general))

# %% [markdown]
# The specific entry's credentials work for `repository-main`; for everything else on
# quay.io only the general entry matches, and its password is wrong. (The pods here list
# their pull secret themselves, so the admission plugin adds nothing from the service
# account.) In the graph, quay.io lost its *anonymous* edge: it is private now, and no
# service account has a secret for it (the pods above brought their own).

# %%
graph = show(graph, "Step 5: quay.io is private now")

# %% [markdown]
# ## Step 6: delegated authentication
#
# Some registries do not check passwords themselves: they send the client to a separate
# authentication server for a token (registry.redhat.io sends you to sso.redhat.com). The
# pod then needs credentials for **both** hosts, so the guide creates two secrets.
# `auth_server=` is all simkit needs: the token server `sso.example.com` accepts the
# registry's own users (declare it with `sim.registry("sso.example.com", users=...)` only
# if it should check other passwords).

# %%
delegated = sim.registry("privateregistry.example.com", users={"developer": "sso-password"},
                         auth_server="sso.example.com")
delegated.push("vendor/agent", "2")

# %%
# %%oc
# create secret docker-registry private-registry -n project-a \
#     --docker-server=privateregistry.example.com --docker-username=developer \
#     --docker-password=sso-password --docker-email=unused
# secrets link default private-registry --for=pull -n project-a

# %%
half = sim.run_pod("project-a", "privateregistry.example.com/vendor/agent:2")
sim.advance("1m")
print(started(half))
# %oc get events -n project-a --field-selector involvedObject.name={half.name}
print(analysis.explain_pull(sim, "system:serviceaccount:project-a:default",
                            "privateregistry.example.com"))

# %%
# %%oc
# create secret docker-registry sso -n project-a --docker-server=sso.example.com \
#     --docker-username=developer --docker-password=sso-password --docker-email=unused
# secrets link default sso --for=pull -n project-a

# %%
both = sim.run_pod("project-a", "privateregistry.example.com/vendor/agent:2", node="worker-1")
sim.advance("1m")
print(started(both))
print(analysis.explain_pull(sim, "system:serviceaccount:project-a:default",
                            "privateregistry.example.com"))
graph = show(graph, "Step 6: both secrets linked: privateregistry.example.com and its "
             "authentication server")

# %% [markdown]
# ## Step 7: the global pull secret
#
# Credentials every node should have go into the cluster's global pull secret,
# `pull-secret` in `openshift-config`. The Machine Config Operator writes it to
# `/var/lib/kubelet/config.json` on every node, **one node at a time**; the kubelet tries a
# pod's own secrets first and the node's after them. The guide's procedure: download it,
# add a registry with `oc registry login`, upload it.

# %%
partner = sim.registry("registry.partner.example", users={"ops": "ops-password"})
partner.push("tools/agent", "3")

# %%
# %%oc
# get secret/pull-secret -n openshift-config \
#     --template='{{index .data ".dockerconfigjson" | base64decode}}' > pull-secret.json
# registry login --registry=registry.partner.example --auth-basic=ops:ops-password \
#     --to=pull-secret.json
# set data secret/pull-secret -n openshift-config --from-file=.dockerconfigjson=pull-secret.json

# %% [markdown]
# A pod on `worker-1` right away fails: the rollout reaches `worker-0` first and `worker-1`
# a minute later. Its retries then succeed.

# %%
early = sim.run_pod("project-b", "registry.partner.example/tools/agent:3", node="worker-1")
sim.advance("30s")
print(started(early))
sim.advance("5m")
print(started(early))
# %oc get events -n project-b --field-selector involvedObject.name={early.name}
events = sim.events
rollout = events[events["kind"] == "pull_secret_rolled_out"]
rollout[["time", "node"]]

# %% [markdown]
# The pod runs, yet its events end with the failures: the successful pull is not there.
# That is the event recorder, not the pod. client-go's spam filter lets each source write
# 25 events about one object, then one every 5 minutes, and a retrying pull writes several
# events a minute; the rest are dropped, on a real cluster too. `oc get pods` (or
# `oc describe pod`'s `State:`) is the word on whether it runs.

# %%
graph = show(graph, "Step 7: every service account reaches registry.partner.example "
             "through the nodes")

# %% [markdown]
# The global pull secret works for every pod on every node, whatever its project: it
# appears as an edge from the group `system:serviceaccounts` (all service accounts, here
# only those of our two projects are drawn). That is its strength and its risk.
#
# ## Step 8: the service-account race
#
# The images guide warns: *wait until the service account is provisioned with a docker
# pull secret; if you create a pod before its service account is fully provisioned, the
# pod fails to access the registry.* The reason is in the admission plugin: it copies the
# service account's `imagePullSecrets` into the pod **once, at creation**, and only if the
# pod lists none; nothing updates the pod later (openshift/origin#20225). A new project's
# `default` account exists after about 2 s here, but its dockercfg secret is linked only a
# few seconds later.

# %%
# %%oc
# new-project team
# policy add-role-to-group system:image-puller system:serviceaccounts:team -n project-b

# %%
for _ in range(4):
    sim.advance("1.5s")
    account = sim.cluster.get("ServiceAccount", ("team", "default"))
    print(f"{sim.clock:%H:%M:%S.%f}"[:-5],
          "no service account yet" if account is None else
          f"default exists, imagePullSecrets {account.image_pull_secrets}")

# %%
sim = sk.Simulation(seed=11, nodes=2)  # again, and this time a pod is created at 3 s
sim.registry("quay.io").push("acme/base", "9")
sim.oc("new-project project-b")
sim.oc("tag --reference-policy=local quay.io/acme/base:9 base:9 -n project-b")
sim.oc("new-project team")
sim.oc("policy add-role-to-group system:image-puller system:serviceaccounts:team -n project-b")
sim.advance("3s")
racer = sim.run_pod("team", f"{INTERNAL}/project-b/base:9")
sim.advance("1h")
patient = sim.run_pod("team", f"{INTERNAL}/project-b/base:9")
sim.advance("1m")
print(started(racer))
print(started(patient))
# %oc describe pod {racer.name} -n team

# %% [markdown]
# An hour later the early pod still has no pull secret and still fails; the pod created
# after provisioning runs. The who-can-pull graph would not show anything wrong: the
# service account *may* pull; it is the pod's own copy of the pull secrets that is empty.
# The fix is to delete and recreate the pod (a Deployment does that when you roll it out
# again). OpenShift 4.16 changed how the pull secret is
# provisioned (a statically named secret with a bound token), and the documentation's
# warning applies to 4.13–4.15.
#
# ## Try this
#
# 1. After step 3, remove the step-2 binding:
#    `%oc policy remove-role-from-user system:image-puller
#    system:serviceaccount:project-a:default -n project-b` (one line).
#    Does `project-a`'s default account lose access? Draw the change with `show(graph)`.
# 2. In step 5, give quay.io a user `general` whose password is the general entry's, and
#    make the specific entry's password wrong. Does the pod of `repository-main` run? (The
#    kubelet tries every matching credential in order, and the first that works wins.)
# 3. Put `registry.example.com`'s credentials in the global pull secret instead of a linked
#    secret. Which service accounts gain access, according to `registry_coverage`?
# 4. In step 8, create the racing pod at 6 s instead of 3 s: the secret is linked but not
#    yet filled with a token. What happens, and why?
