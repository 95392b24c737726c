"""The cluster's tunables, each named after the setting it models, with the real default."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

INTEGRATED_REGISTRY = "image-registry.openshift-image-registry.svc:5000"
"""The integrated registry's service address (``status.dockerImageRepository`` host)."""


@dataclass(frozen=True, slots=True)
class Config:
    """Settings of the simulated cluster.

    Every field is an OpenShift or Kubernetes setting with its default; override with
    :meth:`replace` or ``Simulation(config=...)``.

    Examples
    --------
    >>> Config().scheduled_import_interval
    900.0
    >>> Config().replace(scheduled_import_interval=300).scheduled_import_interval
    300
    """

    internal_registry: str = INTEGRATED_REGISTRY
    # openshift-controller-manager: ScheduledImageImportMinimumIntervalSeconds (15 min)
    scheduled_import_interval: float = 900.0
    # openshift-controller-manager: MaxScheduledImageImportsPerMinute (-1 or 0: unlimited)
    max_scheduled_imports_per_minute: int = 60
    # openshift-controller-manager: DisableScheduledImport
    disable_scheduled_import: bool = False
    # ScheduledImageStreamController DefaultBucketSize
    scheduled_import_buckets: int = 4
    # how long the image stream controller takes to notice a spec change and import
    import_reaction_delay: float = 1.0
    # how long one ImageStreamImport takes (the scheduled controller imports serially)
    import_latency: float = 0.5
    # oc adm prune images: --keep-tag-revisions, --keep-younger-than
    keep_tag_revisions: int = 3
    keep_younger_than: float = 3600.0
    # kubelet: imageBackOffPeriod and MaxImageBackOff
    image_backoff_initial: float = 10.0
    image_backoff_max: float = 300.0

    def replace(self, **changes: object) -> Config:
        """A copy with ``changes`` applied; unknown names raise ``TypeError``."""
        return dataclasses.replace(self, **changes)
