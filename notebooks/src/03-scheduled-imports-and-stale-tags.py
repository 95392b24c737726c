# Source of notebooks/03-scheduled-imports-and-stale-tags.ipynb: edit here, then run
# `python notebooks/_build.py 03` to rebuild and re-execute the notebook.

# %% [markdown]
# # 3. Scheduled imports and stale tags
#
# A tag imported once goes **stale**: upstream rebuilds `3.2` to fix a CVE, and the stream
# keeps the old digest. `oc tag --scheduled` asks the cluster to re-import the tag
# periodically. This notebook looks at how that schedule works, how late a scheduled tag
# can be, why the answer changes with the number of scheduled streams in the *whole
# cluster*, how each tagging strategy compares, and how image triggers turn a moved tag into
# a rollout.
#
# **The mechanism.** The *scheduled image import controller* of
# openshift-controller-manager owns scheduled tags. Its settings, with their defaults
# (`imageImport` in the controller manager's configuration):
#
# | Setting | Default | |
# |---|---|---|
# | `scheduledImageImportMinimumIntervalSeconds` | 900 (15 min) | how often each stream is visited |
# | `maxScheduledImageImportsPerMinute` | 60 | a cluster-wide token bucket, burst 120 |
# | `disableScheduledImport` | false | |
#
# The streams sit in 4 buckets (8 above a one-hour interval, 2 under ten minutes) plus the
# current one; the controller empties the current bucket one stream at a time, then waits
# `interval / buckets` (3 min 45 s) and moves to the next, so each stream is visited once per
# interval (the first visit of a newly scheduled stream can take up to one bucket longer: see
# below). A visit imports **all** the stream's scheduled tags in one `ImageStreamImport`
# if the cluster-wide limiter has a token; otherwise the stream simply waits for its next
# visit, an interval later. Go's map iteration picks the streams of a bucket in random
# order, so who gets the tokens is a lottery.

# %%
import warnings

import matplotlib.pyplot as plt
import pandas as pd

import simkit as sk
from simkit import analysis, plots
from simkit.analysis.throttle import first_visit, first_visit_window, throttle_model
from simkit.upstream import Rebuilds

pd.set_option("display.width", 130)
pd.set_option("display.max_colwidth", 60)
# sk.sweep imports tqdm.auto, which warns when ipywidgets is missing; no bar is shown
warnings.filterwarnings("ignore", message="IProgress not found")

sim = sk.Simulation(seed=3)
print(sim.config.scheduled_import_interval, "s between visits,",
      sim.config.max_scheduled_imports_per_minute, "scheduled imports a minute, cluster-wide")
# %load_ext simkit
# %simkit use sim


def to_seconds(frame):
    """The frame with its times and durations rounded to whole seconds, for reading."""
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]) or pd.api.types.is_timedelta64_dtype(
                out[column]):
            out[column] = out[column].dt.round("s")
    return out


# %% [markdown]
# ## One scheduled tag
#
# quay.io rebuilds `acme/ruby:3.2` once a day at a random hour; the stream tag is scheduled,
# next to a copy imported once.

# %%
quay = sim.registry("quay.io")
quay.push("acme/ruby", "3.2")

# %%
# %%oc
# new-project demo
# tag --scheduled quay.io/acme/ruby:3.2 ruby:3.2
# tag quay.io/acme/ruby:3.2 ruby:3.2-once

# %%
Rebuilds(sim, quay, "acme/ruby", "3.2", every="1d")  # daily, at a random time of day
sim.advance("5d")

# %% [markdown]
# `analysis.import_lag` matches every upstream move with the moment each stream tag that
# imports it followed:

# %%
lag = analysis.import_lag(sim)
to_seconds(lag[["tag", "scheduled", "pushed", "imported", "lag"]])

# %% [markdown]
# The scheduled tag followed every rebuild within one interval (15 minutes): the rebuild
# lands at a random moment of the stream's 15-minute cycle, so the lag is spread evenly
# between 0 and 15 minutes, 7.5 minutes on average. The tag imported once never followed.
# Over the five days:

# %%
ax = plots.tag_timeline(analysis.tag_history(sim, "demo/ruby:3.2-once"))
plt.show()

# %% [markdown]
# ### The first scheduled import: up to 18 min 45 s
#
# "Every 15 minutes" is the time *between* two visits; the first one can come later. The
# controller's worker starts with openshift-controller-manager and keeps its own clock: it
# takes one bucket every $T = I/B$ = 225 s whether or not anything is scheduled (its bucket
# limiter starts full, so the clock starts with the controller). Every write to a stream with
# a scheduled tag (`oc tag --scheduled`, and a second later the import it triggers) calls the
# scheduler's `Add`, which puts the stream in the emptiest bucket, trying the furthest one
# first. Alone in the scheduler, the stream lands in the bucket *behind* the current one,
# $B$ buckets away. The current bucket is taken at the next tick, $w$ after the write with
# $0 < w \le T$, so the first scheduled import comes $I + w$ after the stream's last write:
# between 15 min and 18 min 45 s, depending on where in the controller's 225-second cycle you
# tagged. A rebuild a minute after tagging is picked up 14 to 17¾ minutes later. (With other
# streams scheduled, `Add` may choose a nearer, emptier bucket: $I + T$ after the last write
# stays the bound, while the cluster-wide limiter has tokens.)
# `analysis.throttle.first_visit` computes the moment from those rules; here it is next to
# the simulation, for a tag at four moments of the cycle and a rebuild a minute later:

# %%
print("first visit after the stream's last write: between",
      " and ".join(str(pd.Timedelta(seconds=s)) for s in first_visit_window(sk.Config())))
rows = []
for tag_at in (226, 300, 380, 445):  # seconds after the controller started
    first = sk.Simulation(seed=3)
    upstream = first.registry("quay.io")
    upstream.push("acme/ruby", "3.2")
    first.oc("new-project demo")
    first.advance(tag_at)
    first.oc("tag --scheduled quay.io/acme/ruby:3.2 ruby:3.2")
    written = tag_at + first.config.import_reaction_delay  # the import `oc tag` triggers
    first.advance("1m")
    upstream.push("acme/ruby", "3.2")  # the rebuild
    first.advance("20m")
    row = analysis.import_lag(first).iloc[0]
    predicted = first_visit(first.config, written) + first.config.import_latency
    rows.append({"tagged": pd.Timedelta(seconds=tag_at), "rebuilt": row["pushed"],
                 "imported": row["imported"], "lag": row["lag"],
                 "predicted lag": pd.Timedelta(seconds=predicted - tag_at - 60)})
to_seconds(pd.DataFrame(rows))

# %% [markdown]
# ## Many scheduled streams: the cluster-wide throttle
#
# Every scheduled stream costs one import per interval, whether or not anything changed
# upstream, and the limiter lets only so many through. One bucket visit can import at most
#
# $$c = \min\left(r \tfrac{I}{B},\ 1 + \tfrac{b - 1}{1 - r \ell},\ \tfrac{I}{B \ell}\right)$$
#
# streams (what refills during a bucket period, the burst plus what refills while it is
# spent, and what fits serially at $\ell$ = 0.5 s an import), where $r$ is the limit per
# second, $b$ the burst, $I$ the interval and $B$ the number of buckets. That makes at most
# $C = B \cdot c$ imports per interval: **900** with the defaults. With $N$ scheduled streams
# a visit gets a token with probability $p = \min(1, C/N)$, and since the winners are drawn
# at random each time, a stream waits a geometric number of visits: $1/p$ on average. A
# change therefore reaches its stream tag after about
#
# $$\text{mean lag} \approx \left(\tfrac{1}{p} - \tfrac{1}{2}\right) I$$
#
# and some tags wait much longer: $P(\text{more than } k \text{ visits}) = (1-p)^k$.
# `analysis.throttle.throttle_model` computes these numbers for any configuration.

# %%
rows = [throttle_model(sk.Config(), n).as_dict() for n in (300, 900, 2000, 3000, 5000)]
model = pd.DataFrame(rows).set_index("streams")
lags = ["mean_lag", "median_lag", "p95_lag"]
model[lags] = model[lags].apply(lambda s: pd.to_timedelta(s, unit="s").dt.round("s"))
model[["per_interval", "accepted", *lags]]

# %% [markdown]
# ### Measured: the same rule, scaled down
#
# Simulating thousands of streams for days takes minutes (every visit is simulated), so we
# shrink the cluster and keep the ratio that matters, $C/N$. At 3 imports a minute
# (burst 6) a bucket visit imports at most 6 streams, so $C$ = 24 per interval, and
# 48 streams are throttled just like 1,800 streams at the default limit. Each run below is a
# cluster with $N$ scheduled streams, each rebuilt upstream once a day at a random time,
# simulated for a day; `sk.sweep` runs them in parallel worker processes.

# %%
def throttle_run(params, seed):
    """One cluster: N scheduled streams, daily rebuilds; the measured import lags."""
    config = sk.Config(max_scheduled_imports_per_minute=params["per_minute"])
    sim = sk.Simulation(seed=seed, config=config)
    quay = sim.registry("quay.io")
    sim.oc("new-project fleet")
    for i in range(params["streams"]):
        quay.push(f"acme/app{i}", "1.0")
        sim.oc(f"tag --scheduled quay.io/acme/app{i}:1.0 app{i}:1.0 -n fleet")
        Rebuilds(sim, quay, f"acme/app{i}", "1.0", every="1d")
    sim.advance("1d")
    lags = analysis.import_lag(sim)["lag"].dropna().dt.total_seconds()
    stats = sim.scheduled_import_controller.stats()
    return {"rebuilds_imported": len(lags), "mean_lag_s": lags.mean(),
            "p95_lag_s": lags.quantile(0.95), "max_lag_s": lags.max(),
            "visits": stats["visits"], "throttled": stats["throttled"]}


SMALL = sk.Config(max_scheduled_imports_per_minute=3)
sizes = [12, 24, 48, 96]
measured = sk.sweep(throttle_run, {"streams": sizes, "per_minute": [3]}, seeds=[0],
                    progress=False, drop_timing=True)
measured["predicted_mean_lag_s"] = [throttle_model(SMALL, n).mean_lag for n in sizes]
measured["accepted"] = 1 - measured["throttled"] / measured["visits"]
measured[["streams", "accepted", "mean_lag_s", "predicted_mean_lag_s", "p95_lag_s",
          "max_lag_s"]].round(2)

# %%
fig, ax = plt.subplots(figsize=(8, 4))
curve = range(4, 129, 2)
ax.plot(curve, [throttle_model(SMALL, n).mean_lag / 60 for n in curve],
        label="predicted mean lag")
ax.plot(curve, [throttle_model(SMALL, n).p95_lag / 60 for n in curve], ":",
        label="predicted 95th percentile")
ax.plot(measured["streams"], measured["mean_lag_s"] / 60, "o", label="measured mean lag")
ax.plot(measured["streams"], measured["p95_lag_s"] / 60, "s", label="measured 95th percentile")
ax.axvline(24, color="grey", linewidth=0.8)
ax.annotate("C = 24 imports per interval", (25, 150), fontsize=9)
ax.set_xlabel("scheduled streams in the cluster (limit: 3 imports a minute)")
ax.set_ylabel("minutes from upstream rebuild to import")
ax.set_title("Import lag under the scheduled import throttle")
ax.legend()
plt.show()

# %% [markdown]
# Below $C$ the lag is the interval's: half of it on average. Above $C$ the throttle takes
# over. Note what the formula implies once throttled: mean lag
# $\approx (N/(rI) - 1/2)\,I = N/r - I/2$: the limiter, not the interval, sets the pace.
# At the default 60 a minute, 3,000 scheduled streams wait about 50 minutes minus half an
# interval on average, and a few unlucky ones hours. Under the throttle a longer interval
# hardly changes the lag; fewer scheduled streams or a higher limit do.
#
# ### Play with it
#
# The predictions for the default limit, for any number of streams and any interval
# (with `ipywidgets` installed, sliders appear below this static picture):

# %%
def show_throttle(streams=3000, interval_minutes=15, per_minute=60):
    """The throttle model's numbers and lag distribution for one configuration."""
    config = sk.Config(scheduled_import_interval=interval_minutes * 60,
                       max_scheduled_imports_per_minute=per_minute)
    m = throttle_model(config, streams, changes=streams)
    print(f"{m.buckets} buckets, one every {m.bucket_period / 60:.2f} min; "
          f"at most {m.per_interval:.0f} imports per interval; a visit imports with "
          f"p = {m.accepted:.2f}")
    print(f"lag: mean {m.mean_lag / 60:.0f} min, median {m.median_lag / 60:.0f} min, "
          f"95% within {m.p95_lag / 60:.0f} min, the worst of {streams} changes "
          f"about {m.worst_lag / 3600:.1f} h")
    visits = range(1, int(m.p95_lag // m.interval) + 3)
    share = [(1 - m.accepted) ** (k - 1) * m.accepted for k in visits]
    fig, ax = plt.subplots(figsize=(8, 3))
    ax.bar(list(visits), share, width=0.8)
    ax.set_xlabel(f"the visit that imports the change (one every {interval_minutes} min)")
    ax.set_ylabel("share of changes")
    ax.set_title(f"{streams} scheduled streams, {interval_minutes}-minute interval, "
                 f"{per_minute} imports a minute")
    plt.show()


show_throttle()

# %% tags=["widget"]
try:
    import ipywidgets as widgets
except ImportError:  # the notebook runs without them; the picture above stays static
    widgets = None
if widgets is not None:
    widgets.interact(
        show_throttle,
        streams=widgets.IntSlider(value=3000, min=100, max=10000, step=100),
        interval_minutes=widgets.IntSlider(value=15, min=5, max=120, step=5),
        per_minute=widgets.IntSlider(value=60, min=10, max=300, step=10),
    )

# %% [markdown]
# What to take away for a real cluster:
#
# - Count the streams with scheduled tags across **all** projects: the limiter is shared.
#   `oc get is -A -o json` and a look at `importPolicy.scheduled` tells you.
# - Below about 900 (at the defaults) every scheduled tag is at most 15 minutes late.
# - Above it, the mean lag grows with $N/60$ minutes and the tail grows faster. Schedule only
#   tags whose upstream actually moves, or raise `maxScheduledImportsPerMinute` if your
#   registries can take it: every visit is a request to them, changed or not.
#
# ## Stale-tag risk by strategy
#
# Back to a normal-sized cluster. Eight upstream services are rebuilt every two days at
# random times, and a project consumes each of them in five ways (notebook 2): scheduled,
# imported once, an alias of the scheduled tag, a permanent copy made on day one, and a
# reference.

# %%
sim = sk.Simulation(seed=4)
quay = sim.registry("quay.io")
sim.oc("new-project apps")
for i in range(8):
    quay.push(f"acme/svc{i}", "1.0")
    sim.oc(f"tag --scheduled quay.io/acme/svc{i}:1.0 svc{i}:1.0")
    sim.oc(f"tag quay.io/acme/svc{i}:1.0 svc{i}:1.0-once")
    sim.oc(f"tag --reference quay.io/acme/svc{i}:1.0 svc{i}:ref")
    Rebuilds(sim, quay, f"acme/svc{i}", "1.0", every="2d")
sim.advance("1m")
for i in range(8):
    sim.oc(f"tag --alias svc{i}:1.0 svc{i}:latest")
    sim.oc(f"tag svc{i}:1.0 svc{i}:prod")  # a copy: promoted once, never again
sim.advance("10d")
risk = analysis.stale_tag_risk(sim)
summary = to_seconds(analysis.group_risk(risk, by="strategy"))
summary[["tags", "stale_now", "mean_stale_fraction", "max_lag", "mean_lag",
         "max_versions_behind"]]

# %%
ax = plots.lag_distribution(analysis.stale_episodes(sim),
                            marks={"scheduled import interval": "15min"})
plt.show()

# %% [markdown]
# Scheduled tags and their aliases are stale for minutes after each rebuild, never longer
# than an interval here (the cluster is far below the throttle). Tags imported once and
# permanent copies are stale from the first rebuild on, for good: their *stale fraction* is
# most of the ten days and they fall further behind with each rebuild. That is by design
# for `prod` (a promotion is a decision), and a trap for a floating name like `1.0-once`. A
# reference never lags in the stream, because it holds no digest: the question moves to the
# nodes, which is notebook 4's subject.
#
# ## Image triggers: a moved tag rolls out
#
# A moved stream tag only matters when something uses it. An **image trigger** (the
# `image.openshift.io/triggers` annotation on a Deployment, or a DeploymentConfig's
# `ImageChange` trigger) makes openshift-controller-manager watch a stream tag and write the
# tag's pull spec into the pod template whenever the tag moves: a new rollout. Two
# Deployments follow the two kinds of tag:

# %%
sim = sk.Simulation(seed=5)
quay = sim.registry("quay.io")
quay.push("acme/web", "2.4")

# %%
# %%oc
# new-project shop
# tag --scheduled --reference-policy=local quay.io/acme/web:2.4 web:2.4
# tag --reference-policy=local quay.io/acme/web:2.4 web:2.4-once

# %%
sim.advance("1m")
sim.deploy("shop", "follows-scheduled", trigger="web:2.4", replicas=2)
sim.deploy("shop", "follows-once", trigger="web:2.4-once", replicas=2)
Rebuilds(sim, quay, "acme/web", "2.4", every="1d")
sim.advance("3d")

events = sim.events
rollouts = events[events["kind"] == "rollout"].copy()
rollouts["digest"] = rollouts["image"].str.extract(r"@(sha256:\w{7})", expand=False) + "…"
rollouts[["time", "workload", "revision", "cause", "digest"]]

# %% [markdown]
# `follows-scheduled` rolled out once at creation and again after every import of a
# rebuild; `follows-once` only at creation. The running pods say the same:

# %%
upstream = quay.tags("acme/web")["2.4"]
pd.DataFrame([{"pod": pod.name, "owner": pod.owner, "status": pod.status,
               "runs": pod.image_digest[:14] + "…",
               "upstream's current 2.4": pod.image_digest == upstream}
              for pod in sim.pods("shop")])

# %% [markdown]
# ## Try this
#
# 1. In `show_throttle`, find the number of streams at which the default configuration's
#    mean lag reaches one hour. Then double `per_minute`: where is it now?
# 2. Re-run `throttle_run` for 96 streams with `per_minute=6`. Which of measured and
#    predicted lags change, and by how much?
# 3. In the strategy study, make the permanent copies follow releases the way a pipeline
#    would: every day at 08:00, `oc tag svcN:1.0 svcN:prod`. What happens to `prod`'s stale
#    fraction and maximum lag?
# 4. Add a third Deployment that uses `quay.io/acme/web:2.4` directly (no stream, no
#    trigger). Does it ever roll out, and what do its pods run after a week?
