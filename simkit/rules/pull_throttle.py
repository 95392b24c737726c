"""How many pulls the kubelet lets through: QPS, burst and parallelism.

* :class:`PullQPS` is ``throttleImagePulling`` (``pkg/kubelet/images/puller.go``): a
  client-go ``NewTokenBucketRateLimiter(registryPullQPS, registryBurst)`` whose
  non-blocking ``TryAccept`` gates every runtime pull. A rejected pull fails with
  ``pull QPS exceeded`` (an ordinary ``ErrImagePull``, which starts the back-off).
  ``registryPullQPS == 0`` means no limiter at all.
* :func:`default_serialize` and :func:`validate_puller_config` are the
  ``serializeImagePulls`` / ``maxParallelImagePulls`` / ``registryPullQPS`` /
  ``registryBurst`` rules of ``pkg/kubelet/apis/config/v1beta1/defaults.go`` and
  ``pkg/kubelet/apis/config/validation/validation.go``.
* :func:`parallel_pull_limit` is how ``NewImageManager`` picks its puller.

The token bucket follows ``golang.org/x/time/rate`` exactly: it starts full (``burst``
tokens), refills at ``qps`` tokens per second up to ``burst``, and accepts a request when
taking one token would not leave a wait of at least one nanosecond. ``qps`` is a
``float32`` in the kubelet configuration, so it is rounded to single precision first.
"""

from __future__ import annotations

import math
import struct

__all__ = [
    "DEFAULT_REGISTRY_BURST",
    "DEFAULT_REGISTRY_PULL_QPS",
    "PULL_QPS_EXCEEDED",
    "PullQPS",
    "default_serialize",
    "parallel_pull_limit",
    "validate_puller_config",
]

#: ``registryPullQPS`` default (v1beta1 ``SetDefaults_KubeletConfiguration``).
DEFAULT_REGISTRY_PULL_QPS = 5
#: ``registryBurst`` default.
DEFAULT_REGISTRY_BURST = 10
#: The error a throttled pull returns (``throttledImageService.PullImage``).
PULL_QPS_EXCEEDED = "pull QPS exceeded"

_NS = 1_000_000_000


def _float32(value: float) -> float:
    return struct.unpack("f", struct.pack("f", value))[0]


class PullQPS:
    """The kubelet's registry pull rate limiter (token bucket, non-blocking).

    Parameters
    ----------
    qps : float, default 5
        ``registryPullQPS``: tokens per second. ``0`` disables throttling (every pull
        is accepted), exactly as ``throttleImagePulling`` skips the wrapper.
        ``math.inf`` accepts everything too (``rate.Inf``).
    burst : int, default 10
        ``registryBurst``: bucket size, and the initial number of tokens. With
        ``burst == 0`` (and a non-zero ``qps``) nothing is ever accepted.

    Examples
    --------
    >>> limiter = PullQPS(qps=1, burst=3)
    >>> [limiter.try_accept(0.0) for _ in range(4)]
    [True, True, True, False]
    >>> limiter.try_accept(0.5), limiter.try_accept(1.0)
    (False, True)
    >>> PullQPS(qps=0, burst=0).try_accept(0.0)
    True
    """

    __slots__ = ("_last", "_limit", "_tokens", "burst", "qps")

    def __init__(self, qps: float = DEFAULT_REGISTRY_PULL_QPS, burst: int = DEFAULT_REGISTRY_BURST):
        self.qps = qps
        self.burst = int(burst)
        self._limit = math.inf if math.isinf(qps) else _float32(float(qps))
        self._tokens = float(self.burst)
        self._last: int | None = None

    def __repr__(self) -> str:
        return f"PullQPS(qps={self.qps}, burst={self.burst})"

    @property
    def unlimited(self) -> bool:
        """Whether no limiter applies (``qps`` is 0 or infinite).

        Returns
        -------
        bool

        Examples
        --------
        >>> PullQPS(0, 0).unlimited, PullQPS().unlimited
        (True, False)
        """
        return self._limit == 0 or math.isinf(self._limit)

    def tokens(self, now: float) -> float:
        """Tokens the bucket would hold at ``now`` (``Limiter.TokensAt``).

        Parameters
        ----------
        now : float
            Time in seconds.

        Returns
        -------
        float
            At most ``burst``; may be slightly negative right after an accept.

        Examples
        --------
        >>> limiter = PullQPS(qps=2, burst=4)
        >>> limiter.try_accept(10.0), limiter.tokens(10.0), limiter.tokens(10.25)
        (True, 3.0, 3.5)
        """
        return self._advance(_to_ns(now))

    def _advance(self, t: int) -> float:
        last = self._last if self._last is not None else t
        last = min(last, t)
        delta = (t - last) / _NS * self._limit if self._limit > 0 else 0.0
        return min(self._tokens + delta, float(self.burst))

    def try_accept(self, now: float) -> bool:
        """Take one token if one is available now (``TryAccept`` = ``AllowN(now, 1)``).

        Parameters
        ----------
        now : float
            Time in seconds.

        Returns
        -------
        bool
            ``True`` if the pull may go to the runtime; ``False`` means the kubelet
            fails it with :data:`PULL_QPS_EXCEEDED`.

        Examples
        --------
        >>> limiter = PullQPS(qps=2000, burst=0)  # image_manager_test.go's "excessive qps"
        >>> limiter.try_accept(1.0), limiter.try_accept(2.0)
        (False, False)
        """
        if self.unlimited:
            return True
        t = _to_ns(now)
        tokens = self._advance(t) - 1.0
        wait: float = 0
        if tokens < 0:
            wait = _duration_from_tokens(-tokens, self._limit)
        if self.burst >= 1 and wait <= 0:
            self._last = t
            self._tokens = tokens
            return True
        return False


def _to_ns(seconds: float) -> int:
    return round(seconds * _NS)


def _duration_from_tokens(tokens: float, limit: float) -> float:
    if limit <= 0:
        return math.inf
    return math.trunc(tokens / limit * _NS)


def default_serialize(max_parallel_image_pulls: int | None) -> bool:
    """Default for an unset ``serializeImagePulls`` (v1beta1 defaults).

    Parameters
    ----------
    max_parallel_image_pulls : int or None
        ``maxParallelImagePulls`` (``None`` when unset).

    Returns
    -------
    bool
        ``True`` unless ``maxParallelImagePulls >= 2``. (Older kubelets defaulted to
        ``True`` unconditionally.)

    Examples
    --------
    >>> default_serialize(None), default_serialize(1), default_serialize(2)
    (True, True, False)
    """
    return max_parallel_image_pulls is None or max_parallel_image_pulls < 2


def validate_puller_config(
    serialize_image_pulls: bool,
    max_parallel_image_pulls: int | None,
    *,
    registry_pull_qps: float = DEFAULT_REGISTRY_PULL_QPS,
    registry_burst: int = DEFAULT_REGISTRY_BURST,
) -> list[str]:
    """The image-pull checks of ``ValidateKubeletConfiguration``, in upstream order.

    Parameters
    ----------
    serialize_image_pulls : bool
        ``serializeImagePulls`` after defaulting.
    max_parallel_image_pulls : int or None
        ``maxParallelImagePulls`` (``None`` when unset).
    registry_pull_qps : float, default 5
        ``registryPullQPS``.
    registry_burst : int, default 10
        ``registryBurst``.

    Returns
    -------
    list of str
        The error messages (empty when valid).

    Examples
    --------
    >>> validate_puller_config(True, None), validate_puller_config(False, 5)
    ([], [])
    >>> validate_puller_config(True, 0)
    ['invalid configuration: maxParallelImagePulls 0 must be a positive number']
    >>> validate_puller_config(True, 3)  # doctest: +NORMALIZE_WHITESPACE
    ['invalid configuration: maxParallelImagePulls cannot be larger than 1 unless
      SerializeImagePulls (--serialize-image-pulls) is set to false']
    """
    errors = []
    if registry_burst < 0:
        errors.append(
            "invalid configuration: registryBurst (--registry-burst) "
            f"{registry_burst} must not be a negative number"
        )
    if registry_pull_qps < 0:
        errors.append(
            "invalid configuration: registryPullQPS (--registry-qps) "
            f"{_go_number(registry_pull_qps)} must not be a negative number"
        )
    if max_parallel_image_pulls is not None and max_parallel_image_pulls < 1:
        errors.append(
            "invalid configuration: maxParallelImagePulls "
            f"{max_parallel_image_pulls} must be a positive number"
        )
    if (
        serialize_image_pulls
        and max_parallel_image_pulls is not None
        and max_parallel_image_pulls > 1
    ):
        errors.append(
            "invalid configuration: maxParallelImagePulls cannot be larger than 1 unless "
            "SerializeImagePulls (--serialize-image-pulls) is set to false"
        )
    return errors


def _go_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def parallel_pull_limit(
    serialize_image_pulls: bool, max_parallel_image_pulls: int | None
) -> int | None:
    """How many pulls may run at once on a node.

    Parameters
    ----------
    serialize_image_pulls : bool
        ``serializeImagePulls``: one worker pulls one image at a time.
    max_parallel_image_pulls : int or None
        ``maxParallelImagePulls`` for the parallel puller.

    Returns
    -------
    int or None
        ``1`` for the serial puller; for the parallel puller the token-channel size,
        or ``None`` (unlimited) when the setting is unset or below 1.

    Examples
    --------
    >>> parallel_pull_limit(True, None), parallel_pull_limit(False, 5)
    (1, 5)
    >>> parallel_pull_limit(False, None), parallel_pull_limit(False, 0)
    (None, None)
    """
    if serialize_image_pulls:
        return 1
    if max_parallel_image_pulls is None or max_parallel_image_pulls < 1:
        return None
    return max_parallel_image_pulls
