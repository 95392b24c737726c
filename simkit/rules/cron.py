"""Daily cron schedules, as the image pruner's CronJob takes them.

The cluster-image-registry-operator writes the ``ImagePruner``'s ``spec.schedule`` into
the CronJob ``openshift-image-registry/image-pruner`` (``pkg/resource/prunercronjob.go``,
default ``0 0 * * *``), and the CronJob controller reads it with robfig/cron's standard
parser (kubernetes ``pkg/controller/cronjob/utils.go``, ``cron.ParseStandard``): five
fields ``minute hour day-of-month month day-of-week``, or a descriptor such as
``@daily`` / ``@midnight`` (``0 0 * * *``).  simkit runs the pruner once a day, so it
takes the daily forms only: ``M H * * *``, ``@daily`` and ``@midnight``.  Times are UTC.

:class:`simkit.config.Config` checks ``image_pruner_schedule`` with :func:`daily_offset`
when it is made; :class:`simkit.controllers.image_pruner.ImagePruner` schedules its runs
with it.
"""

from __future__ import annotations

__all__ = ["DAY", "daily_offset"]

DAY = 86400.0
"""Seconds in a day."""


def daily_offset(schedule: str) -> float:
    """Seconds after midnight (UTC) at which a daily cron ``schedule`` fires.

    Parameters
    ----------
    schedule : str
        ``"M H * * *"`` (minute 0-59, hour 0-23), ``"@daily"`` or ``"@midnight"``.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        Naming the schedule when it is not a daily schedule.

    Examples
    --------
    >>> daily_offset("0 0 * * *"), daily_offset("30 2 * * *"), daily_offset("@daily")
    (0.0, 9000.0, 0.0)
    >>> daily_offset("0 0 1 * *")
    Traceback (most recent call last):
    ...
    ValueError: image pruner schedule '0 0 1 * *': expected a daily cron schedule such as \
'0 0 * * *' (minute hour * * *), '@daily' or '@midnight'
    """
    text = schedule.strip()
    if text in ("@daily", "@midnight"):
        return 0.0
    fields = text.split()
    if (
        len(fields) == 5
        and fields[2:] == ["*", "*", "*"]
        and fields[0].isdigit()
        and fields[1].isdigit()
        and int(fields[0]) < 60
        and int(fields[1]) < 24
    ):
        return int(fields[1]) * 3600.0 + int(fields[0]) * 60.0
    raise ValueError(
        f"image pruner schedule {schedule!r}: expected a daily cron schedule such as "
        "'0 0 * * *' (minute hour * * *), '@daily' or '@midnight'"
    )
