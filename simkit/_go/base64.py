"""Go's ``encoding/base64`` decoders as the kubelet uses them on ``auth`` fields.

``StdEncoding`` needs ``=`` padding to a multiple of four characters; ``RawStdEncoding``
rejects ``=``.  Both ignore ``\\r`` and ``\\n`` anywhere, reject every other character
outside ``A-Za-z0-9+/`` (spaces included), reject a final group of one character, and
do not check that the unused trailing bits are zero.

Upstream: golang/go ``src/encoding/base64/base64.go`` (``StdEncoding``,
``RawStdEncoding``, ``DecodeString``, ``decodeQuantum``); the kubelet decodes ``auth``
with ``StdEncoding`` in ``pkg/credentialprovider/config.go``
(``decodeDockerConfigFieldAuth``).  Tested on ``base64_test.go`` (``pairs``,
``TestDecodeCorrupt``) in tests/test_go_base64.py.
"""

from __future__ import annotations

import base64
import string

__all__ = ["decode"]

_ALPHABET = frozenset(string.ascii_letters + string.digits + "+/")


def decode(text: str, *, padded: bool) -> bytes:
    """Decode ``text`` like Go's ``StdEncoding`` (``padded``) or ``RawStdEncoding``.

    Raises
    ------
    ValueError
        For input Go rejects (the message never echoes the input).

    Examples
    --------
    >>> decode("Zm9vOmJhcg==", padded=True)
    b'foo:bar'
    >>> decode("Zm9vOm\\nJhcg", padded=False)
    b'foo:bar'
    >>> decode("Zm9vOmJhcg", padded=True)
    Traceback (most recent call last):
    ...
    ValueError: illegal base64 data
    """
    data = text.replace("\r", "").replace("\n", "")
    if padded:
        if len(data) % 4:
            raise ValueError("illegal base64 data")
        if data.endswith("=="):
            data = data[:-2]
        elif data.endswith("="):
            data = data[:-1]
    elif len(data) % 4 == 1:
        raise ValueError("illegal base64 data")
    if any(char not in _ALPHABET for char in data):
        raise ValueError("illegal base64 data")
    return base64.b64decode(data + "=" * (-len(data) % 4))
