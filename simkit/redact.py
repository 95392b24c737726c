"""Keep secrets out of anything a person reads: command lines, messages, reports.

simkit never stores a password or token in an event; these helpers strip them from
text that has to be shown, such as the ``oc`` command line recorded in the event log.
"""

from __future__ import annotations

import re

MASK = "*****"

# a shell word: unquoted, '...' and "..." pieces run together (an unclosed quote runs to the end)
_WORD = r"""(?:'[^']*(?:'|$)|"(?:\\.|[^"\\])*(?:"|$)|\\.|[^\s'"\\])+"""
_SECRET_FLAGS = re.compile(
    r"(?<!\S)(?P<flag>--(?:docker-password|password|token|auth-basic)"
    r"|--from-literal(?:=|\s+)(?:[^=\s'\"]|'[^'=]*'|\"[^\"=]*\")*|-p)"
    rf"(?P<sep>=|\s+)(?P<value>{_WORD})",
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

    Every ``--from-literal`` value is a secret's, and a value may be any shell word:

    >>> redact_command("create secret generic g --from-literal=api-key=s3cret")
    'create secret generic g --from-literal=api-key=*****'
    >>> redact_command('create secret docker-registry s --docker-password="two words" -n a')
    'create secret docker-registry s --docker-password=***** -n a'
    >>> redact_command("create secret docker-registry s --docker-password='unclosed s3cret")
    'create secret docker-registry s --docker-password=*****'
    """

    def mask(match: re.Match[str]) -> str:
        flag, sep, value = match.group("flag"), match.group("sep"), match.group("value")
        if flag.lower() == "--auth-basic":
            user = value.strip("'\"").partition(":")[0]
            return f"{flag}{sep}{user}:{MASK}"
        return f"{flag}{sep}{MASK}"

    return _SECRET_FLAGS.sub(mask, line)
