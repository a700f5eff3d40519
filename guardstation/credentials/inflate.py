"""Bounded decompression for credential payloads: a QR code of a few kB must not inflate into gigabytes."""

from __future__ import annotations

import zlib


class InflateError(ValueError):
    """The payload is not one complete stream of the expected kind within the size limit."""


def inflate_bounded(data: bytes, *, limit: int, raw: bool = False) -> bytes:
    """zlib (DCC) or raw DEFLATE (SMART Health Cards), at most `limit` bytes, nothing before or after."""
    name = "raw DEFLATE" if raw else "zlib"
    inflater = zlib.decompressobj(wbits=-15 if raw else 15)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error:
        raise InflateError(f"not {name}-compressed") from None
    if len(out) > limit or inflater.unconsumed_tail:
        raise InflateError(f"inflates beyond {limit} bytes (more than {limit})")
    if not inflater.eof:
        raise InflateError(f"{name} stream is truncated (cut short)")
    if inflater.unused_data:
        raise InflateError(f"data after the end of the {name} stream")
    return out
