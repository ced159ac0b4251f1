"""Transport: COSE bytes <-> the text shown in the QR code, `PREFIX + base45(zlib(cose))`.

As in the EU Digital COVID Certificate ("HC1:"), the prefix names the format and its version; Magnet's
is "MG1:". The prefix is a parameter so that the same code reads foreign codes.

Decoding untrusted text is bounded everywhere: the text's length (a QR code holds at most 4,296
alphanumeric characters), and the decompressed size (a few hundred bytes are expected; a zip bomb is
refused as soon as it passes `max_size`, without inflating the rest).
"""

from __future__ import annotations

import zlib

from .base45 import b45decode, b45encode
from .errors import CodeRefused, Reason

__all__ = ["MAX_CODE_CHARS", "MAX_DECOMPRESSED", "PREFIX", "decode_code", "encode_code", "inflate"]

PREFIX = "MG1:"
MAX_CODE_CHARS = 8192
MAX_DECOMPRESSED = 16384


def encode_code(cose: bytes, *, prefix: str = PREFIX) -> str:
    """Compress COSE bytes (zlib, best compression) and write them as prefixed base45 text."""
    return prefix + b45encode(zlib.compress(cose, 9))


def _looks_like_zlib(data: bytes) -> bool:
    # RFC 1950 header: CM = 8 (deflate), CINFO <= 7, and the 16-bit header a multiple of 31. A CBOR
    # COSE_Sign1 starts with 0x84, 0xD2 or 0xD8, none of which passes, so the two cannot be confused.
    return len(data) >= 2 and data[0] & 0x0F == 8 and data[0] >> 4 <= 7 and ((data[0] << 8) | data[1]) % 31 == 0


def inflate(data: bytes, *, max_size: int = MAX_DECOMPRESSED) -> bytes:
    """Undo zlib compression with a bound on the output; pass uncompressed CBOR through.

    The DCC specification allows an uncompressed payload, so bytes that are not a zlib stream are
    returned as they are (the COSE parser then judges them)."""
    if not _looks_like_zlib(data):
        return data
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, max_size)
    except zlib.error as exc:
        raise CodeRefused(Reason.BAD_COMPRESSION, f"the compressed data is corrupt ({exc})") from None
    if inflater.unconsumed_tail:
        raise CodeRefused(Reason.BAD_COMPRESSION, f"the code inflates to more than {max_size} bytes")
    if not inflater.eof:
        raise CodeRefused(Reason.BAD_COMPRESSION, "the compressed data is truncated")
    if inflater.unused_data:
        raise CodeRefused(Reason.BAD_COMPRESSION, "bytes follow the end of the compressed data")
    return out


def decode_code(text: str, *, prefix: str = PREFIX, max_size: int = MAX_DECOMPRESSED) -> bytes:
    """Turn a scanned code back into COSE bytes, or raise `CodeRefused`.

    Reasons: `malformed` (not a string, or too long), `bad_prefix`, `bad_base45`, `bad_compression`."""
    if not isinstance(text, str):
        raise CodeRefused(Reason.MALFORMED, "a code is text")
    if len(text) > MAX_CODE_CHARS:
        raise CodeRefused(Reason.MALFORMED, f"the code is longer than {MAX_CODE_CHARS} characters")
    # Scanners and terminals may add a line end; space is a base45 character, so only CR/LF go.
    text = text.rstrip("\r\n")
    if not text.startswith(prefix):
        raise CodeRefused(Reason.BAD_PREFIX, f"the code does not start with {prefix!r}")
    try:
        data = b45decode(text[len(prefix) :])
    except ValueError as exc:
        raise CodeRefused(Reason.BAD_BASE45, str(exc)) from None
    return inflate(data, max_size=max_size)
