"""Tests for simkit.rules.pull_decision and simkit.rules.pull_throttle.

Restated from upstream, case by case:

* ``pkg/kubelet/images/image_manager_test.go``: ``noFGPullerTestCases`` and
  ``ensureSecretImagesTestCases`` (run by TestParallelPuller, TestSerializedPuller and
  TestImagePullPrecheck: back-off 1s/1min, fake clock +1s before every call, expected
  runtime calls, error, events, message and the ensure-image metric labels),
  TestApplyDefaultImageTag, TestEvalCRIPullErr and the "excessive qps" case.
* client-go ``util/flowcontrol/throttle_test.go`` (token bucket).
* ``pkg/kubelet/apis/config/validation/validation_test.go`` and v1beta1 defaults
  (``serializeImagePulls`` / ``maxParallelImagePulls`` / registry QPS and burst).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field, replace

import pytest

from simkit.rules.backoff import Backoff
from simkit.rules.pull_decision import (
    PULL_QPS_EXCEEDED,
    Decision,
    Event,
    classify_pull_error,
    decide,
    evaluate_pull_error,
    pull_outcome,
    quick_action,
    simulate_pulls,
)
from simkit.rules.pull_throttle import (
    PullQPS,
    default_serialize,
    parallel_pull_limit,
    validate_puller_config,
)

E3 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
PRESENT_REF = "present_image:latest"  # FakeRuntime.ImageList = [{ID: "present_image:latest"}]

GR, PI, GIS = "GetImageRef", "PullImage", "GetImageSize"


# --- image_manager_test.go: pullerTestCases -----------------------------------------------


@dataclass(frozen=True)
class Expect:
    """One ``pullerExpects``: runtime calls, error, events, message substring."""

    calls: tuple[str, ...]
    err: str | None
    events: tuple[str, ...]
    msg: str = ""


@dataclass(frozen=True)
class Case:
    name: str
    image: str
    policy: str
    expected: list[Expect]
    metric: tuple[str, str, str]
    puller_error: str | None = None
    inspect_error: str | None = None
    qps: float = 0.0
    burst: int = 0
    # gate-on cases: the mock pull manager's answer (True = must pull)
    must_attempt_pull: bool | None = None
    gate: bool = False
    extra: dict = field(default_factory=dict)


PULLED = Expect((GR, PI, GIS), None, ("Pulling", "Pulled"))
ALWAYS_PULLED = Expect((PI, GIS), None, ("Pulling", "Pulled"))
PRESENT = Expect((GR,), None, ("Pulled",))
NEVER = Expect((GR,), "ErrImageNeverPull", ("ErrImageNeverPull",))
INVALID = Expect((), "InvalidImageName", ("InspectFailed",))
FAILED_404 = Expect((GR, PI), "ErrImagePull", ("Pulling", "Failed"))
BACKOFF = Expect((GR,), "ImagePullBackOff", ("BackOff",))
SVF_MSG = "image pull failed for typo_image because the signature validation failed"
SVF = Expect((GR, PI), "SignatureValidationFailed", ("Pulling", "Failed"), SVF_MSG)
SVF_BACKOFF = Expect(
    (GR,),
    "ImagePullBackOff",
    ("BackOff",),
    'Back-off pulling image "typo_image": SignatureValidationFailed: ' + SVF_MSG,
)

NO_FG_CASES = [
    Case("image missing, pull", "missing_image", "IfNotPresent", [PULLED],
         ("ifnotpresent", "false", "true")),
    Case("image present, allow all, don't pull ", "present_image", "IfNotPresent",
         [PRESENT] * 3, ("ifnotpresent", "true", "false")),
    Case("image present, pull", "present_image", "Always", [ALWAYS_PULLED] * 3,
         ("always", "unknown", "true")),
    Case("image missing, never pull", "missing_image", "Never", [NEVER] * 3,
         ("never", "false", "unknown")),
    Case("image missing, pull if not present, fail on image inspect", "missing_image",
         "IfNotPresent", [Expect((GR,), "ImageInspectError", ("InspectFailed",))] * 3,
         ("ifnotpresent", "unknown", "unknown"), inspect_error="unknown inspectError"),
    Case("image missing, unable to fetch", "typo_image", "IfNotPresent",
         [FAILED_404, FAILED_404, BACKOFF, FAILED_404, BACKOFF, BACKOFF],
         ("ifnotpresent", "false", "true"), puller_error="404"),
    Case("image present and qps>0, pull", "present_image", "Always", [ALWAYS_PULLED] * 3,
         ("always", "unknown", "true"), qps=400.0, burst=600),
    Case("image present and excessive qps rate, pull", "present_image", "Always",
         [Expect((), "ErrImagePull", ("Pulling", "Failed")),
          Expect((), "ErrImagePull", ("Pulling", "Failed")),
          Expect((), "ImagePullBackOff", ("BackOff",))],
         ("always", "unknown", "true"), qps=2000.0, burst=0),
    Case("invalid image name, no pull", "FAILED_IMAGE", "Always", [INVALID],
         ("always", "unknown", "unknown")),
    Case("invalid image name with http, no pull", "http://url", "Always", [INVALID],
         ("always", "unknown", "unknown")),
    Case("invalid image name with sha256, no pull",
         "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "Always",
         [INVALID], ("always", "unknown", "unknown")),
    Case("image missing, SignatureValidationFailed", "typo_image", "IfNotPresent",
         [SVF, SVF, SVF_BACKOFF, SVF, SVF_BACKOFF], ("ifnotpresent", "false", "true"),
         puller_error="SignatureValidationFailed"),
]  # fmt: skip

FG = "[KubeletEnsureSecretPulledImages] "
ENSURE_SECRET_CASES = [
    # allowed secrets are for "another_image" only
    Case(FG + "image present, unknown to image pull manager, pull", "present_image",
         "IfNotPresent", [PULLED] * 3, ("ifnotpresent", "true", "true"),
         gate=True, must_attempt_pull=True),
    # the pod's secret has another UID than the allowed one
    Case(FG + "image present, unknown secret to image pull manager, pull", "present_image",
         "IfNotPresent", [PULLED] * 3, ("ifnotpresent", "true", "true"),
         gate=True, must_attempt_pull=True),
    Case(FG + "image present, unknown secret to image pull manager, never pull policy -> fail",
         "present_image", "Never", [NEVER] * 3, ("never", "true", "true"),
         gate=True, must_attempt_pull=True),
    Case(FG + "image present, a secret matches one of known to the image pull manager, "
         "don't pull", "present_image", "IfNotPresent", [PRESENT] * 3,
         ("ifnotpresent", "true", "false"), gate=True, must_attempt_pull=False),
    Case(FG + "image present, service account credentials available, don't pull",
         "present_image", "IfNotPresent", [PRESENT], ("ifnotpresent", "true", "false"),
         gate=True, must_attempt_pull=False),
    Case(FG + "image present, service account allowed by pull manager, don't pull",
         "present_image", "IfNotPresent", [PRESENT], ("ifnotpresent", "true", "false"),
         gate=True, must_attempt_pull=False),
    Case(FG + "image present, mixed credentials (secrets + service accounts), pull required",
         "present_image", "IfNotPresent", [PULLED], ("ifnotpresent", "true", "true"),
         gate=True, must_attempt_pull=True),
    Case(FG + "image present, only node credentials (no source), proceed without tracking",
         "present_image", "IfNotPresent", [PRESENT], ("ifnotpresent", "true", "false"),
         gate=True, must_attempt_pull=False),
] + [
    # every no-gate case again with the gate on and a pull manager that allows all
    Case(FG + c.name, c.image, c.policy, c.expected, c.metric, c.puller_error,
         c.inspect_error, c.qps, c.burst, must_attempt_pull=False, gate=True)
    for c in NO_FG_CASES
]  # fmt: skip

ALL_CASES = NO_FG_CASES + ENSURE_SECRET_CASES


def _run(case: Case):
    present = PRESENT_REF if case.image == "present_image" else None
    return simulate_pulls(
        case.image,
        case.policy,
        calls=len(case.expected),
        present_ref=present,
        puller_error=case.puller_error,
        backoff=Backoff(1.0, 60.0),
        pod_uid="bar",
        gate_enabled=case.gate,
        must_attempt_pull=case.must_attempt_pull,
        qps=case.qps,
        burst=case.burst,
        inspect_error=case.inspect_error,
    )


@pytest.mark.parametrize("case", ALL_CASES, ids=[c.name for c in ALL_CASES])
def test_puller_cases(case: Case) -> None:
    steps = _run(case)
    for tick, (step, want) in enumerate(zip(steps, case.expected, strict=True)):
        assert step.runtime_calls == want.calls, tick
        assert step.reason == want.err, tick
        assert tuple(e.reason for e in step.events) == want.events, tick
        assert want.msg in step.message, tick
        assert step.decision.metric_labels == case.metric, tick


def test_backoff_sequence_timing() -> None:
    # The 404 case in detail: windows 1s, 2s, 4s; lastUpdate at t=1, 2, 4.
    b = Backoff(1.0, 60.0)
    steps = simulate_pulls("typo_image", "IfNotPresent", puller_error="404", calls=6, backoff=b)
    assert [s.now for s in steps] == [1, 2, 3, 4, 5, 6]
    assert [s.decision.action for s in steps] == [
        "pull", "pull", "backoff", "pull", "backoff", "backoff",
    ]  # fmt: skip
    assert b.get("bar_typo_image") == 4.0
    assert b.last_update("bar_typo_image") == 4.0
    assert steps[2].message == 'Back-off pulling image "typo_image": ErrImagePull: 404'
    assert steps[0].events[1].message == 'Failed to pull image "typo_image": 404'


def test_success_after_failure_clears_stored_error_and_makes_image_present() -> None:
    steps = simulate_pulls(
        "typo_image", "IfNotPresent", puller_error=["404", None], calls=5, pulled_ref="ref"
    )
    assert [s.reason for s in steps] == [
        "ErrImagePull", None, None, None, None,
    ]  # fmt: skip
    assert [s.decision.action for s in steps] == [
        "pull", "pull", "use_present", "use_present", "use_present",
    ]  # fmt: skip
    assert steps[2].decision.image_ref == "ref"


def test_qps_exceeded_is_an_err_image_pull() -> None:
    steps = simulate_pulls("present_image", "Always", calls=1, qps=2000.0, burst=0)
    assert steps[0].message == PULL_QPS_EXCEEDED
    assert steps[0].events[1].message == 'Failed to pull image "present_image": pull QPS exceeded'


def test_records_pull_intent_only_with_gate_on_the_pull_path() -> None:
    assert decide("x:1", "Always", None, gate_enabled=True).records_pull_intent
    assert decide("x:1", "Always", None, gate_enabled=True, in_backoff=True).records_pull_intent
    assert not decide("x:1", "Always", None).records_pull_intent
    assert not decide("x:1", "Never", None, gate_enabled=True).records_pull_intent


def test_gate_on_present_requires_pull_manager_answer() -> None:
    with pytest.raises(ValueError, match="must_attempt_pull"):
        decide("x:1", "IfNotPresent", "ref", gate_enabled=True)
    with pytest.raises(ValueError, match="unknown image pull policy"):
        decide("x:1", "Sometimes", None)


@pytest.mark.parametrize(
    "args, kwargs",
    [
        (("FAILED_IMAGE", "Always", None), {}),
        (("nginx", "IfNotPresent", None), {"inspect_error": "boom"}),
        (("nginx", "Never", None), {}),
        (("nginx", "Never", "sha256:abc"), {"gate_enabled": True, "must_attempt_pull": True}),
        (("nginx", "IfNotPresent", "sha256:abc"), {}),
        (
            ("nginx", "IfNotPresent", "sha256:abc"),
            {"gate_enabled": True, "must_attempt_pull": False},
        ),
        (("nginx", "Always", None), {"in_backoff": True, "last_error": "ErrImagePull: 404"}),
        (("nginx", "IfNotPresent", None), {"gate_enabled": True, "pod_uid": "u"}),
    ],
)
def test_decisions_are_what_the_constructors_build(args, kwargs) -> None:
    """decide() fills Decision and Event without their __init__: same values, still frozen."""
    decision = decide(*args, **kwargs)
    rebuilt = Decision(**{f.name: getattr(decision, f.name) for f in dataclasses.fields(Decision)})
    events = tuple(Event(e.type, e.reason, e.message) for e in decision.events)
    assert decision == replace(rebuilt, events=events)
    assert hash(decision) == hash(rebuilt)
    assert repr(decision) == repr(rebuilt)
    with pytest.raises(dataclasses.FrozenInstanceError):
        decision.action = "pull"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        decision.events[0].message = ""  # type: ignore[misc]


def test_messages_word_for_word() -> None:
    assert decide("nginx", "IfNotPresent", "r").events[0].message == (
        'Container image "nginx" already present on machine'
    )
    d = decide("nginx", "IfNotPresent", "r", gate_enabled=True, must_attempt_pull=False)
    assert d.message == (
        'Container image "nginx" already present on machine and can be accessed by the pod'
    )
    # present but not accessible under Never: same wording as absent (presence hidden)
    d = decide("nginx", "Never", "r", gate_enabled=True, must_attempt_pull=True)
    assert (d.action, d.reason) == ("never_pull", "ErrImageNeverPull")
    assert d.message == 'Container image "nginx" is not present with pull policy of Never'
    assert decide("nginx", "Always", None).events[0].message == 'Pulling image "nginx"'
    assert decide("nginx", "Always", None, in_backoff=True).message == (
        'Back-off pulling image "nginx"'
    )
    d = decide("FAILED_IMAGE", "Always", None)
    assert d.message.startswith('Failed to apply default image tag "FAILED_IMAGE": ')
    assert decide("x", "IfNotPresent", None, inspect_error="boom").message == (
        'Failed to inspect image "": boom'
    )
    assert [e.type for e in decide("FAILED_IMAGE", "Always", None).events] == ["Warning"]


# --- TestApplyDefaultImageTag: the image the runtime is asked for ---------------------------
@pytest.mark.parametrize(
    ("image", "spec_image"),
    [
        ("root", "root:latest"),
        ("root:tag", "root:tag"),
        ("root@" + E3, "root@" + E3),
        ("root:latest@" + E3, "root:latest@" + E3),
        ("root:latest", "root:latest"),
    ],
)
def test_apply_default_image_tag(image: str, spec_image: str) -> None:
    assert decide(image, "Always", None).spec_image == spec_image


# --- TestEvalCRIPullErr ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("error", "reason", "message"),
    [
        ("test", "ErrImagePull", "test"),
        (
            "RegistryUnavailable",
            "RegistryUnavailable",
            "image pull failed for test because the registry is unavailable",
        ),
        (
            "RegistryUnavailable: foo",
            "RegistryUnavailable",
            "image pull failed for test because the registry is unavailable: foo",
        ),
        (
            "SignatureValidationFailed",
            "SignatureValidationFailed",
            "image pull failed for test because the signature validation failed",
        ),
        (
            "SignatureValidationFailed: bar",
            "SignatureValidationFailed",
            "image pull failed for test because the signature validation failed: bar",
        ),
    ],
)
def test_eval_cri_pull_err(error: str, reason: str, message: str) -> None:
    assert evaluate_pull_error("test", error) == (reason, message)
    assert classify_pull_error(error) == reason
    out = pull_outcome("test", error)
    assert (out.reason, out.message, out.stored_error) == (reason, message, f"{reason}: {message}")


def test_success_message_durations() -> None:
    msg = pull_outcome("i", None, pull_seconds=3725.5, total_seconds=0.0004).events[0].message
    assert (
        msg
        == 'Successfully pulled image "i" in 1h2m5.5s (0s including waiting). Image size: 0 bytes.'
    )
    msg = pull_outcome("i", None, pull_seconds=61.0, total_seconds=0.25).events[0].message
    assert "in 1m1s (250ms including waiting)" in msg


# --- client-go throttle_test.go, with an explicit clock ------------------------------------
def test_basic_throttle() -> None:
    r = PullQPS(1, 3)
    assert [r.try_accept(0.0) for _ in range(3)] == [True, True, True]
    assert not r.try_accept(0.0)


def test_increment_throttle() -> None:
    r = PullQPS(1, 1)
    assert r.try_accept(0.0)
    assert not r.try_accept(0.0)
    assert r.try_accept(2.0)  # refilled after 2s


def test_throttle_rate() -> None:
    # TestThrottle(10 qps, burst 5): 5 tokens at once, the remaining 11 need >= 1s.
    r = PullQPS(10, 5)
    now, accepted, times = 0.0, 0, []
    while accepted < 16:
        if r.try_accept(now):
            accepted += 1
            times.append(now)
        else:
            now = round(now + 0.01, 10)
    assert times[:5] == [0.0] * 5
    assert times[-1] >= 1.0
    assert times[5] == pytest.approx(0.1)


def test_token_bucket_never_exceeds_burst_and_zero_qps_is_unlimited() -> None:
    r = PullQPS(5, 10)
    assert sum(r.try_accept(0.0) for _ in range(20)) == 10
    assert sum(r.try_accept(1000.0) for _ in range(20)) == 10
    unlimited = PullQPS(0, 0)
    assert unlimited.unlimited and all(unlimited.try_accept(0.0) for _ in range(100))
    assert not PullQPS(2000.0, 0).try_accept(0.0)


def test_kubelet_defaults() -> None:
    r = PullQPS()
    assert (r.qps, r.burst) == (5, 10)


# --- kubelet config defaults and validation ------------------------------------------------
@pytest.mark.parametrize(
    ("max_parallel", "serialize"), [(None, True), (0, True), (1, True), (2, False), (5, False)]
)
def test_default_serialize(max_parallel, serialize) -> None:
    assert default_serialize(max_parallel) is serialize


@pytest.mark.parametrize(
    ("kwargs", "errors"),
    [
        ({"serialize_image_pulls": True, "max_parallel_image_pulls": None}, []),
        ({"serialize_image_pulls": False, "max_parallel_image_pulls": 5}, []),
        ({"serialize_image_pulls": True, "max_parallel_image_pulls": 1}, []),
        (
            {"serialize_image_pulls": True, "max_parallel_image_pulls": 0},
            ["invalid configuration: maxParallelImagePulls 0 must be a positive number"],
        ),
        (
            {"serialize_image_pulls": True, "max_parallel_image_pulls": 3},
            [
                "invalid configuration: maxParallelImagePulls cannot be larger than 1 unless "
                "SerializeImagePulls (--serialize-image-pulls) is set to false"
            ],
        ),
        (
            {
                "serialize_image_pulls": False,
                "max_parallel_image_pulls": None,
                "registry_pull_qps": -1,
            },
            [
                "invalid configuration: registryPullQPS (--registry-qps) -1 must not be a "
                "negative number"
            ],
        ),
        (
            {
                "serialize_image_pulls": False,
                "max_parallel_image_pulls": -1,
                "registry_burst": -2,
            },
            [
                "invalid configuration: registryBurst (--registry-burst) -2 must not be a "
                "negative number",
                "invalid configuration: maxParallelImagePulls -1 must be a positive number",
            ],
        ),
    ],
)
def test_validate_puller_config(kwargs, errors) -> None:
    assert validate_puller_config(**kwargs) == errors


def test_parallel_pull_limit() -> None:
    # TestMaxParallelImagePullsLimit uses maxParallelImagePulls=5 with the parallel puller.
    assert parallel_pull_limit(False, 5) == 5
    assert parallel_pull_limit(True, None) == 1
    assert parallel_pull_limit(False, None) is None


@pytest.mark.parametrize("policy", ["Always", "IfNotPresent", "Never", "Sometimes"])
@pytest.mark.parametrize("present_ref", [None, "", "sha256:abc"])
@pytest.mark.parametrize("gate", [False, True])
@pytest.mark.parametrize("must", [None, False, True])
@pytest.mark.parametrize("in_backoff", [False, True])
def test_quick_action_is_decides_action(policy, present_ref, gate, must, in_backoff) -> None:
    """quick_action answers only where decide's action is use_present or pull, and then
    with that action (the kubelet skips decide on its answer)."""
    quick = quick_action(policy, bool(present_ref), gate, must, in_backoff)
    try:
        action = decide(
            "quay.io/a/b:1",
            policy,
            present_ref,
            gate_enabled=gate,
            must_attempt_pull=must,
            in_backoff=in_backoff,
            last_error="ErrImagePull: 404",
        ).action
    except ValueError:
        assert quick is None
        return
    assert quick == (action if action in ("use_present", "pull") else None)
