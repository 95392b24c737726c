"""The cluster's tunables, each named after the setting it models, with the real default."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from simkit.rules.cron import daily_offset
from simkit.rules.secret_pulled_images import gate_default

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
    # the image registry operator's ImagePruner spec.schedule: "0 0 * * *" runs
    # oc adm prune images every midnight as OpenShift 4 does; None (simkit's default)
    # runs no pruner, so that short scenarios keep every revision
    image_pruner_schedule: str | None = None
    # kubelet: imageBackOffPeriod and MaxImageBackOff
    image_backoff_initial: float = 10.0
    image_backoff_max: float = 300.0
    # kubelet: serializeImagePulls, maxParallelImagePulls, registryPullQPS, registryBurst
    serialize_image_pulls: bool = True
    max_parallel_image_pulls: int | None = None
    registry_pull_qps: float = 5.0
    registry_burst: int = 10
    # nodes: image filesystem size and download bandwidth (bytes, bytes/s)
    node_disk_capacity: int = 100 * 1024**3
    node_bandwidth: float = 50 * 1024**2
    # the Kubernetes version of the kubelets: decides the KubeletEnsureSecretPulledImages
    # gate's default (alpha, off, in 1.33; beta, on, from 1.35)
    kubernetes_version: str = "1.35"
    kubelet_ensure_secret_pulled_images: bool | None = None
    image_pull_credentials_verification_policy: str = "NeverVerifyPreloadedImages"
    preloaded_images_verification_allowlist: tuple[str, ...] = ()
    # how long the MCO takes per node to roll out a new global pull secret
    pull_secret_rollout_per_node: float = 60.0
    # service-account pull secrets: delay before the dockercfg secret is created, and
    # before it is filled with a token (openshift-controller-manager)
    service_accounts_delay: float = 2.0
    dockercfg_secret_delay: float = 3.0
    dockercfg_token_delay: float = 5.0

    def __post_init__(self) -> None:
        if self.image_pruner_schedule is not None:
            daily_offset(self.image_pruner_schedule)  # a clear error now, not at start
        if self.kubelet_ensure_secret_pulled_images is None:
            object.__setattr__(
                self, "kubelet_ensure_secret_pulled_images", gate_default(self.kubernetes_version)
            )

    def replace(self, **changes: Any) -> Config:
        """A copy with ``changes`` applied; unknown names raise ``TypeError``.

        Changing ``kubernetes_version`` alone re-derives the KEP-2535 gate's default.
        """
        if "kubernetes_version" in changes and "kubelet_ensure_secret_pulled_images" not in changes:
            changes["kubelet_ensure_secret_pulled_images"] = None
        return dataclasses.replace(self, **changes)
