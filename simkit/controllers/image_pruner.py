"""The image registry operator's image pruner: ``oc adm prune images`` on a schedule.

OpenShift 4's cluster-image-registry-operator turns the ``ImagePruner`` resource into
the CronJob ``openshift-image-registry/image-pruner`` (``pkg/resource/prunercronjob.go``):
schedule ``0 0 * * *`` (every midnight, UTC), running
``oc adm prune images --keep-tag-revisions=3 --keep-younger-than=60m
--prune-registry=true --confirm=true`` as the ``pruner`` service account, never two at
once (``ForbidConcurrent``).  Each run removes tag history beyond the newest revisions
and the Image objects nothing refers to any more, which is what keeps a long-lived
cluster's history and image count bounded.

simkit runs the pruner when ``Config.image_pruner_schedule`` is set (``"0 0 * * *"``
for the operator's default); it is off by default so that short scenarios keep every
revision to look at.  The schedule takes the daily cron forms ``M H * * *``,
``@daily`` and ``@midnight``.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from simkit.durations import format_duration
from simkit.rules.cron import DAY, daily_offset

if TYPE_CHECKING:
    from simkit.simulation import Simulation


class ImagePruner:
    """Runs the operator's prune job at each scheduled time of day.

    Examples
    --------
    >>> import simkit as sk
    >>> from simkit.config import Config
    >>> sim = sk.Simulation(config=Config(image_pruner_schedule="0 0 * * *"))
    >>> sim.advance("2d")
    >>> sim.image_pruner.runs
    2
    """

    def __init__(self, sim: Simulation, schedule: str) -> None:
        self.sim = sim
        self.schedule = schedule
        offset = daily_offset(schedule)
        now = sim.clock  # the first run is the next scheduled time of day from now
        seconds_into_day = (
            now.hour * 3600.0 + now.minute * 60.0 + now.second + now.microsecond / 1e6
        )
        first = (offset - seconds_into_day) % DAY
        if math.isclose(first, 0.0):
            first = DAY  # a job due at the very start was missed by nobody: next one
        self.runs = 0
        self.command = (
            f"adm prune images --keep-tag-revisions={sim.config.keep_tag_revisions} "
            f"--keep-younger-than={format_duration(sim.config.keep_younger_than)} "
            "--prune-registry=true --confirm=true"
        )
        sim.engine.every(DAY, self._run, start=sim.engine.now + first)

    def _run(self) -> None:
        self.runs += 1
        # simkit keeps no log of the job's pod: what the command prints is never read
        self.sim.oc(self.command, output=False)
