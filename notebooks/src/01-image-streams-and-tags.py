# Source of notebooks/01-image-streams-and-tags.ipynb: edit here, then run
# `python notebooks/_build.py 01` to rebuild and re-execute the notebook.

# %% [markdown]
# # 1. Image streams and tags
#
# You know container images: `quay.io/acme/ruby:3.2` names an image in a registry, and the
# tag `3.2` can be moved to a new image at any time by whoever pushes to that repository.
# OpenShift adds one object on top of that, the **image stream**
# (`image.openshift.io/v1 ImageStream`). This notebook shows what it is, what its tags hold,
# how their history grows, and how to name tags, using the tag conventions of OpenShift's
# images guide and the image streams OpenShift itself ships.
#
# Everything runs in **simkit**, a simulator of OpenShift's image machinery: the same
# objects, the same `oc` commands and output, the same controllers, on a simulated clock.
# Nothing here needs a cluster.
#
# **You will learn**
# - an image stream is a named set of *tags*; each tag points at an image *by digest*, and the
#   image itself stays in its registry;
# - `spec.tags` is what you asked for, `status.tags` is what each tag actually pointed at,
#   newest first;
# - how tags are named (the guide's convention table) and how the OpenShift library names
#   them.

# %%
import json
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

import simkit as sk
from simkit import analysis, plots

pd.set_option("display.width", 130)
pd.set_option("display.max_colwidth", 70)

sim = sk.Simulation(seed=1)  # a cluster with three worker nodes, on a simulated clock
# %load_ext simkit
# %simkit use sim

# %% [markdown]
# `%load_ext simkit` gives this notebook a terminal: in a cell that starts with `%%oc` you
# type `oc` commands, one a line, and each is shown as `$ oc ...` followed by what oc prints;
# `%oc ...` runs a single command inside a Python cell. `%simkit use sim` makes them run
# against the simulation in the variable `sim`. (In Python, `sim.oc("...")` does the same
# and returns the text.)

# %% [markdown]
# ## An upstream registry
#
# The images live in a registry outside the cluster. simkit gives us one: `quay.io`, with a
# repository `acme/ruby` in which we push two tags. A push returns the image's **digest**,
# the content hash that names exactly one image for ever.

# %%
quay = sim.registry("quay.io")
print(quay.push("acme/ruby", "3.1"))
print(quay.push("acme/ruby", "3.2"))

# %% [markdown]
# ## Tagging an image into a stream
#
# `oc tag SOURCE DESTINATION` sets one tag of an image stream. The destination `ruby:3.2`
# names the stream `ruby` and its tag `3.2`; the stream is created if it does not exist yet
# (oc writes an `ImageStreamTag`, and the API server creates the stream around it).
#
# Because the source names a registry (`quay.io/...`), oc makes it a **DockerImage** tag:
# the cluster must *import* it, i.e. ask quay.io which digest `acme/ruby:3.2` points at and
# record the answer.

# %%
# %%oc
# new-project demo
# tag quay.io/acme/ruby:3.2 ruby:3.2

# %%
print("right after oc tag, the tag points at:", sim.tag_image("demo/ruby:3.2"))

# %% [markdown]
# Nothing yet. `oc tag` only changed the stream's **spec**. oc sent the tag with
# `generation: 0`, which the API server replaces by the stream's new generation; the image
# import controller in openshift-controller-manager sees a spec tag whose generation is newer
# than anything in the status and runs an `ImageStreamImport`. A moment later:

# %%
sim.advance("5s")
print("five seconds later:", sim.tag_image("demo/ruby:3.2"))
print("upstream 3.2 is:   ", quay.tags("acme/ruby")["3.2"])

# %%
# %%oc
# get is
# get istag

# %% [markdown]
# The `IMAGE REFERENCE` is `quay.io/acme/ruby@sha256:…`: the import records the
# **digest**, not the tag. Whatever happens to `quay.io/acme/ruby:3.2` later, this stream tag
# keeps naming the image that was imported. `IMAGE REPOSITORY` is where the stream can be
# pulled from inside the cluster: the integrated registry,
# `image-registry.openshift-image-registry.svc:5000/<project>/<stream>`.
#
# ## Spec and status
#
# The stream as the API stores it shows the two halves:

# %%
# %%oc
# get is ruby -o yaml

# %% [markdown]
# - **`spec.tags`** is what you asked for: each tag's `from` (here a `DockerImage`), its
#   `importPolicy` (`scheduled: true` would re-import it periodically, see notebook 3) and
#   its `referencePolicy` (`Source` or `Local`, see notebook 2).
# - **`status.tags`** is what happened: for each tag a list of *tag events*
#   `{created, dockerImageReference, image, generation}`. The API documentation says it
#   plainly: *"The first entry in the TagEvent array is the currently tagged image."*
# - The `generation` numbers tie them together: a spec tag whose generation is newer than its
#   newest status event still needs importing.
#
# ## Tag history
#
# The upstream project rebuilds `3.2` every day (same tag, new digest). The tag above is a
# plain, *permanent* `oc tag`: nothing re-imports it by itself. Each night we re-import it by
# hand with `oc import-image`, and each import that finds a new digest **prepends** a tag
# event (openshift-apiserver's `AddTagEventToImageStream`: a new image goes first, an
# unchanged one changes nothing).

# %%
for _ in range(4):
    sim.advance("6h")
    quay.push("acme/ruby", "3.2")  # upstream rebuilds 3.2 in the morning
    sim.advance("18h")
    sim.oc("import-image ruby:3.2")  # we re-import at midnight (oc prints the stream)
sim.advance("2h")

# %%
# %%oc
# describe is ruby

# %% [markdown]
# The `*` marks the current image; the others are the history, newest first. The same history
# as a table, with the upstream tag's moves beside it:

# %%
history = analysis.tag_history(sim, "demo/ruby:3.2")
history.assign(digest=history["digest"].str[:19] + "…")[["time", "series", "key", "version",
                                                          "digest"]]

# %% [markdown]
# The simulation object shows a summary of everything so far (projects, streams,
# registries, nodes, events), and `sim.events` is the full log, one row per event:

# %%
display(sim)

# %%
sim.events["kind"].value_counts().head(8)

# %%
ax = plots.tag_timeline(history)
ax.set_title("demo/ruby:3.2 against quay.io/acme/ruby:3.2, re-imported by hand each night")
plt.show()

# %% [markdown]
# The grey line is the upstream tag, the orange one the stream tag; the gaps between them are the
# hours the stream tag pointed at an older image than upstream: 18 hours a day, from each
# rebuild to our next import. Permanent tags do not follow upstream on their own.
#
# ## History is kept until it is pruned
#
# Nothing in the API server shortens a tag's history. Old entries (and the images they
# keep alive in the integrated registry) go away only when an administrator prunes:
# `oc adm prune images` keeps, by default, the newest **3** revisions of each tag
# (`--keep-tag-revisions=3`) and anything younger than **60 minutes**
# (`--keep-younger-than=60m`), and it only reports what it would do unless given
# `--confirm`.

# %%
# %%oc
# adm prune images

# %%
# %%oc
# adm prune images --keep-tag-revisions=2 --confirm

# %%
sim.stream("demo", "ruby")  # the stream object; a notebook shows it as oc describe does

# %% [markdown]
# ## Naming tags: the convention table
#
# The images guide suggests tag names in the form `<image_name>:<image_tag>`:
#
# | Description | Example |
# |---|---|
# | Revision | `myimage:v2.0.1` |
# | Architecture | `myimage:v2.0-x86_64` |
# | Base image | `myimage:v1.2-centos7` |
# | Latest (potentially unstable) | `myimage:latest` |
# | Latest stable | `myimage:stable` |
#
# and warns against putting too much in a name: a tag such as `v2.0.1-may-2019` points at one
# image only and is never updated, so with the default pruning options that image is never
# removed, and in a large cluster such tags pile up in etcd. A tag named `v2.0` gets new
# revisions, a longer history, and the pruner can trim it. *If you require dates in tag
# names, periodically inspect old and unsupported images and istags and remove them.*
#
# `analysis.classify_tag` names the row a tag follows:

# %%
examples = ["v2.0.1", "v2.0-x86_64", "v1.2-centos7", "latest", "stable", "v2.0.1-may-2019",
            "20190501", "3.3-ubi9", "nightly"]
pd.DataFrame({"tag": examples, "convention": [analysis.classify_tag(t) for t in examples]})

# %% [markdown]
# ## The conventions of the real OpenShift library
#
# The folder `../data/openshift-library` holds the image streams of
# [openshift/library](https://github.com/openshift/library) (Apache-2.0): the curated
# streams, and the set the Cluster Samples Operator installs into the `openshift` project of
# an x86_64 cluster. Let us load the operator's `ruby` stream as the operator would, into
# `openshift`. Its tags import from `registry.redhat.io`, so we first stand up a simulated
# `registry.redhat.io` holding the repositories the file names.

# %%
LIBRARY = Path("../data/openshift-library")
RUBY = LIBRARY / "operator/ocp-x86_64/official/ruby/imagestreams/ruby-rhel.json"

redhat = sim.registry("registry.redhat.io")
for tag in json.loads(RUBY.read_text())["spec"]["tags"]:
    print(f"{tag['name']:10} from {tag['from']['kind']:15} {tag['from']['name']}")
    if tag["from"]["kind"] == "DockerImage":
        repository, _, upstream_tag = tag["from"]["name"].removeprefix(
            "registry.redhat.io/").rpartition(":")
        redhat.push(repository, upstream_tag)

# %%
# %oc create -f {RUBY} -n openshift
sim.advance("1m")  # the imports run
# %oc get istag -n openshift

# %% [markdown]
# Three things to notice:
#
# - The tag names follow the **base-image** row: `3.3-ubi9` is Ruby 3.3 built on UBI 9. The
#   upstream tags are all `latest`, one repository per version (`ubi9/ruby-33:latest`).
# - `latest` is not imported at all: it is `from: {kind: ImageStreamTag, name: 3.3-ubi9}`,
#   a tag of the same stream, so it *tracks* `3.3-ubi9` (notebook 2 shows how).
# - Every tag has `referencePolicy: Local`: pods are given the integrated registry's address
#   (`image-registry.openshift-image-registry.svc:5000/openshift/ruby@sha256:…`) and the
#   registry pulls the image through from registry.redhat.io (notebook 2).
#
# The linter reads every file of the library and classifies every tag:

# %%
lint = analysis.lint_image_streams(LIBRARY / "operator")
print(len(lint), "tags in", lint["stream"].nunique(), "image streams")
lint.groupby(["category", "strategy"]).size().unstack(fill_value=0)

# %%
counts = lint["category"].value_counts()
ax = counts.plot.barh(color="#4c72b0", figsize=(7, 3))
ax.invert_yaxis()
ax.set_xlabel("tags")
ax.set_ylabel("convention")
ax.set_title("Tag conventions in the samples operator's image streams (openshift/library)")
plt.show()

# %% [markdown]
# What the table says:
#
# - **Revision** and **base-image** names dominate (`1.2`, `3.3-ubi9`, `8.4-el9`), and no
#   tag name carries a date.
# - Most `latest` tags are **aliases** of a version tag, like ruby's; the others import an
#   upstream `latest` directly.
# - Almost nothing is **scheduled**: the tags are imported once, when the stream is created.
#   The two scheduled tags belong to `jenkins` and `jenkins-agent-base`, whose tag names
#   spell out the three ways to keep an image current: `ocp-upgrade-redeploy` (an alias,
#   moved by OpenShift upgrades), `user-maintained-upgrade-redeploy` (imported once, you
#   re-import) and `scheduled-upgrade-redeploy` (`--scheduled`).
# - About half the tags are **hidden**: their `tags` annotation contains `hidden`, which keeps
#   deprecated versions out of the developer catalog while existing users keep working.

# %%
lint[lint["stream"] == "jenkins"][["stream", "tag", "strategy", "source", "hidden"]]

# %% [markdown]
# The linter also says what "imported once" means for a floating name such as `1.0`:

# %%
lint[["stream", "tag", "category", "semver_level", "strategy", "flags"]].head(3)

# %% [markdown]
# A **floating** tag (`latest`, `stable`, or a version like `2.0` that moves with each
# patch) imported once *goes stale*: upstream moves on and the stream keeps the image it saw
# first. Notebook 3 measures how stale, and what `--scheduled` changes.
#
# ## Try this
#
# 1. Tag `quay.io/acme/ruby:3.1` into a second stream `ruby-old:3.1`, push a rebuild of
#    `acme/ruby:3.1`, and compare `sim.tag_image("demo/ruby-old:3.1")` with
#    `quay.tags("acme/ruby")["3.1"]` before and after `oc import-image ruby-old:3.1`.
# 2. Import eight more rebuilds of `3.2`, then run `oc adm prune images --confirm` with the
#    default options: how many history entries survive, and why is the newest one never
#    removed?
# 3. Run `analysis.lint_image_streams(LIBRARY / "community")` on the community streams. Which
#    conventions do they use, and do any tags get flagged as `dated`?
