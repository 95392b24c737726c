"""The kubelet's ``EnsureImageExists`` as a pure step function.

Upstream: ``pkg/kubelet/images/image_manager.go`` (current layout with
``imagePullPrecheck``, ``MustAttemptImagePull`` and ``evalCRIPullErr``), error names
from ``pkg/kubelet/images/types.go`` and ``k8s.io/cri-api/pkg/errors``, event reasons
from ``pkg/kubelet/events``.

:func:`decide` takes what the kubelet would have looked up (whether the runtime has the
image, what the pull manager says, whether the back-off key is in its window) and
returns a :class:`Decision`: which branch was taken, the container's waiting reason
(``ErrImagePull``, ``ImagePullBackOff``, ...), the message and the events, word for
word. When the decision is to pull, :func:`pull_outcome` turns the runtime's answer into
the reason, message and events that follow. :func:`simulate_pulls` strings both together
with a :class:`~simkit.rules.backoff.Backoff` and a
:class:`~simkit.rules.pull_throttle.PullQPS` over successive calls, the way
``image_manager_test.go`` drives the real image manager with a fake clock.

Order of the checks (``EnsureImageExists``):

1. ``applyDefaultImageTag``; a parse failure is ``InvalidImageName`` (event
   ``InspectFailed``).
2. ``imagePullPrecheck``: ``Always`` does not look at the node at all;
   ``IfNotPresent``/``Never`` ask the runtime (an error is ``ImageInspectError``);
   ``Never`` with the image absent is ``ErrImageNeverPull``.
3. Image present: with the ``KubeletEnsureSecretPulledImages`` gate off it is used
   ("already present on machine"); with the gate on, only if ``MustAttemptImagePull``
   says no pull is needed ("... and can be accessed by the pod").
4. A needed pull under ``Never`` is ``ErrImageNeverPull`` (hiding that the image is
   present).
5. Back-off key ``"<podUID>_<image>"`` in its window: ``ImagePullBackOff`` with the
   previous pull error appended. Otherwise event ``Pulling`` and the pull; a failure
   moves the back-off and becomes ``RegistryUnavailable``,
   ``SignatureValidationFailed`` or ``ErrImagePull`` by message prefix; a success only
   garbage-collects the back-off.

Throughout, ``image`` is the pod's ``containers[].image`` exactly as written (messages,
events and the back-off key use it); the runtime is asked for the defaulted form.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from simkit._go.strconv import go_quote
from simkit.refs import InvalidReference, apply_default_tag
from simkit.rules.backoff import Backoff
from simkit.rules.pull_throttle import (
    DEFAULT_REGISTRY_BURST,
    DEFAULT_REGISTRY_PULL_QPS,
    PULL_QPS_EXCEEDED,
    PullQPS,
    default_serialize,
    parallel_pull_limit,
    validate_puller_config,
)

__all__ = [
    "DEFAULT_REGISTRY_BURST",
    "DEFAULT_REGISTRY_PULL_QPS",
    "ERR_IMAGE_INSPECT",
    "ERR_IMAGE_NEVER_PULL",
    "ERR_IMAGE_PULL",
    "ERR_IMAGE_PULL_BACKOFF",
    "ERR_INVALID_IMAGE_NAME",
    "ERR_REGISTRY_UNAVAILABLE",
    "ERR_SIGNATURE_VALIDATION_FAILED",
    "EVENT_BACKOFF",
    "EVENT_FAILED",
    "EVENT_INSPECT_FAILED",
    "EVENT_NEVER_PULL",
    "EVENT_PULLED",
    "EVENT_PULLING",
    "PULL_QPS_EXCEEDED",
    "Decision",
    "Event",
    "PullOutcome",
    "PullQPS",
    "PullStep",
    "backoff_key",
    "classify_pull_error",
    "decide",
    "default_serialize",
    "evaluate_pull_error",
    "parallel_pull_limit",
    "pull_outcome",
    "quick_action",
    "simulate_pulls",
    "validate_puller_config",
]

# --- types.go and cri-api errors: the container's waiting reason ---------------------------
ERR_IMAGE_PULL_BACKOFF = "ImagePullBackOff"
ERR_IMAGE_INSPECT = "ImageInspectError"
ERR_IMAGE_PULL = "ErrImagePull"
ERR_IMAGE_NEVER_PULL = "ErrImageNeverPull"
ERR_INVALID_IMAGE_NAME = "InvalidImageName"
ERR_REGISTRY_UNAVAILABLE = "RegistryUnavailable"
ERR_SIGNATURE_VALIDATION_FAILED = "SignatureValidationFailed"

# --- pkg/kubelet/events: event reasons -----------------------------------------------------
EVENT_INSPECT_FAILED = "InspectFailed"
EVENT_NEVER_PULL = "ErrImageNeverPull"
EVENT_PULLED = "Pulled"
EVENT_BACKOFF = "BackOff"
EVENT_PULLING = "Pulling"
EVENT_FAILED = "Failed"

_POLICIES = ("Always", "IfNotPresent", "Never")

Action = Literal["invalid", "inspect_error", "never_pull", "use_present", "backoff", "pull"]


@dataclass(frozen=True, slots=True)
class Event:
    """One event the kubelet records on the pod's container.

    Attributes
    ----------
    type : {"Normal", "Warning"}
    reason : str
        ``Pulling``, ``Pulled``, ``Failed``, ``BackOff``, ``InspectFailed`` or
        ``ErrImageNeverPull``.
    message : str
    """

    type: Literal["Normal", "Warning"]
    reason: str
    message: str


@dataclass(frozen=True, slots=True)
class Decision:
    """What ``EnsureImageExists`` does before (or instead of) a pull.

    Attributes
    ----------
    action : str
        ``invalid``, ``inspect_error``, ``never_pull``, ``use_present``, ``backoff``
        or ``pull``.
    image : str
        The requested image (``containers[].image``).
    policy : str
        The pull policy.
    reason : str or None
        The error, i.e. the container's waiting reason; ``None`` for ``use_present``
        and ``pull``.
    message : str
        The message returned with it (``use_present`` returns its event message, as
        upstream does; ``pull`` returns ``""`` until the outcome is known).
    events : tuple of Event
        Events recorded so far (a ``pull`` has recorded ``Pulling``).
    spec_image : str or None
        The image the runtime is asked for (default tag applied); ``None`` if invalid.
    image_ref : str
        The runtime's image reference when the present image is used, else ``""``.
    backoff_key : str
        ``"<podUID>_<image>"``.
    present_locally, pull_required : bool or None
        The ``kubelet_image_manager_ensure_image_requests_total`` labels (``None`` is
        ``unknown``).
    records_pull_intent : bool
        Whether the pull manager writes a pull intent first (gate on and the pull path
        was reached, even if it then backs off).
    """

    action: Action
    image: str
    policy: str
    reason: str | None
    message: str
    events: tuple[Event, ...]
    spec_image: str | None = None
    image_ref: str = ""
    backoff_key: str = ""
    present_locally: bool | None = None
    pull_required: bool | None = None
    records_pull_intent: bool = False

    @property
    def metric_labels(self) -> tuple[str, str, str]:
        """``(pull_policy, present_locally, pull_required)`` as the metric writes them.

        Returns
        -------
        tuple of str
            Policy lower-cased; booleans as ``"true"``/``"false"``, ``None`` as
            ``"unknown"``.

        Examples
        --------
        >>> decide("missing_image", "Never", None).metric_labels
        ('never', 'false', 'unknown')
        """
        return (self.policy.lower(), _label(self.present_locally), _label(self.pull_required))


def _label(value: bool | None) -> str:
    return "unknown" if value is None else str(value).lower()


def _decision(
    action: Action,
    image: str,
    policy: str,
    reason: str | None,
    message: str,
    event: Event,
    spec_image: str | None,
    image_ref: str,
    key: str,
    present: bool | None,
    required: bool | None,
    intent: bool,
) -> Decision:
    """``Decision`` with every field given in order, positionally (one event): cheaper
    than keywords on every kubelet sync."""
    return Decision(
        action,
        image,
        policy,
        reason,
        message,
        (event,),
        spec_image,
        image_ref,
        key,
        present,
        required,
        intent,
    )


def backoff_key(pod_uid: str, image: str) -> str:
    """The image back-off key (``fmt.Sprintf("%s_%s", pod.UID, image)``).

    Parameters
    ----------
    pod_uid : str
        The pod's UID.
    image : str
        The requested image, as written in the pod.

    Returns
    -------
    str

    Examples
    --------
    >>> backoff_key("bar", "typo_image")
    'bar_typo_image'
    """
    return f"{pod_uid}_{image}"


def quick_action(
    policy: str,
    present: bool,
    gate_enabled: bool,
    must_attempt_pull: bool | None,
    in_backoff: bool,
) -> Literal["use_present", "pull"] | None:
    """The action :func:`decide` takes for a valid image, when it is one that needs no text.

    For a caller that only acts on :attr:`Decision.action` in the two usual cases (the
    kubelet on almost every sync): ``use_present`` and ``pull`` carry no message it
    reads, so :func:`decide` need not quote the image and build the decision and its
    event.  The branches are :func:`decide`'s own, in its order; anything else (an
    unknown policy, ``Never`` without a usable image, a back-off) is ``None``: ask
    :func:`decide`, which also raises for what it rejects.

    Parameters
    ----------
    policy : str
        ``imagePullPolicy``.
    present : bool
        Whether the runtime has the image (a non-empty ``present_ref``); ignored under
        ``Always``.
    gate_enabled : bool
        ``KubeletEnsureSecretPulledImages``.
    must_attempt_pull : bool or None
        The pull manager's answer for a present image (``None``: not asked).
    in_backoff : bool
        Whether the back-off key is in its window.

    Returns
    -------
    {"use_present", "pull"} or None
        What :func:`decide` returns as ``action`` for an image :func:`apply_default_tag`
        accepts and no inspect error, or ``None`` when this does not say.

    Examples
    --------
    >>> quick_action("IfNotPresent", True, False, None, False)
    'use_present'
    >>> quick_action("IfNotPresent", False, False, None, False)
    'pull'
    >>> quick_action("Always", True, False, None, True) is None  # back-off: decide
    True
    """
    if policy == "Always":
        present = False  # Always never inspects the node
    elif policy != "IfNotPresent" and policy != "Never":
        return None  # decide raises
    if present:
        if not gate_enabled:
            return "use_present"
        if must_attempt_pull is None:
            return None  # decide raises
        if not must_attempt_pull:
            return "use_present"
    if policy == "Never" or in_backoff:
        return None
    return "pull"


def decide(
    image: str,
    policy: str,
    present_ref: str | None,
    *,
    gate_enabled: bool = False,
    must_attempt_pull: bool | None = None,
    in_backoff: bool = False,
    last_error: str | None = None,
    inspect_error: str | None = None,
    pod_uid: str = "",
) -> Decision:
    """Decide what the kubelet does for one container image (``EnsureImageExists``).

    Parameters
    ----------
    image : str
        ``containers[].image`` as written.
    policy : {"Always", "IfNotPresent", "Never"}
        ``imagePullPolicy`` (already defaulted).
    present_ref : str or None
        The runtime's image reference if the image is on the node (``GetImageRef``),
        else ``None`` or ``""``. Ignored under ``Always``, which never inspects.
    gate_enabled : bool, default False
        ``KubeletEnsureSecretPulledImages``.
    must_attempt_pull : bool or None
        The pull manager's ``MustAttemptImagePull`` answer; required when the gate is
        on and the image is present (see
        :func:`simkit.rules.secret_pulled_images.must_attempt_pull`).
    in_backoff : bool, default False
        ``IsInBackOffSinceUpdate`` for :func:`backoff_key`.
    last_error : str or None
        The previous pull's stored error, ``"<reason>: <message>"``
        (:attr:`PullOutcome.stored_error`), appended to the back-off message.
    inspect_error : str or None
        A ``GetImageRef`` error (only consulted for ``IfNotPresent``/``Never``).
    pod_uid : str, default ""
        For the back-off key.

    Returns
    -------
    Decision

    Raises
    ------
    ValueError
        For an unknown policy, or when the gate is on, the image is present and
        ``must_attempt_pull`` is ``None``.

    Examples
    --------
    >>> d = decide("nginx:1.27", "IfNotPresent", "sha256:abc")
    >>> d.action, d.message
    ('use_present', 'Container image "nginx:1.27" already present on machine')
    >>> decide("nginx:1.27", "IfNotPresent", "sha256:abc", gate_enabled=True,
    ...        must_attempt_pull=False).message
    'Container image "nginx:1.27" already present on machine and can be accessed by the pod'
    >>> d = decide("nginx:1.27", "Never", None)
    >>> d.reason, d.message
    ('ErrImageNeverPull', 'Container image "nginx:1.27" is not present with pull policy of Never')
    >>> decide("typo", "Always", None, in_backoff=True, last_error="ErrImagePull: 404").message
    'Back-off pulling image "typo": ErrImagePull: 404'
    >>> d = decide("typo", "Always", None)
    >>> d.action, d.spec_image, [e.reason for e in d.events]
    ('pull', 'typo:latest', ['Pulling'])
    >>> decide("FAILED_IMAGE", "Always", None).reason
    'InvalidImageName'
    """
    if policy not in _POLICIES:
        raise ValueError(f"unknown image pull policy {policy!r}: expected one of {_POLICIES}")
    quoted = go_quote(image)
    key = backoff_key(pod_uid, image)

    try:
        spec_image = apply_default_tag(image)
    except InvalidReference as exc:
        msg = f"Failed to apply default image tag {quoted}: {exc}"
        event = Event("Warning", EVENT_INSPECT_FAILED, msg)
        return _decision(
            "invalid", image, policy, ERR_INVALID_IMAGE_NAME, msg, event, None, "", key,
            None, None, False,
        )  # fmt: skip

    image_ref = ""
    present: bool | None = None
    if policy != "Always":
        if inspect_error is not None:
            # Upstream formats the (empty) imageRef here, not the image name.
            msg = f'Failed to inspect image "": {inspect_error}'
            event = Event("Warning", EVENT_INSPECT_FAILED, msg)
            return _decision(
                "inspect_error", image, policy, ERR_IMAGE_INSPECT, msg, event, spec_image, "",
                key, None, None, False,
            )  # fmt: skip
        image_ref = present_ref or ""
        present = bool(image_ref)
        if not present and policy == "Never":
            return _never_pull(image, policy, quoted, spec_image, key, present=False, required=None)

    if image_ref:
        if not gate_enabled:
            msg = f"Container image {quoted} already present on machine"
            return _use_present(image, policy, msg, spec_image, image_ref, key)
        if must_attempt_pull is None:
            raise ValueError(
                "must_attempt_pull is required when KubeletEnsureSecretPulledImages is on "
                "and the image is present"
            )
        if not must_attempt_pull:
            msg = (
                f"Container image {quoted} already present on machine "
                "and can be accessed by the pod"
            )
            return _use_present(image, policy, msg, spec_image, image_ref, key)

    if policy == "Never":
        return _never_pull(image, policy, quoted, spec_image, key, present=True, required=True)

    if in_backoff:
        msg = f"Back-off pulling image {quoted}"
        if last_error:
            msg = f"{msg}: {last_error}"
        event = Event("Normal", EVENT_BACKOFF, msg)
        return _decision(
            "backoff", image, policy, ERR_IMAGE_PULL_BACKOFF, msg, event, spec_image, "", key,
            present, True, gate_enabled,
        )  # fmt: skip
    event = Event("Normal", EVENT_PULLING, f"Pulling image {quoted}")
    return _decision(
        "pull", image, policy, None, "", event, spec_image, "", key, present, True, gate_enabled
    )


def _never_pull(
    image: str,
    policy: str,
    quoted: str,
    spec_image: str,
    key: str,
    *,
    present: bool,
    required: bool | None,
) -> Decision:
    msg = f"Container image {quoted} is not present with pull policy of Never"
    event = Event("Warning", EVENT_NEVER_PULL, msg)
    return _decision(
        "never_pull", image, policy, ERR_IMAGE_NEVER_PULL, msg, event, spec_image, "", key,
        present, required, False,
    )  # fmt: skip


def _use_present(
    image: str, policy: str, msg: str, spec_image: str, image_ref: str, key: str
) -> Decision:
    event = Event("Normal", EVENT_PULLED, msg)
    return _decision(
        "use_present", image, policy, None, msg, event, spec_image, image_ref, key, True, False,
        False,
    )  # fmt: skip


def classify_pull_error(message: str) -> str:
    """The reason a failed pull reports, by the runtime error's prefix.

    Parameters
    ----------
    message : str
        The runtime's error text.

    Returns
    -------
    {"RegistryUnavailable", "SignatureValidationFailed", "ErrImagePull"}

    Examples
    --------
    >>> classify_pull_error("RegistryUnavailable: connection refused")
    'RegistryUnavailable'
    >>> classify_pull_error("SignatureValidationFailed"), classify_pull_error("404")
    ('SignatureValidationFailed', 'ErrImagePull')
    """
    for reason in (ERR_REGISTRY_UNAVAILABLE, ERR_SIGNATURE_VALIDATION_FAILED):
        if message.startswith(reason):
            return reason
    return ERR_IMAGE_PULL


def evaluate_pull_error(image: str, message: str) -> tuple[str, str]:
    """Reason and message for a failed pull (``evalCRIPullErr``).

    Parameters
    ----------
    image : str
        The requested image.
    message : str
        The runtime's error text.

    Returns
    -------
    tuple of str
        ``(reason, message)``: for the two CRI errors the message is rewritten to
        ``image pull failed for <image> because the registry is unavailable`` /
        ``... because the signature validation failed``, followed by whatever came
        after the error name; otherwise the runtime's text is kept.

    Examples
    --------
    >>> evaluate_pull_error("test", "RegistryUnavailable: foo")
    ('RegistryUnavailable', 'image pull failed for test because the registry is unavailable: foo')
    >>> evaluate_pull_error("test", "test")
    ('ErrImagePull', 'test')
    """
    reason = classify_pull_error(message)
    rest = message[len(reason) :]
    if reason == ERR_REGISTRY_UNAVAILABLE:
        return reason, f"image pull failed for {image} because the registry is unavailable{rest}"
    if reason == ERR_SIGNATURE_VALIDATION_FAILED:
        return reason, (
            f"image pull failed for {image} because the signature validation failed{rest}"
        )
    return reason, message


@dataclass(frozen=True, slots=True)
class PullOutcome:
    """What follows a pull the runtime answered.

    Attributes
    ----------
    reason : str or None
        ``None`` on success, else the :func:`classify_pull_error` reason.
    message : str
        ``""`` on success, else the :func:`evaluate_pull_error` message.
    events : tuple of Event
        ``Pulled`` (success) or ``Failed``.
    stored_error : str or None
        ``"<reason>: <message>"``, what the kubelet keeps for the next
        ``Back-off pulling image`` message (``None`` on success).
    """

    reason: str | None
    message: str
    events: tuple[Event, ...]
    stored_error: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the pull succeeded.

        Returns
        -------
        bool

        Examples
        --------
        >>> pull_outcome("busybox", None).ok, pull_outcome("busybox", "404").ok
        (True, False)
        """
        return self.reason is None


def pull_outcome(
    image: str,
    error: str | None,
    *,
    pull_seconds: float = 0.0,
    total_seconds: float | None = None,
    image_size: int = 0,
) -> PullOutcome:
    """Turn the runtime's answer to a pull into reason, message and events.

    Parameters
    ----------
    image : str
        The requested image.
    error : str or None
        The pull error (``None`` for success). A throttled pull's error is
        :data:`PULL_QPS_EXCEEDED`.
    pull_seconds : float, default 0.0
        How long the runtime pull took (success message).
    total_seconds : float, optional
        Including the wait for a puller slot; defaults to ``pull_seconds``.
    image_size : int, default 0
        Bytes (success message).

    Returns
    -------
    PullOutcome

    Examples
    --------
    >>> out = pull_outcome("typo_image", "SignatureValidationFailed")
    >>> out.reason, out.events[0].message
    ('SignatureValidationFailed', 'Failed to pull image "typo_image": SignatureValidationFailed')
    >>> print(out.stored_error)  # doctest: +NORMALIZE_WHITESPACE
    SignatureValidationFailed: image pull failed for typo_image
    because the signature validation failed
    >>> print(pull_outcome("busybox", None, pull_seconds=1.2345, total_seconds=3.5,
    ...                    image_size=2048).events[0].message)  # doctest: +NORMALIZE_WHITESPACE
    Successfully pulled image "busybox" in 1.234s (3.5s including waiting).
    Image size: 2048 bytes.
    """
    quoted = go_quote(image)
    if error is not None:
        reason, message = evaluate_pull_error(image, error)
        event = Event("Warning", EVENT_FAILED, f"Failed to pull image {quoted}: {error}")
        return PullOutcome(reason, message, (event,), stored_error=f"{reason}: {message}")
    total = pull_seconds if total_seconds is None else total_seconds
    msg = (
        f"Successfully pulled image {quoted} in {_go_duration_ms(pull_seconds)} "
        f"({_go_duration_ms(total)} including waiting). Image size: {image_size} bytes."
    )
    return PullOutcome(None, "", (Event("Normal", EVENT_PULLED, msg),))


def _go_duration_ms(seconds: float) -> str:
    """Go ``time.Duration.String()`` of a duration truncated to the millisecond."""
    millis = math.trunc(seconds * 1000)
    if millis == 0:
        return "0s"
    sign = "-" if millis < 0 else ""
    millis = abs(millis)
    if millis < 1000:
        return f"{sign}{millis}ms"
    hours, rem = divmod(millis, 3_600_000)
    minutes, rem = divmod(rem, 60_000)
    secs, frac = divmod(rem, 1000)
    text = f"{secs}.{frac:03d}".rstrip("0").rstrip(".") + "s"
    if hours:
        return f"{sign}{hours}h{minutes}m{text}"
    if minutes:
        return f"{sign}{minutes}m{text}"
    return sign + text


@dataclass(frozen=True, slots=True)
class PullStep:
    """One ``EnsureImageExists`` call in :func:`simulate_pulls`.

    Attributes
    ----------
    now : float
        Clock time of the call.
    decision : Decision
    outcome : PullOutcome or None
        Set when the decision was to pull.
    runtime_calls : tuple of str
        What reached the runtime, as ``FakeRuntime.CalledFunctions`` records it:
        ``GetImageRef`` (not under ``Always``), ``PullImage`` (not when throttled),
        ``GetImageSize`` (after a successful pull).
    """

    now: float
    decision: Decision
    outcome: PullOutcome | None = None
    runtime_calls: tuple[str, ...] = field(default=())

    @property
    def reason(self) -> str | None:
        """The returned error (``None`` for success).

        Returns
        -------
        str or None

        Examples
        --------
        >>> simulate_pulls("typo_image", "IfNotPresent", puller_error="404", calls=1)[0].reason
        'ErrImagePull'
        """
        return self.outcome.reason if self.outcome is not None else self.decision.reason

    @property
    def message(self) -> str:
        """The returned message.

        Returns
        -------
        str

        Examples
        --------
        >>> simulate_pulls("typo_image", "IfNotPresent", puller_error="404", calls=1)[0].message
        '404'
        """
        return self.outcome.message if self.outcome is not None else self.decision.message

    @property
    def events(self) -> tuple[Event, ...]:
        """All events of the call, in order.

        Returns
        -------
        tuple of Event

        Examples
        --------
        >>> steps = simulate_pulls("typo_image", "IfNotPresent", puller_error="404", calls=1)
        >>> [e.reason for e in steps[0].events]
        ['Pulling', 'Failed']
        """
        extra = self.outcome.events if self.outcome is not None else ()
        return self.decision.events + extra


def simulate_pulls(
    image: str,
    policy: str,
    *,
    calls: int,
    present_ref: str | None = None,
    puller_error: str | Sequence[str | None] | None = None,
    backoff: Backoff | None = None,
    start: float = 0.0,
    step: float = 1.0,
    pod_uid: str = "bar",
    gate_enabled: bool = False,
    must_attempt_pull: bool | Callable[[], bool] | None = None,
    qps: float = 0.0,
    burst: int = 0,
    inspect_error: str | None = None,
    pulled_ref: str | None = None,
) -> list[PullStep]:
    """Call :func:`decide` repeatedly for one pod's image, as the kubelet would.

    Before each call the clock advances by ``step`` (as ``image_manager_test.go`` steps
    its fake clock by one second). A pull goes through the :class:`PullQPS` limiter (when
    ``qps`` is not 0), then to the "runtime", whose answer is ``puller_error``. A failed
    pull calls :meth:`Backoff.next` and stores the error for the next back-off message;
    a successful one calls :meth:`Backoff.gc` and makes the image present.

    Parameters
    ----------
    image, policy : str
        As for :func:`decide`.
    calls : int
        Number of ``EnsureImageExists`` calls.
    present_ref : str or None
        Image reference on the node before the first call.
    puller_error : str, sequence or None
        The runtime's pull error: one value for every pull, or one per pull attempt
        that reaches the runtime (``None`` entries succeed; past the end, pulls succeed).
    backoff : Backoff, optional
        Defaults to ``Backoff(1.0, 60.0)`` (``flowcontrol.NewBackOff(time.Second,
        time.Minute)`` in the upstream test). It is mutated.
    start, step : float
        Clock start and advance per call (seconds).
    pod_uid : str, default "bar"
        For the back-off key.
    gate_enabled : bool, default False
        ``KubeletEnsureSecretPulledImages``.
    must_attempt_pull : bool, callable or None
        The pull manager's answer for a present image (a callable is asked each time).
    qps, burst : float, int
        ``registryPullQPS`` and ``registryBurst``; ``qps=0`` disables throttling.
    inspect_error : str or None
        A ``GetImageRef`` error returned on every call.
    pulled_ref : str or None
        The reference a successful pull leaves on the node (defaults to the defaulted
        image name).

    Returns
    -------
    list of PullStep

    Examples
    --------
    >>> steps = simulate_pulls("typo_image", "IfNotPresent", puller_error="404", calls=6)
    >>> [s.reason for s in steps]  # doctest: +NORMALIZE_WHITESPACE
    ['ErrImagePull', 'ErrImagePull', 'ImagePullBackOff', 'ErrImagePull',
     'ImagePullBackOff', 'ImagePullBackOff']
    >>> steps[2].message
    'Back-off pulling image "typo_image": ErrImagePull: 404'
    """
    backoff = backoff if backoff is not None else Backoff(1.0, 60.0)
    limiter = PullQPS(qps, burst) if qps != 0 else None
    errors = [puller_error] if puller_error is None or isinstance(puller_error, str) else None
    stored: dict[str, str] = {}
    attempts = 0
    now = start
    steps: list[PullStep] = []
    for _ in range(calls):
        now += step
        key = backoff_key(pod_uid, image)
        must = must_attempt_pull() if callable(must_attempt_pull) else must_attempt_pull
        decision = decide(
            image,
            policy,
            present_ref,
            gate_enabled=gate_enabled,
            must_attempt_pull=must if present_ref else None,
            in_backoff=backoff.is_in_backoff_since_update(key, now),
            last_error=stored.get(key),
            inspect_error=inspect_error,
            pod_uid=pod_uid,
        )
        runtime = ["GetImageRef"] if decision.spec_image is not None and policy != "Always" else []
        if decision.action != "pull":
            steps.append(PullStep(now, decision, None, tuple(runtime)))
            continue
        stored.pop(key, None)
        if limiter is not None and not limiter.try_accept(now):
            error: str | None = PULL_QPS_EXCEEDED
        else:
            runtime.append("PullImage")
            if errors is not None:
                error = errors[0]
            else:
                seq = list(puller_error)  # type: ignore[arg-type]
                error = seq[attempts] if attempts < len(seq) else None
            attempts += 1
        outcome = pull_outcome(image, error)
        if error is not None:
            backoff.next(key, now)
            stored[key] = outcome.stored_error or ""
        else:
            runtime.append("GetImageSize")
            backoff.gc(now)
            present_ref = pulled_ref or decision.spec_image
        steps.append(PullStep(now, decision, outcome, tuple(runtime)))
    return steps
