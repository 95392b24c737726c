"""Keep secrets out of anything a person reads: command lines, messages, reports.

simkit never stores a password or token in an event; these helpers strip them from
text that has to be shown, such as the ``oc`` command line recorded in the event log.
"""

from __future__ import annotations

import re

MASK = "*****"

_SECRET_FLAGS = re.compile(
    r"(?P<flag>--(?:docker-password|password|token|auth-basic|from-literal=[^=\s]*(?:password|token|auth)[^=\s]*)"
    r"|-p)(?P<sep>=|\s+)(?P<value>'[^']*'|\"[^\"]*\"|\S+)",
    re.IGNORECASE,
)


def redact_command(line: str) -> str:
    """``line`` with the values of password, token and basic-auth flags masked.

    Examples
    --------
    >>> redact_command("registry login --registry=quay.io --auth-basic=bob:s3cret --to=f")
    'registry login --registry=quay.io --auth-basic=bob:***** --to=f'
    >>> redact_command("create secret docker-registry s --docker-password hunter2")
    'create secret docker-registry s --docker-password *****'
    """

    def mask(match: re.Match[str]) -> str:
        flag, sep, value = match.group("flag"), match.group("sep"), match.group("value")
        if flag.lower() == "--auth-basic":
            user = value.strip("'\"").partition(":")[0]
            return f"{flag}{sep}{user}:{MASK}"
        return f"{flag}{sep}{MASK}"

    return _SECRET_FLAGS.sub(mask, line)
