# Source of notebooks/04-pull-policies.ipynb: edit here, then run
# `python notebooks/_build.py 04` to rebuild and re-execute the notebook.

# %% [markdown]
# # 4. Pull policies: what runs on the node
#
# Image streams decide which image a pod is *told* to run. The **kubelet** on each node
# decides what it actually runs, and its rule is the container's `imagePullPolicy`:
#
# | Policy | On every container start, the kubelet… |
# |---|---|
# | `Always` | asks the registry what the name means now, and pulls (cheap if unchanged) |
# | `IfNotPresent` | uses the node's image of that name; pulls only if there is none |
# | `Never` | never pulls; fails with `ErrImageNeverPull` if the node has no such image |
#
# Each node keeps its own image store, a map from names to digests. So the same name can
# mean different images on different nodes, a pull can fail while the registry is down, and
# a private image pulled for one pod may be reused by another. This notebook shows each of
# those, following the kubelet's `EnsureImageExists` (pkg/kubelet/images/image_manager.go).

# %%
import matplotlib.pyplot as plt
import pandas as pd

import simkit as sk
from simkit import analysis, plots
from simkit.scenarios import run

pd.set_option("display.width", 130)
pd.set_option("display.max_colwidth", 60)
# %load_ext simkit


def pods_table(sim, namespace):
    """The pods of a project, the way `oc get pods -o wide` would list them."""
    return pd.DataFrame([{
        "pod": pod.name, "node": pod.node, "policy": pod.pull_policy, "status": pod.status,
        "digest": pod.image_digest[:14] + "…" if pod.image_digest else None,
    } for pod in sim.pods(namespace)])


# %% [markdown]
# ## Defaulting: who gets `Always`
#
# Most manifests do not set a pull policy. The API server then fills one in
# (`SetDefaults_Container`): **`Always` when the tag is `latest` or there is no tag at all,
# `IfNotPresent` otherwise**. A digest does not change the rule: with a digest and no tag
# there is no `latest` to find, but `name:latest@sha256:…` still says `latest`.
# `sk.default_pull_policy` is that function:

# %%
images = ["ubuntu", "ubuntu:latest", "ubuntu:22.04", "quay.io/acme/shop:1.4",
          "quay.io/acme/shop@sha256:" + "a" * 64,
          "quay.io/acme/shop:latest@sha256:" + "a" * 64, "Quay.io/Acme/Shop:1.4"]
pd.DataFrame({"image": [i if len(i) < 50 else i[:47] + "…" for i in images],
              "normalised": [str(sk.parse_image(i).name) if i[0].islower() else "(invalid)"
                             for i in images],
              "default policy": [sk.default_pull_policy(i) for i in images]})

# %% [markdown]
# The last one is not even a valid reference (repository names must be lowercase), yet it
# is defaulted: defaulting ignores the parse error. The kubelet does not; we will see it
# fail with `InvalidImageName`.
#
# ## Node caches and a rebuilt tag
#
# Three worker nodes, one project, an image `quay.io/acme/shop:1.4`. A first pod warms
# `worker-0`'s cache. `%simkit use sim` points the `%oc` magic (from `%load_ext simkit`
# above) at the simulation in `sim`, whichever it holds: `%oc new-project shop` is what you
# would type at a terminal.

# %%
sim = sk.Simulation(seed=4, nodes=3)
# %simkit use sim
quay = sim.registry("quay.io")
old = quay.push("acme/shop", "1.4")
# %oc new-project shop
sim.advance("30s")  # the project's service accounts are ready
sim.run_pod("shop", "quay.io/acme/shop:1.4", node="worker-0")
sim.advance("1m")
pods_table(sim, "shop")

# %% [markdown]
# Now upstream **rebuilds** `1.4`: same tag, new digest. Three new pods start, one per
# situation:

# %%
new = quay.push("acme/shop", "1.4")
sim.run_pod("shop", "quay.io/acme/shop:1.4", node="worker-0")  # IfNotPresent, cached
sim.run_pod("shop", "quay.io/acme/shop:1.4", node="worker-1")  # IfNotPresent, not cached
sim.run_pod("shop", "quay.io/acme/shop:1.4", node="worker-2", pull_policy="Always")
sim.advance("1m")
print("old digest", old[:14], "  new digest", new[:14])
pods_table(sim, "shop")

# %% [markdown]
# - On `worker-0` the name `quay.io/acme/shop:1.4` already means the **old** digest, and
#   `IfNotPresent` takes it: the new pod runs the previous build.
# - `worker-1` never had the name, so it pulls, and gets the new one.
# - `Always` on `worker-2` asks the registry, and gets the new one.
#
# The same name now means two images in one cluster. `analysis.drift` lists, per node,
# what each name resolves to:

# %%
drift = analysis.drift(sim)
drift.assign(digest=drift["digest"].str[:14])[["image", "node", "digest", "version",
                                                "drifted"]]

# %%
ax = plots.node_drift(drift)
plt.show()

# %% [markdown]
# Every decision the kubelet made is in the event log (`pull` events), with the policy,
# what it decided and how many bytes it downloaded:

# %%
events = sim.events
pulls = events[events["kind"] == "pull"].assign(time=lambda e: e["time"].dt.round("s"))
pulls[["time", "pod", "node", "policy", "decision", "credential", "bytes"]]

# %% [markdown]
# ## `Never`, and names the kubelet refuses

# %%
never_cold = sim.run_pod("shop", "quay.io/acme/shop:1.4", node="worker-1",
                         pull_policy="Never")
never_warm = sim.run_pod("shop", "quay.io/acme/shop:1.4", node="worker-0",
                         pull_policy="Never")
never_new = sim.run_pod("shop", "quay.io/acme/shop:2.0", node="worker-0",
                        pull_policy="Never")
invalid = sim.run_pod("shop", "Quay.io/Acme/Shop:1.4")
sim.advance("1m")
for pod in (never_cold, never_warm, never_new, invalid):
    print(f"{pod.name}  {pod.node}  {pod.status}")

# %% [markdown]
# Why a pod is not running is what `oc describe pod` and `oc get events` are for: the
# kubelet records each decision as an Event on the pod.

# %%
# %oc get events --field-selector involvedObject.name={never_cold.name}
# %oc get events --field-selector involvedObject.name={never_new.name}
# %oc get events --field-selector involvedObject.name={invalid.name}

# %% [markdown]
# `Never` runs whatever the node has under that name (on `worker-1` that is the *new*
# digest, on `worker-0` the old one) and fails with `ErrImageNeverPull` otherwise.
#
# ## A registry outage, and the kubelet's backoff
#
# quay.io goes down for 30 minutes. Three more pods start: one can use `worker-0`'s cache,
# one has `Always`, and one lands on a node that has nothing.

# %%
sim = sk.Simulation(seed=4, nodes=2)
quay = sim.registry("quay.io")
quay.push("acme/shop", "1.4")
# %oc new-project shop
sim.advance("30s")
sim.run_pod("shop", "quay.io/acme/shop:1.4", node="worker-0")
sim.advance("1m")

quay.outage("30m")
cached = sim.run_pod("shop", "quay.io/acme/shop:1.4", node="worker-0")
always = sim.run_pod("shop", "quay.io/acme/shop:1.4", node="worker-0", pull_policy="Always")
cold = sim.run_pod("shop", "quay.io/acme/shop:1.4", node="worker-1")
sim.advance("10m")
print("ten minutes into the outage; the Always pod is", always.name)
for pod in (cached, always, cold):
    print(f"  {pod.name}  {pod.pull_policy:12} {pod.node}  {pod.status}")

# %% [markdown]
# A learner at the terminal lists the pods, and asks the one with `Always` what went wrong
# (type the pod's name as `oc get pods` prints it):

# %%
# %%oc
# get pods
# describe pod shop-03d06

# %% [markdown]
# The cached `IfNotPresent` pod never noticed the outage. The other two alternate between
# `ErrImagePull` (an attempt failed) and `ImagePullBackOff` (waiting before the next one),
# and the Events section says so: each attempt is a `Pulling` and a `Failed` event with the
# registry's error, each wait a `BackOff` ("Back-off pulling image"). The kubelet's event
# recorder folds repeats into one line, `(x20 over 9m32s)`: twenty times, the first 9m32s
# ago, the last one `AGE` ago.
# The kubelet keeps one backoff per pod and image (`flowcontrol.Backoff`): 10 s after the
# first failure, doubling each time, at most 300 s. Once the registry is back, the next
# attempt succeeds:

# %%
sim.advance("30m")
print("after the outage:", [pod.status for pod in (cached, always, cold)])
events = sim.events
attempts = events[(events["kind"] == "pull") & (events["pod"] == always.name)
                  & events["decision"].isin(["failed", "pulled"])]
gaps = attempts["seconds"].diff().dropna().round(1).tolist()
print("seconds between attempts:", gaps)

# %%
fig, ax = plt.subplots(figsize=(8, 3.5))
delays = [min(10 * 2**k, 300) for k in range(len(gaps))]
ax.step(range(1, len(gaps) + 1), delays, where="mid", label="backoff: 10 s doubling, max 300 s")
ax.plot(range(1, len(gaps) + 1), gaps, "o", label="measured gap between pull attempts")
ax.set_xlabel("attempt")
ax.set_ylabel("seconds")
ax.set_title("The Always pod during a 30-minute outage of quay.io")
ax.legend()
plt.show()

# %% [markdown]
# The measured gaps are the backoff rounded up to the pod worker's next sync (it retries a
# failing pod every 10 to 15 s and checks the backoff each time). After a long outage a pod
# may therefore start up to five minutes after the registry is back.
#
# ## The trade-off over days
#
# The bundled scenario `pull-policy-outage.yaml` runs three Deployments of one image for
# four days, differing only in pull policy, restarting every six hours; upstream rebuilds
# daily and quay.io is down for two hours on day two.

# %%
scenario = run("../data/scenarios/pull-policy-outage.yaml")
ax = plots.pull_outcomes_over_time(analysis.pull_outcomes(scenario, "2h"))
plt.show()

# %% [markdown]
# `Always` pods pull at every start (the blue bars) and fail while quay.io is down (red and
# purple); `IfNotPresent` pods start from the cache (green) through the outage. The price
# is freshness: after each rebuild they keep running the digest their node cached, until
# something refreshes the node's name (here, an `Always` pod pulling on the same node).
# `Always` pods are stale only between a rebuild and their next restart.

# %%
runs = analysis.stale_pod_time(scenario)
share = analysis.group_risk(runs, by="policy")
share[["runs", "stale_share"]]

# %% [markdown]
# ## Cached private images (KEP-2535)
#
# `IfNotPresent` has a security side. A pod with a pull secret pulls a private image onto a
# node; a second pod, **without** credentials, asks for the same name on the same node. For
# years the kubelet simply used the cached image: anyone who could schedule a pod there
# could run it. (The old mitigation was the `AlwaysPullImages` admission plugin, which
# forces `Always` on every pod.)
#
# Kubernetes 1.33 added the `KubeletEnsureSecretPulledImages` feature gate (alpha, off);
# from 1.35 it is beta and **on** by default. The kubelet then records which credentials
# pulled each image, and before reusing a cached image checks that the new pod presents
# matching credentials, according to `imagePullCredentialsVerificationPolicy`
# (`NeverVerifyPreloadedImages` by default: images the kubelet pulled itself are checked,
# images that were on the node before it are not). Images pulled anonymously are open to
# every pod on the node.


# %%
def intruder(config):
    """A private image pulled for project a, then asked for by a pod of project b."""
    sim = sk.Simulation(seed=5, nodes=1, config=config)
    private = sim.registry("registry.example.com", users={"robot": "example-password"})
    private.push("team/private", "1.0")
    sim.oc("new-project a")
    sim.oc("new-project b")
    sim.advance("30s")
    sim.oc("create secret docker-registry reg -n a --docker-server=registry.example.com "
           "--docker-username=robot --docker-password=example-password")
    sim.run_pod("a", "registry.example.com/team/private:1.0", image_pull_secrets=["reg"])
    sim.advance("1m")
    pod = sim.run_pod("b", "registry.example.com/team/private:1.0")  # no secret
    sim.advance("1m")
    return sim, pod


rows = []
for label, config in [
    ("1.33, gate off", sk.Config(kubernetes_version="1.33")),
    ("1.35 default", sk.Config()),
    ("1.35, NeverVerify", sk.Config(image_pull_credentials_verification_policy="NeverVerify")),
    ("1.35, AlwaysVerify",
     sk.Config(image_pull_credentials_verification_policy="AlwaysVerify")),
]:
    sim, pod = intruder(config)
    exposure = analysis.cached_exposure(sim).iloc[0]
    rows.append({"kubelet": label, "pod without secret": pod.status,
                 "analysis says exposed": bool(exposure["exposed"]),
                 "why": exposure["reason"]})
pd.DataFrame(rows)

# %% [markdown]
# `analysis.cached_exposure` reads the node caches and the kubelet's settings and predicts
# what the kubelet does to a pod without credentials; the pod's actual status agrees. The
# pull events name each credential by its *source* (`secret:a/reg`), never its content:

# %%
events = sim.events  # the last cluster: AlwaysVerify
pulls = events[(events["kind"] == "pull") & events["decision"].isin(["pulled", "failed"])]
pulls[["namespace", "pod", "decision", "credential"]].head(3)

# %% [markdown]
# ## Try this
#
# 1. In the rebuilt-tag cluster, start a pod with `pull_policy="Always"` on `worker-0`.
#    What does `analysis.drift(sim)` say afterwards, and what do the *running* pods on
#    `worker-0` run?
# 2. Make the outage two hours long. How many pull attempts does the `Always` pod make,
#    and how long after the registry returns does it start?
# 3. Re-run the scenario with `run(path, overrides={"workloads.1.pull_policy": "Always"})`
#    (or edit a copy of the file): how do the stale share and the failures change?
# 4. In `intruder`, pull the private image anonymously first by making the registry public
#    (`users=None`), then private again. Is the second pod exposed, and why?
