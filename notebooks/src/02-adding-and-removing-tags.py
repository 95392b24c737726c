# Source of notebooks/02-adding-and-removing-tags.ipynb: edit here, then run
# `python notebooks/_build.py 02` to rebuild and re-execute the notebook.

# %% [markdown]
# # 2. Adding and removing tags
#
# `oc tag` has one syntax, `oc tag [flags] SOURCE DEST [DEST...]`, and several very
# different meanings. Depending on the source and the flags, the new tag
#
# - **copies** an image once and never moves again (a *permanent* tag),
# - **tracks** another tag of the same stream (`--alias`),
# - **re-imports** an external tag periodically (`--scheduled`),
# - only **refers** to an external name, imports nothing (`--reference`),
#
# and each can hand pods either the image's own registry or the cluster's integrated
# registry (`--reference-policy=source|local`). This notebook sets up each kind, removes
# tags, and then lets a week pass while the upstream image is rebuilt every day, to see
# which tags move.
#
# **The three kinds of reference.** Every spec tag has a `from`, and its `kind` is one of
# - `DockerImage`: an image in a registry, `quay.io/acme/ruby:3.2`;
# - `ImageStreamTag`: another stream tag, `ruby:3.2` (or `otherns/ruby:3.2`);
# - `ImageStreamImage`: one image of a stream, by digest, `ruby@sha256:…`.
#
# oc picks the kind from the source text: a registry host means `DockerImage`; otherwise an
# `@digest` means `ImageStreamImage`; otherwise a `:tag` means `ImageStreamTag`; and a bare
# name with neither is, surprisingly, a `DockerImage` on Docker Hub. `--source=KIND`
# overrides the guess.

# %%
import matplotlib.pyplot as plt
import pandas as pd

import simkit as sk
from simkit import analysis, plots

pd.set_option("display.width", 130)
pd.set_option("display.max_colwidth", 70)

sim = sk.Simulation(seed=2)
quay = sim.registry("quay.io")
quay.push("acme/ruby", "3.2")
quay.push("acme/ruby", "3.3")
# %load_ext simkit
# %simkit use sim

# %% [markdown]
# `%load_ext simkit` lets us type `oc` commands as in a terminal: a `%%oc` cell runs one
# command a line against the simulation in `sim` (`%simkit use sim`), showing each as
# `$ oc ...` and then what oc prints, or the error it reports (a failed command changes
# nothing in the cluster).

# %%
# %%oc
# new-project demo

# %% [markdown]
# ## Scheduled: re-imported periodically
#
# `--scheduled` sets `importPolicy.scheduled: true` on a `DockerImage` tag. The scheduled
# import controller re-imports it about every 15 minutes (notebook 3 explains the
# schedule and its limits). This will be our moving tag.

# %%
# %%oc
# tag --scheduled quay.io/acme/ruby:3.2 ruby:3.2

# %%
sim.advance("10s")

# %% [markdown]
# ## Alias: tracks another tag of the same stream
#
# `--alias` writes `from: {kind: ImageStreamTag, name: ruby:3.2}` and leaves it at that.
# Whenever `3.2` gets a new image, the API server's `UpdateTrackingTags` copies the change
# to every tag of the **same stream** that tracks it. Because tracking only works inside one
# stream, oc refuses an alias to another stream:

# %%
# %%oc
# tag --alias ruby:3.2 ruby:latest
# tag --alias ruby:3.2 other:latest

# %% [markdown]
# ## Permanent: a copy that never moves
#
# Without `--alias`, tagging from another stream tag makes a **copy**. oc reads the source
# tag's current image *on the client* and writes an `ImageStreamImage` reference to that
# digest, which is why its answer names a digest rather than `ruby:3.2`:

# %%
# %%oc
# tag ruby:3.2 ruby:production

# %% [markdown]
# This is how you promote an image: `production` keeps pointing at today's `3.2` whatever
# happens to `3.2` later. A permanent tag from an external image,
# `oc tag quay.io/acme/ruby:3.2 ruby:3.2-once`, is the same idea one step earlier: imported
# once, then frozen (notebook 1 re-imported one by hand).

# %%
# %%oc
# tag quay.io/acme/ruby:3.2 ruby:3.2-once

# %% [markdown]
# Import flags only make sense for something that can be imported: a registry image. Asking
# oc to schedule a copy of a stream tag fails before anything is sent:

# %%
# %%oc
# tag --scheduled ruby:3.2 ruby:copy

# %% [markdown]
# ## Reference: imports nothing
#
# `--reference` writes `reference: true`. The API server records a status event at once,
# `{dockerImageReference: quay.io/acme/ruby:3.2, image: ""}`, and no controller ever imports
# it. The stream knows the *name* only, so there is no digest (`sim.tag_image` gives
# `None`), and a pod told to use this tag pulls `quay.io/acme/ruby:3.2`, whatever that is at
# the time, with the pod's own credentials.

# %%
# %%oc
# tag --reference quay.io/acme/ruby:3.2 ruby:ref

# %%
print("image:", sim.tag_image("demo/ruby:ref"))
print("pods pull:", sim.pull_spec("demo/ruby:ref"))

# %% [markdown]
# ## Reference policy: Source or Local
#
# A tag's `referencePolicy` decides what *pull spec* the cluster hands out for it, to image
# triggers and to pods that use the stream:
#
# - `Source` (the default): the image's own location, `quay.io/acme/ruby@sha256:…`. Every
#   node pulls from quay.io and needs credentials for it.
# - `Local` (`--reference-policy=local`): the integrated registry,
#   `image-registry.openshift-image-registry.svc:5000/demo/ruby@sha256:…`. The registry looks
#   the digest up in the stream and **pulls it through** from quay.io with the secrets of the
#   stream's project, optionally mirroring it. Nodes only talk to the integrated registry,
#   and access is decided by who may pull the *stream* (notebook 5).

# %%
# %%oc
# tag --scheduled --reference-policy=local quay.io/acme/ruby:3.2 ruby:3.2-local

# %%
sim.advance("10s")
for tag in ("3.2", "3.2-local", "ref"):
    print(f"{tag:10} {sim.pull_spec(f'demo/ruby:{tag}')}")

# %% [markdown]
# Note that the reference policy belongs to each tag: an alias of a `Local` tag hands out
# `Source` pull specs unless it is itself created with `--reference-policy=local`.
#
# ## The stream now
#
# `oc describe` tells the kinds apart in words: *updates automatically from registry*
# (scheduled), *tagged from* (imported once, or a copy), *reference to registry*,
# *prefer registry pullthrough* (Local), and lists aliases next to the tag they track,
# `3.2 (latest)`.

# %%
# %%oc
# describe is ruby

# %% [markdown]
# `analysis.stream_tags` names the strategy of each tag, which the rest of the course uses:

# %%
analysis.stream_tags(sim)[["tag", "strategy", "source_kind", "source", "reference_policy"]]

# %% [markdown]
# ## Removing tags
#
# Two commands remove a tag, and both delete the `ImageStreamTag`, i.e. the spec tag *and*
# its status history: `oc tag -d ruby:3.2-once` and `oc delete istag/ruby:3.2-once`.
# Removing something that is not there fails, and changes nothing.

# %%
# %%oc
# tag ruby:3.2 ruby:scratch
# tag -d ruby:3.2-once
# delete istag/ruby:scratch
# tag -d ruby:3.2-once

# %% [markdown]
# Deleting the tag an alias tracks leaves the alias in place, pointing at the last image it
# was given, and tracking nothing any more. We will not delete `3.2` here (the week below
# needs it), but a throw-away stream shows it:

# %%
sim.oc("tag quay.io/acme/ruby:3.3 tmp:3.3")
sim.advance("10s")
sim.oc("tag --alias tmp:3.3 tmp:current")

# %%
# %%oc
# tag -d tmp:3.3
# get istag tmp:current

# %%
print("current still points at:", sim.tag_image("demo/tmp:current"))

# %% [markdown]
# ## A week of upstream rebuilds
#
# Now quay.io rebuilds `acme/ruby:3.2` every day at a different hour (same tag, new digest),
# and we look each day at the pull spec every tag hands out: what a new pod would run.

# %%
def short(spec):
    """A digest cut to its first hex characters; a spec that names a tag as it is."""
    return spec.split("@")[-1][:14] if "sha256:" in spec else spec


tags = ["3.2", "latest", "production", "ref", "3.2-local"]
hours = [3, 9, 14, 20, 6, 11, 17]  # the hour of each day's rebuild
rows = []
for day, hour in enumerate(hours, start=1):
    sim.advance(f"{hour}h")
    quay.push("acme/ruby", "3.2")  # the daily rebuild
    sim.advance(f"{24 - hour}h")  # midnight: what would a new pod get?
    row = {"day": day, "upstream 3.2": short(quay.tags("acme/ruby")["3.2"])}
    row.update({tag: short(sim.pull_spec(f"demo/ruby:{tag}")) for tag in tags})
    rows.append(row)
pd.DataFrame(rows).set_index("day")

# %% [markdown]
# Reading the table (digests shortened to their first hex characters):
#
# - `3.2` and `3.2-local` follow upstream: each rebuild is imported within a scheduled
#   visit. `latest` follows `3.2`.
# - `production` never moves: it is pinned to the digest `3.2` had when we copied it.
# - `ref` hands out the *name* `quay.io/acme/ruby:3.2`. Pods get whatever the tag is when
#   their node pulls, and a node that already has that name may keep running an old image
#   (notebook 4).
#
# Against their sources over the week:

# %%
fig, axes = plt.subplots(3, 1, figsize=(10, 9.5), sharex=True)
for ax, tag in zip(axes, ["3.2", "latest", "production"], strict=True):
    plots.tag_timeline(analysis.tag_history(sim, f"demo/ruby:{tag}"), ax=ax)
fig.tight_layout()
plt.show()

# %% [markdown]
# And in numbers, per tag: how long it lagged behind its source at worst, and for what share
# of the week (`analysis.stale_tag_risk`; a reference tag has no digest, so it is never
# "behind" in the stream, although the pods that use it may be).

# %%
risk = analysis.stale_tag_risk(sim)
risk = risk[risk["stream"] == "ruby"]
risk[["tag", "strategy", "source", "max_lag", "stale_fraction", "versions_behind_now"]]

# %% [markdown]
# ## Try this
#
# 1. `oc tag ruby@<digest> ruby:by-id`, with the digest `production` points at: which kind
#    does oc choose, and does `by-id` ever move?
# 2. Create `oc tag ruby ruby:oops` (no registry, no tag, no digest) and run
#    `oc describe is ruby`. What did oc think you meant, and what happened to the import?
# 3. Re-create the alias with `--reference-policy=local` and compare
#    `sim.pull_spec("demo/ruby:latest")` before and after.
# 4. Make `production` follow `3.3` instead, the way a release manager would: copy, not
#    alias. What does `oc describe is ruby` say it is `tagged from`?
