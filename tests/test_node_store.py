"""A node's image store: disk_used kept by store/remove equals the sum of its images."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from simkit.state.nodes import MiB, Node, StoredImage

digests = st.sampled_from([f"sha256:{n:064x}" for n in range(6)])
names = st.sampled_from(["quay.io/a/b:1", "quay.io/a/b:2", "docker.io/library/c:latest"])
operations = st.lists(
    st.one_of(
        st.tuples(st.just("store"), names, digests, st.integers(1, 500)),
        st.tuples(st.just("remove"), digests),
    ),
    max_size=40,
)


@given(operations)
def test_disk_used_is_the_sum_of_the_stored_sizes(ops):
    node = Node("worker-0")
    for now, op in enumerate(ops):
        if op[0] == "store":
            _, name, digest, size = op
            node.store(name, digest, size * MiB, float(now))
        else:
            node.remove(op[1])
        assert node.disk_used == sum(image.size for image in node.images.values())
        for name, digest in node.names.items():
            assert name in node.images[digest].names


def test_images_given_at_construction_count():
    image = StoredImage("sha256:" + "a" * 64, 7 * MiB, {"quay.io/a/b:1"})
    node = Node("worker-0", images={image.digest: image}, names={"quay.io/a/b:1": image.digest})
    assert node.disk_used == 7 * MiB
    assert node.remove(image.digest) == 7 * MiB
    assert node.disk_used == 0 and node.names == {}


def test_storing_a_known_digest_again_does_not_count_it_twice():
    node = Node("worker-0")
    node.store("quay.io/a/b:1", "sha256:" + "b" * 64, 10 * MiB, 0.0)
    node.store("quay.io/a/b:latest", "sha256:" + "b" * 64, 10 * MiB, 1.0)
    assert node.disk_used == 10 * MiB
