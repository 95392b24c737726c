"""Tests for simkit.rules.secret_pulled_images (KEP-2535).

Restated from upstream ``pkg/kubelet/images/pullmanager``:

* ``image_pull_policies_test.go``: TestNeverVerifyPreloadedPullPolicy,
  TestNewNeverVerifyAllowListedPullPolicy (with the "familiar" name cases of PR #137629)
  and TestTrimImageTagDigest.
* ``image_pull_manager_test.go``: TestFileBasedImagePullManager_MustAttemptImagePull
  (records from ``testdata/pulled``), Test_pulledRecordMergeNewCreds and
  TestFileBasedImagePullManager_RecordImagePulled (the resulting records).
* ``image_manager.go`` ``trackedToImagePullCreds`` and the service-account cases of
  ``image_manager_test.go``.
"""

from __future__ import annotations

import pytest

from simkit.refs import InvalidReference
from simkit.rules.pull_decision import decide, pull_outcome
from simkit.rules.secret_pulled_images import (
    CredentialMapping,
    PulledRecord,
    PullSecret,
    PullServiceAccount,
    check_image_pull,
    default_policy,
    gate_default,
    gate_exists,
    merge_credentials,
    must_attempt_pull,
    parse_allowlist,
    record_pull,
    requires_verification,
    trim_image_tag_digest,
    validate_allowlist,
)

D38 = "sha256:38a8906435c4dd5f4258899d46621bfd8eea3ad6ff494ee3c2f17ef0321625bd"


# --- feature gate --------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("version", "exists", "default"),
    [
        ("1.30", False, False),
        ("1.32.4", False, False),
        ("1.33", True, False),
        ("v1.34.2", True, False),
        ("1.35", True, True),
        ("v1.36.0", True, True),
    ],
)
def test_gate(version: str, exists: bool, default: bool) -> None:
    assert gate_exists(version) is exists
    assert gate_default(version) is default
    assert default_policy(gate_default(version)) == (
        "NeverVerifyPreloadedImages" if default else ""
    )


def test_gate_rejects_garbage() -> None:
    with pytest.raises(ValueError, match="not a Kubernetes version"):
        gate_default("latest")


# --- TestNeverVerifyPreloadedPullPolicy and the other fixed policies -----------------------
@pytest.mark.parametrize(("records", "want"), [(False, False), (True, True)])
def test_never_verify_preloaded(records: bool, want: bool) -> None:
    assert (
        requires_verification("NeverVerifyPreloadedImages", "test-image:sometag", records) is want
    )


@pytest.mark.parametrize("records", [False, True])
def test_never_and_always(records: bool) -> None:
    assert requires_verification("NeverVerify", "x", records) is False
    assert requires_verification("AlwaysVerify", "x", records) is True


def test_unknown_policy() -> None:
    with pytest.raises(ValueError, match="unknown image pull credential verification policy: X"):
        requires_verification("X", "img", True)


# --- TestNewNeverVerifyAllowListedPullPolicy ----------------------------------------------
BASIC = "test.io/test/test-image:tag"
# (name, records exist, input image, allowlist, absolutes, wildcards, want, want error)
ALLOWLIST_CASES = [
    ("no records, not in allowlist", False, BASIC,
     ["test.io/test/image1", "test.io/test/image2", "test.io/test/image3"], 3, 0, True),
    ("records, not in allowlist", True, BASIC,
     ["test.io/test/image1", "test.io/test/image3", "test.io/test/image2", "test.io/test/image3"],
     3, 0, True),
    ("no records, appears in allowlist", False, BASIC,
     ["test.io/test/image1", "test.io/test/image2", "test.io/test/test-image",
      "test.io/test/image3"], 4, 0, False),
    ("records, appears in allowlist", True, BASIC,
     ["test.io/test/image1", "test.io/test/image2", "test.io/test/test-image",
      "test.io/test/image3"], 4, 0, False),
    ("different repo wildcard", False, BASIC,
     ["test.io/test/image1", "test.io/test/image2", "different.repo/test/*"], 2, 1, True),
    ("matches org wildcard", False, BASIC,
     ["test.io/test/image1", "test.io/test/image2", "test.io/test/*"], 2, 1, False),
    ("matches repo wildcard", False, BASIC,
     ["test.io/test/image1", "test.io/test/image2", "test.io/*"], 2, 1, False),
    ("familiar name, docker-disambiguated fqdn in the allowlist - not a match", False,
     "ubuntu", ["docker.io/library/ubuntu"], 1, 0, True),
    ("familiar name, docker-disambiguated wildcard in the allowlist - not a match", False,
     "ubuntu", ["docker.io/library/*"], 0, 1, True),
    ("familiar name matching a familiar allowlist entry", False, "ubuntu", ["ubuntu"], 1, 0,
     False),
    ("familiar name with a tag", False, "ubuntu:tagged", ["ubuntu"], 1, 0, False),
    ("familiar name with a digest", False, "ubuntu@" + D38, ["ubuntu"], 1, 0, False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("records", "image", "allowlist", "absolutes", "wildcards", "want"),
    [case[1:] for case in ALLOWLIST_CASES],
    ids=[case[0] for case in ALLOWLIST_CASES],
)
def test_never_verify_allowlisted(records, image, allowlist, absolutes, wildcards, want) -> None:
    parsed = parse_allowlist(allowlist)
    assert (len(parsed.absolute), len(parsed.prefixes)) == (absolutes, wildcards)
    assert validate_allowlist(allowlist) is None
    assert requires_verification("NeverVerifyAllowlistedImages", image, records, parsed) is want
    assert requires_verification("NeverVerifyAllowlistedImages", image, records, allowlist) is want


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        (
            "image.repo/pokus*/imagename",
            "not a valid wildcard pattern, only patterns ending with '/*' are allowed: "
            "image.repo/pokus*/imagename",
        ),
        (
            "image.repo/pokus*",
            "not a valid wildcard pattern, only patterns ending with '/*' are allowed: "
            "image.repo/pokus*",
        ),
        (
            "image.repo/*/imagename",
            "not a valid wildcard pattern, only patterns ending with '/*' are allowed: "
            "image.repo/*/imagename",
        ),
        ("/*", "at least registry hostname is required"),
        ("image.repo/", "failed to parse as an image name: invalid reference format"),
        ("", "the supplied pattern is too short: "),
        (
            "*",
            "not a valid wildcard pattern, only patterns ending with '/*' are allowed: *",
        ),
        (
            "test.io/test/image1:tagged",
            "neither tag nor digest is accepted in an image reference: test.io/test/image1:tagged",
        ),
        (
            "test.io/test/image1@" + D38,
            "neither tag nor digest is accepted in an image reference: test.io/test/image1@" + D38,
        ),
        ("test.io/test/image1 ", "leading/trailing spaces are not allowed: test.io/test/image1 "),
        (" test.io/test/image1", "leading/trailing spaces are not allowed:  test.io/test/image1"),
    ],
)
def test_invalid_allowlist_patterns(pattern: str, message: str) -> None:
    assert validate_allowlist(["ok.io/fine", pattern]) == message
    with pytest.raises(ValueError, match="^" + message.replace("*", r"\*") + "$"):
        parse_allowlist([pattern])


def test_allowlist_prefix_keeps_segment_boundary() -> None:
    allow = parse_allowlist(["quay.io/org/*"])
    assert allow.prefixes == ("quay.io/org/",)
    assert allow.matches("quay.io/org/team/app:1")
    assert not allow.matches("quay.io/organisation/app")
    assert not allow.matches("NOT VALID")


# --- TestTrimImageTagDigest ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("image", "want"),
    [
        ("myimage", "myimage"),
        ("myimage:latest", "myimage"),
        ("myimage@" + D38, "myimage"),
        ("myimage:v1@" + D38, "myimage"),
        ("registry.io/myimage", "registry.io/myimage"),
        ("registry.io/myimage:v1.0", "registry.io/myimage"),
        ("registry.io/myimage@" + D38, "registry.io/myimage"),
        ("registry.io/myimage:latest@" + D38, "registry.io/myimage"),
        ("registry.io/myorg/myimage", "registry.io/myorg/myimage"),
        ("registry.io/myorg/myimage:v2", "registry.io/myorg/myimage"),
        ("registry.io/myorg/myimage@" + D38, "registry.io/myorg/myimage"),
        ("registry.io/myorg/myimage:v2@" + D38, "registry.io/myorg/myimage"),
        ("registry.io/a/b/c/myimage:latest", "registry.io/a/b/c/myimage"),
        ("localhost:5000/myimage:v1", "localhost:5000/myimage"),
        ("myregistry:5000/myorg/myimage:v1", "myregistry:5000/myorg/myimage"),
        ("docker.io/taghere/image:taghere", "docker.io/taghere/image"),
        (
            "registry.io/" + D38[7:] + "/myorg/image@" + D38,
            "registry.io/" + D38[7:] + "/myorg/image",
        ),
    ],
)
def test_trim_image_tag_digest(image: str, want: str) -> None:
    assert trim_image_tag_digest(image) == want


@pytest.mark.parametrize(
    "image", ["registry.io/myorg/", "registry.io/myorg/:tag", "registry.io/myorg/@" + D38]
)
def test_trim_image_tag_digest_errors(image: str) -> None:
    with pytest.raises(InvalidReference):
        trim_image_tag_digest(image)


# --- TestFileBasedImagePullManager_MustAttemptImagePull --------------------------------------
SECRET = PullSecret("default", "pull-secret", "testsecretuid", "testsecrethash")
BROKEN_HASH = PullSecret("default", "pull-secret", "testsecretuid", "")
# testdata/pulled, keyed by imageRef
RECORDS = {
    "testimageref": PulledRecord(
        "testimageref", {"docker.io/testing/test": CredentialMapping((SECRET,))}
    ),
    "testemptycredmapping": PulledRecord("testemptycredmapping", {}),
    "testimage-anonpull": PulledRecord(
        "testimage-anonpull",
        {"docker.io/testing/test": CredentialMapping(node_pods_accessible=True)},
    ),
    "test-brokenhash": PulledRecord(
        "test-brokenhash",
        {"docker.io/testing/test": CredentialMapping((BROKEN_HASH,))},
    ),
}  # fmt: skip
TEST = "docker.io/testing/test:latest"
PRELOADED = "NeverVerifyPreloadedImages"


def _secret(uid: str, ns: str, name: str, h: str) -> tuple[str, str, str, str]:
    return (uid, ns, name, h)


# (name, policy, pod secrets, image, imageRef, has pull intent, want)
MUST_ATTEMPT_CASES = [
    ("image exists and is recorded with pod's exact secret", PRELOADED,
     [_secret("testsecretuid", "default", "pull-secret", "testsecrethash")], TEST,
     "testimageref", False, False),
    ("image exists and is recorded, no pod secrets", PRELOADED, [], TEST, "testimageref",
     False, True),
    ("image exists and is recorded with the same secret but different credential hash",
     PRELOADED, [_secret("testsecretuid", "default", "pull-secret", "differenthash")], TEST,
     "testimageref", False, False),
    ("image exists and is recorded with a different secret with a different UID", PRELOADED,
     [_secret("different uid", "default", "pull-secret", "differenthash")], TEST,
     "testimageref", False, True),
    ("image exists and is recorded with a different secret", PRELOADED,
     [_secret("testsecretuid", "differentns", "pull-secret", "differenthash")], TEST,
     "testimageref", False, True),
    ("image exists and is recorded with a different secret with the same credential hash",
     PRELOADED, [_secret("testsecretuid", "differentns", "pull-secret", "testsecrethash")],
     TEST, "testimageref", False, False),
    ("image exists but the pull is recorded with a different image name but with the exact "
     "same secret", PRELOADED,
     [_secret("testsecretuid", "default", "pull-secret", "testsecrethash")],
     "docker.io/testing/different:latest", "testimageref", False, True),
    ("image exists and is recorded with empty credential mapping", PRELOADED, [], TEST,
     "testemptycredmapping", False, True),
    ("image does not exist and there are no records of it", PRELOADED, [], TEST, "", False,
     True),
    ("image exists and there are no records of it with NeverVerifyPreloadedImages pull policy",
     PRELOADED, [], TEST, "testexistingref", False, False),
    ("image exists and there are no records of it with AlwaysVerify pull policy",
     "AlwaysVerify", [], TEST, "testexistingref", False, True),
    ("image exists but is only recorded via pulling intent", PRELOADED,
     [_secret("testsecretuid", "default", "pull-secret", "testsecrethash")], TEST,
     "testexistingref", True, True),
    ("image exists but is only recorded via pulling intent - NeverVerify policy",
     "NeverVerify", [_secret("testsecretuid", "default", "pull-secret", "testsecrethash")],
     TEST, "testexistingref", True, False),
    ("image exists and is recorded as node-accessible, no pod secrets", PRELOADED, [], TEST,
     "testimage-anonpull", False, False),
    ("image exists and is recorded as node-accessible, request with pod secrets", PRELOADED,
     [_secret("testsecretuid", "default", "pull-secret", "testsecrethash")], TEST,
     "testimage-anonpull", False, False),
    ("recorded with empty hash as its hashing originally failed, the same fail for a "
     "different pod secret", PRELOADED,
     [_secret("testsecretuid", "differentns", "pull-secret", "")], TEST, "test-brokenhash",
     False, True),
    ("recorded with empty hash as its hashing originally failed, the same fail for the same "
     "pod secret", PRELOADED, [_secret("testsecretuid", "default", "pull-secret", "")], TEST,
     "test-brokenhash", False, False),
]  # fmt: skip


@pytest.mark.parametrize(
    ("policy", "secrets", "image", "image_ref", "intent", "want"),
    [case[1:] for case in MUST_ATTEMPT_CASES],
    ids=[case[0] for case in MUST_ATTEMPT_CASES],
)
def test_must_attempt_image_pull(policy, secrets, image, image_ref, intent, want) -> None:
    record = RECORDS.get(image_ref)
    got = must_attempt_pull(policy, image, image_ref, record, secrets, has_intent=intent)
    assert got is want


def test_match_refreshes_the_record() -> None:
    record = RECORDS["testimageref"]
    # same hash, other coordinates: no pull, and the pod's secret is written back
    other = PullSecret("differentns", "pull-secret", "testsecretuid", "testsecrethash")
    check = check_image_pull(PRELOADED, TEST, "testimageref", record, [other])
    assert (check.must_pull, check.why, check.refresh) == (False, "secret_hash_match", other)
    updated = record_pull(record, TEST, check.refresh, now=5.0)
    assert updated.credential_mapping["docker.io/testing/test"].kubernetes_secrets == (
        SECRET,
        other,
    )
    # same coordinates, new hash: the record takes the new hash
    rotated = PullSecret("default", "pull-secret", "testsecretuid", "rotated")
    check = check_image_pull(PRELOADED, TEST, "testimageref", record, [rotated])
    assert (check.why, check.refresh) == ("secret_coordinates_match", rotated)
    updated = record_pull(record, TEST, check.refresh)
    assert updated.credential_mapping["docker.io/testing/test"].kubernetes_secrets == (rotated,)
    # exact match: nothing to refresh
    assert check_image_pull(PRELOADED, TEST, "testimageref", record, [SECRET]).refresh is None


def test_coordinates_match_needs_room_to_write_back() -> None:
    # Upstream accepts a coordinates-only match only below writeRecordWhileMatchingLimit.
    many = tuple(PullSecret("ns", f"s{i:03d}", f"u{i}", f"h{i}") for i in range(100))
    record = PulledRecord("ref", {"img": CredentialMapping(many)})
    rotated = PullSecret("ns", "s000", "u0", "new-hash")
    assert must_attempt_pull("AlwaysVerify", "img", "ref", record, [rotated])
    assert not must_attempt_pull("AlwaysVerify", "img", "ref", record, [many[5]])
    record99 = PulledRecord("ref", {"img": CredentialMapping(many[:99])})
    assert not must_attempt_pull("AlwaysVerify", "img", "ref", record99, [rotated])


def test_service_account_match() -> None:
    sa = PullServiceAccount("test-ns", "test-service-account", "sa-uid-123")
    record = record_pull(None, "present_image", sa, image_ref="ref")
    assert record.credential_mapping["present_image"].kubernetes_service_accounts == (sa,)
    assert not must_attempt_pull(PRELOADED, "present_image", "ref", record, [], sa)
    other = PullServiceAccount("test-ns", "test-service-account", "sa-uid-456")
    check = check_image_pull(PRELOADED, "present_image", "ref", record, [], other)
    assert (check.must_pull, check.why) == (True, "no_match")
    # a secret that does not match and a service account that does not either: pull
    assert must_attempt_pull(
        PRELOADED,
        "present_image",
        "ref",
        record,
        [("secret-uid", "testns", "testname", "h")],
        other,
    )


def test_familiar_names_are_their_own_keys() -> None:
    record = record_pull(None, "ubuntu:22.04", None, image_ref="ref")
    assert list(record.credential_mapping) == ["ubuntu"]
    assert not must_attempt_pull("AlwaysVerify", "ubuntu:24.04", "ref", record)
    check = check_image_pull("AlwaysVerify", "docker.io/library/ubuntu", "ref", record)
    assert (check.must_pull, check.why) == (True, "no_mapping")


def test_allowlist_policy_exempts_even_kubelet_pulled_images() -> None:
    record = PulledRecord("ref", {"quay.io/org/app": CredentialMapping((SECRET,))})
    allow = ["quay.io/org/*"]
    policy = "NeverVerifyAllowlistedImages"
    assert check_image_pull(policy, "quay.io/org/app:1", "ref", record, [], None, allow).why == (
        "policy_exempt"
    )
    assert must_attempt_pull(policy, "quay.io/other/app:1", "ref", None, [], None, allow)


# --- Test_pulledRecordMergeNewCreds ---------------------------------------------------------
def _base_record() -> PulledRecord:
    s1 = PullSecret("namespace1", "name1", "uid1", "hash1")
    s2 = PullSecret("namespace2", "name2", "uid2", "hash2")
    return PulledRecord(
        "testImageRef",
        {
            "test-image1": CredentialMapping((s1,)),
            "test-image2": CredentialMapping((s1, s2)),
            "test-nodewide": CredentialMapping(node_pods_accessible=True),
        },
        last_updated=100.0,
    )


S1 = PullSecret("namespace1", "name1", "uid1", "hash1")
S2 = PullSecret("namespace2", "name2", "uid2", "hash2")
MERGE_CASES = [
    ("create a new image record", "new-image",
     CredentialMapping((PullSecret("newnamespace", "newname", "newuid", "newhash"),)),
     CredentialMapping((PullSecret("newnamespace", "newname", "newuid", "newhash"),))),
    ("merge with an existing image secret", "test-image1",
     CredentialMapping((PullSecret("newnamespace", "newname", "newuid", "newhash"),)),
     CredentialMapping((S1, PullSecret("newnamespace", "newname", "newuid", "newhash")))),
    ("merge with existing image record secrets", "test-image2",
     CredentialMapping((PullSecret("namespace1", "newname", "newuid", "newhash"),)),
     CredentialMapping((S1, PullSecret("namespace1", "newname", "newuid", "newhash"), S2))),
    ("node-accessible overrides all secrets", "test-image2",
     CredentialMapping(node_pods_accessible=True), CredentialMapping(node_pods_accessible=True)),
    ("new creds have the same secret coordinates but a different hash", "test-image2",
     CredentialMapping((PullSecret("namespace2", "name2", "uid2", "newhash"),)),
     CredentialMapping((S1, PullSecret("namespace2", "name2", "uid2", "newhash")))),
    ("new creds have the same hash but a different coordinates", "test-image2",
     CredentialMapping((PullSecret("namespace2", "name3", "uid3", "hash2"),)),
     CredentialMapping((S1, S2, PullSecret("namespace2", "name3", "uid3", "hash2")))),
]  # fmt: skip


@pytest.mark.parametrize(
    ("image", "creds", "expected"),
    [case[1:] for case in MERGE_CASES],
    ids=[case[0] for case in MERGE_CASES],
)
def test_pulled_record_merge_new_creds(image, creds, expected) -> None:
    base = _base_record()
    got, changed = merge_credentials(base, image, creds, now=200.0)
    assert changed
    assert got.last_updated == 200.0
    want = dict(base.credential_mapping)
    want[image] = expected
    assert dict(got.credential_mapping) == want
    assert base == _base_record()  # the input record is not modified


def test_merge_no_change() -> None:
    base = _base_record()
    for image, creds in [
        ("test-image1", None),
        ("test-image1", CredentialMapping()),
        ("test-image1", CredentialMapping((S1,))),
        ("test-nodewide", CredentialMapping((S1,))),
    ]:
        got, changed = merge_credentials(base, image, creds, now=200.0)
        assert (got, changed) == (base, False)


def test_merge_service_accounts() -> None:
    a = PullServiceAccount("ns", "b", "u2")
    b = PullServiceAccount("ns", "a", "u1")
    rec = record_pull(None, "img", a, image_ref="ref")
    rec = record_pull(rec, "img", b)
    assert rec.credential_mapping["img"].kubernetes_service_accounts == (b, a)
    assert record_pull(rec, "img", a) is rec


# --- TestFileBasedImagePullManager_RecordImagePulled (resulting records) ------------------
def test_record_image_pulled_new_record_node_accessible() -> None:
    rec = record_pull(None, "repo.repo/test/test:v1", None, image_ref="testimageref", now=1.0)
    assert rec == PulledRecord(
        "testimageref",
        {"repo.repo/test/test": CredentialMapping(node_pods_accessible=True)},
        last_updated=1.0,
    )


def test_record_image_pulled_merge_into_existing_record() -> None:
    rec = record_pull(RECORDS["testimageref"], "repo.repo/test/test:v1", None, now=1.0)
    assert dict(rec.credential_mapping) == {
        "repo.repo/test/test": CredentialMapping(node_pods_accessible=True),
        "docker.io/testing/test": CredentialMapping((SECRET,)),
    }


def test_record_image_pulled_existing_key() -> None:
    new = PullSecret("newns", "newname", "newuid", "somehash")
    rec = record_pull(RECORDS["testimageref"], "docker.io/testing/test:something", new, now=1.0)
    assert rec.credential_mapping["docker.io/testing/test"].kubernetes_secrets == (SECRET, new)
    # "existing record stays unchanged"
    same = record_pull(RECORDS["testimageref"], "docker.io/testing/test:something", SECRET)
    assert same is RECORDS["testimageref"]


def test_record_pull_requires_image_ref_for_a_new_record() -> None:
    with pytest.raises(ValueError, match="image_ref"):
        record_pull(None, "img", None)


# --- the KEP's motivating scenario, through simkit.rules.pull_decision ----------------------
def test_pod_b_cannot_reuse_pod_a_private_image() -> None:
    image, ref = "quay.io/private/app:1", "sha256:" + "ab" * 32
    secret_a = PullSecret("team-a", "quay-pull", "uid-a", "hash-a")

    # Pod A: image absent, pulls with its secret; the kubelet records the credential.
    first = decide(image, "IfNotPresent", None, gate_enabled=True, pod_uid="a")
    assert first.action == "pull" and first.records_pull_intent
    record = record_pull(None, image, secret_a, image_ref=ref)

    def present(pod_uid: str, policy: str, secrets=(), record=record):
        must = must_attempt_pull(PRELOADED, image, ref, record, secrets)
        return decide(
            image, policy, ref, gate_enabled=True, must_attempt_pull=must, pod_uid=pod_uid
        )

    # Pod B, no secret: IfNotPresent must pull, and the registry refuses an anonymous pull.
    b = present("b", "IfNotPresent")
    assert b.action == "pull"
    out = pull_outcome(image, "unauthorized: authentication required")
    assert (out.reason, out.message) == ("ErrImagePull", "unauthorized: authentication required")
    # Pod B under Never: presence is hidden.
    never = present("b", "Never")
    assert (never.reason, never.message) == (
        "ErrImageNeverPull",
        'Container image "quay.io/private/app:1" is not present with pull policy of Never',
    )
    # Pod C: another secret with the same credentials (same hash) may use it.
    c = present("c", "IfNotPresent", [("uid-c", "team-c", "copy", "hash-a")])
    assert c.action == "use_present"
    assert c.message.endswith("already present on machine and can be accessed by the pod")
    # With the gate off, pod B would have used it (the pre-KEP hole).
    assert decide(image, "IfNotPresent", ref, pod_uid="b").action == "use_present"
    # Once anybody pulls it anonymously, every pod on the node may use it.
    public = record_pull(record, image, None)
    assert present("b", "IfNotPresent", record=public).action == "use_present"
    # A preloaded image (no record, no intent) is exempt under the default policy.
    assert present("b", "IfNotPresent", record=None).action == "use_present"
