"""The image stream controller: imports tags whose spec generation is ahead of status.

Models openshift-controller-manager's ``ImageStreamController``: it watches image
streams and, shortly after a stream changes so that
:func:`~simkit.rules.import_selection.needs_import` holds, posts one ImageStreamImport for
the tags that need it.  A failed import records a condition at the new generation, so the
stream no longer needs an import and the controller does not retry in a loop.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simkit.rules.import_selection import needs_import, tags_to_import

if TYPE_CHECKING:
    from simkit.simulation import Simulation


class ImageImportController:
    """Imports changed tags ``config.import_reaction_delay`` seconds after each change."""

    def __init__(self, sim: Simulation) -> None:
        self.sim = sim
        self.delay = sim.config.import_reaction_delay
        self._queued: set[tuple[str, str]] = set()
        sim.cluster.watch("ImageStream", self._on_change)

    def _on_change(self, kind, key, old, new) -> None:
        if new is None or key in self._queued:
            return
        if needs_import(new)[0]:
            self._queued.add(key)
            self.sim.engine.after(self.delay, self._sync, key)

    def _sync(self, key: tuple[str, str]) -> None:
        self._queued.discard(key)
        stream = self.sim.cluster.get("ImageStream", key)
        if stream is None:
            return
        tags = tags_to_import(stream)
        if not tags:
            return
        self.sim.scheduled_import_controller.importing(key)
        self.sim.import_now(key[0], key[1], tags, cause="spec")
