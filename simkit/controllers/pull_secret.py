"""The global pull secret's rollout to the nodes.

OpenShift's Machine Config Operator writes ``openshift-config/pull-secret`` to every
node's ``/var/lib/kubelet/config.json``, one node after another; since 4.7.4 this
needs neither a drain nor a reboot.  The file is the node's keyring: every pod on the
node may pull with it, after its own pull secrets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simkit.state.accounts import DOCKERCONFIGJSON, Secret

if TYPE_CHECKING:
    from simkit.simulation import Simulation

GLOBAL_PULL_SECRET = ("openshift-config", "pull-secret")
EMPTY_CONFIG = b'{"auths": {}}'


class PullSecretRollout:
    """Rolls each new version of the global pull secret out to the nodes in turn."""

    def __init__(self, sim: Simulation) -> None:
        self.sim = sim
        self.version = 0
        sim.cluster.watch("Secret", self._on_secret)

    def bootstrap(self) -> None:
        """The cluster's pull secret at time 0, already on every node."""
        with self.sim.transaction() as tx:
            secret = Secret(
                *GLOBAL_PULL_SECRET,
                DOCKERCONFIGJSON,
                {".dockerconfigjson": EMPTY_CONFIG},
                uid="pull-secret",
            )
            tx.put("Secret", secret.key, secret)
        for name in self.sim.node_names:
            node = self.sim.kubelet.node(name)
            node.config_json = EMPTY_CONFIG.decode()

    def _on_secret(self, kind, key, old, new) -> None:
        if key != GLOBAL_PULL_SECRET or new is None or old is None:
            return
        if old.data == new.data:
            return
        self.version += 1
        content = new.data.get(".dockerconfigjson", EMPTY_CONFIG).decode(errors="replace")
        self.sim.record(
            "pull_secret_rollout_started", version=self.version, nodes=len(self.sim.node_names)
        )
        step = self.sim.config.pull_secret_rollout_per_node
        for i, name in enumerate(self.sim.node_names):
            self.sim.engine.after(step * (i + 1), self._apply, name, content, self.version)

    def _apply(self, node_name: str, content: str, version: int) -> None:
        if version != self.version:
            return  # a newer version superseded this one; its own rollout writes the node
        node = self.sim.kubelet.node(node_name)
        node.config_json = content
        node.config_version = version
        self.sim.record("pull_secret_rolled_out", node=node_name, version=version)

    def nodes_with_version(self, version: int | None = None) -> list[str]:
        """Nodes whose config.json holds ``version`` (default: the newest)."""
        version = self.version if version is None else version
        kubelet = self.sim.kubelet
        return [n for n in self.sim.node_names if kubelet.node(n).config_version == version]
