"""simkit._go.base64 against Go's own encoding/base64 tables.

Restated from golang/go ``src/encoding/base64/base64_test.go`` (commit
185e6094fd968b35b80e56aad1286c66bb2cc261): ``pairs`` decoded with ``StdEncoding`` and,
padding trimmed, with ``RawStdEncoding`` (``TestDecode``); ``TestDecodeCorrupt``;
``TestNewLineCharacters``; ``TestDecoderIssue15656`` (non-strict: unused bits ignored).
"""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from simkit._go.base64 import decode

PAIRS = [
    (b"\x14\xfb\x9c\x03\xd9\x7e", "FPucA9l+"),
    (b"\x14\xfb\x9c\x03\xd9", "FPucA9k="),
    (b"\x14\xfb\x9c\x03", "FPucAw=="),
    (b"", ""),
    (b"f", "Zg=="),
    (b"fo", "Zm8="),
    (b"foo", "Zm9v"),
    (b"foob", "Zm9vYg=="),
    (b"fooba", "Zm9vYmE="),
    (b"foobar", "Zm9vYmFy"),
    (b"sure.", "c3VyZS4="),
    (b"sure", "c3VyZQ=="),
    (b"sur", "c3Vy"),
    (b"su", "c3U="),
    (b"leasure.", "bGVhc3VyZS4="),
    (b"easure.", "ZWFzdXJlLg=="),
    (b"asure.", "YXN1cmUu"),
    (b"Twas brillig, and the slithy toves", "VHdhcyBicmlsbGlnLCBhbmQgdGhlIHNsaXRoeSB0b3Zlcw=="),
]


@pytest.mark.parametrize(("decoded", "encoded"), PAIRS)
def test_go_pairs_std_and_raw(decoded, encoded):
    assert decode(encoded, padded=True) == decoded
    assert decode(encoded.rstrip("="), padded=False) == decoded


# TestDecodeCorrupt (StdEncoding): input, corrupt?
DECODE_CORRUPT = [
    ("", False),
    ("\n", False),
    ("AAA=\n", False),
    ("AAAA\n", False),
    ("!!!!", True),
    ("====", True),
    ("x===", True),
    ("=AAA", True),
    ("A=AA", True),
    ("AA=A", True),
    ("AA==A", True),
    ("AAA=AAAA", True),
    ("AAAAA", True),
    ("AAAAAA", True),
    ("A=", True),
    ("A==", True),
    ("AA=", True),
    ("AA==", False),
    ("AAA=", False),
    ("AAAA", False),
    ("AAAAAA=", True),
    ("YWJjZA=====", True),
    ("A!\n", True),
    ("A=\n", True),
]


@pytest.mark.parametrize(("text", "corrupt"), DECODE_CORRUPT)
def test_go_decode_corrupt(text, corrupt):
    if corrupt:
        with pytest.raises(ValueError, match="^illegal base64 data$"):
            decode(text, padded=True)
    else:
        decode(text, padded=True)


@pytest.mark.parametrize(
    "text",
    [
        "c3VyZQ==",
        "c3VyZQ==\r",
        "c3VyZQ==\n",
        "c3VyZQ==\r\n",
        "c3VyZ\r\nQ==",
        "c3V\ryZ\nQ==",
        "c3V\nyZ\rQ==",
        "c3VyZ\nQ==",
        "c3VyZQ\n==",
        "c3VyZQ=\n=",
        "c3VyZQ=\r\n\r\n=",
    ],
)
def test_go_new_line_characters(text):
    assert decode(text, padded=True) == b"sure"


def test_go_non_strict_ignores_unused_bits():
    assert decode("WvLTlMrX9NpYDQlEIFlnDB==", padded=True) == decode(
        "WvLTlMrX9NpYDQlEIFlnDA==", padded=True
    )


def test_raw_encoding_rejects_padding_and_spaces():
    with pytest.raises(ValueError):
        decode("Zg==", padded=False)
    with pytest.raises(ValueError):
        decode("Zm9v Yg", padded=False)


@given(st.binary(max_size=40))
def test_round_trip(data):
    encoded = base64.b64encode(data).decode()
    assert decode(encoded, padded=True) == data
    assert decode(encoded.rstrip("="), padded=False) == data
