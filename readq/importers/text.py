"""Turning the raw bytes of an input into text, or a clear refusal."""

from __future__ import annotations

from readq.errors import NotText

# Large enough for any real export, small enough that a mistaken file (a
# video, a disk image) is refused before it is read into memory whole.
MAX_INPUT_BYTES = 256 * 1024 * 1024


def decode_input(data: bytes, name: str) -> str:
    """UTF-8 text (a BOM is fine) from ``data``, or NotText saying why not."""
    if not data or data.isspace():  # data.strip() would copy a whole file to check it
        raise NotText(f"{name} is empty: there is nothing to import.")
    if b"\x00" in data[:65536] or data.startswith(b"%PDF"):
        raise NotText(f"{name} is a binary file, not text: nothing was imported.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NotText(
            f"{name} is not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start}); "
            "convert it first, e.g. `iconv -f cp1252 -t utf-8`. Nothing was imported."
        ) from None
    if "\x00" in text:
        raise NotText(f"{name} is a binary file, not text: nothing was imported.")
    return text
