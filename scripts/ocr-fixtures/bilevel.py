#!/usr/bin/env python3
"""A grey page image (binary PGM, as `pdftoppm -gray` writes it) to a bilevel one, thresholded
the way a scanner in black-and-white mode does (pdftoppm -mono dithers the anti-aliased glyph
edges instead, which no scanner does and which compresses badly).

    bilevel.py IN.pgm OUT.tif|OUT.png [--threshold 160] [--dpi 200]

OUT.tif: uncompressed 1-bit TIFF (compress it with `tiffcp -c g4`); OUT.png: 1-bit PNG.
"""

from __future__ import annotations

import argparse
import struct
import sys
import zlib
from pathlib import Path


def read_pgm(path: Path) -> tuple[int, int, bytes]:
    data = path.read_bytes()
    fields: list[bytes] = []
    pos = 0
    while len(fields) < 4:
        while data[pos : pos + 1].isspace():
            pos += 1
        if data[pos : pos + 1] == b"#":
            pos = data.index(b"\n", pos) + 1
            continue
        end = pos
        while not data[end : end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b"P5" or int(fields[3]) != 255:
        raise SystemExit(f"bilevel.py: {path}: not an 8-bit binary PGM")
    width, height = int(fields[1]), int(fields[2])
    pixels = data[pos + 1 : pos + 1 + width * height]
    if len(pixels) != width * height:
        raise SystemExit(f"bilevel.py: {path}: truncated")
    return width, height, pixels


def pack_rows(width: int, height: int, pixels: bytes, threshold: int, black: str) -> list[bytes]:
    """Rows of packed bits, MSB first, padded to whole bytes; `black` is the bit for ink."""
    white = "1" if black == "0" else "0"
    table = bytes((ord(black) if v < threshold else ord(white)) for v in range(256))
    pad = (-width) % 8
    nbytes = (width + pad) // 8
    rows = []
    for y in range(height):
        bits = pixels[y * width : (y + 1) * width].translate(table).decode() + "0" * pad
        rows.append(int(bits, 2).to_bytes(nbytes, "big"))
    return rows


def write_tiff(path: Path, width: int, height: int, rows: list[bytes], dpi: int) -> None:
    body = b"".join(rows)
    entries = [
        (256, 4, 1, width),  # ImageWidth
        (257, 4, 1, height),  # ImageLength
        (258, 3, 1, 1),  # BitsPerSample
        (259, 3, 1, 1),  # Compression: none
        (262, 3, 1, 0),  # Photometric: WhiteIsZero (1 = ink)
        (273, 4, 1, 0),  # StripOffsets, patched below
        (277, 3, 1, 1),  # SamplesPerPixel
        (278, 4, 1, height),  # RowsPerStrip
        (279, 4, 1, len(body)),  # StripByteCounts
        (282, 5, 1, 0),  # XResolution, patched below
        (283, 5, 1, 0),  # YResolution
        (296, 3, 1, 2),  # ResolutionUnit: inch
    ]
    ifd_offset = 8
    ifd_size = 2 + 12 * len(entries) + 4
    res_offset = ifd_offset + ifd_size
    data_offset = res_offset + 16
    out = bytearray(b"II*\x00" + struct.pack("<I", ifd_offset))
    out += struct.pack("<H", len(entries))
    for tag, typ, count, value in entries:
        if tag == 273:
            value = data_offset
        if tag in (282, 283):
            value = res_offset + (0 if tag == 282 else 8)
        if typ == 3:
            out += struct.pack("<HHIHH", tag, typ, count, value, 0)
        else:
            out += struct.pack("<HHII", tag, typ, count, value)
    out += struct.pack("<I", 0)
    out += struct.pack("<IIII", dpi, 1, dpi, 1)
    out += body
    path.write_bytes(bytes(out))


def write_png(path: Path, width: int, height: int, rows: list[bytes], dpi: int) -> None:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\x00" + r for r in rows)
    ppm = round(dpi / 0.0254)
    png = b"\x89PNG\r\n\x1a\n"
    png += chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0))
    png += chunk(b"pHYs", struct.pack(">IIB", ppm, ppm, 1))
    png += chunk(b"IDAT", zlib.compress(raw, 9))
    png += chunk(b"IEND", b"")
    path.write_bytes(png)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("input", type=Path)
    ap.add_argument("output", type=Path)
    ap.add_argument("--threshold", type=int, default=160, help="grey levels below it are ink")
    ap.add_argument("--dpi", type=int, required=True)
    args = ap.parse_args()
    width, height, pixels = read_pgm(args.input)
    if args.output.suffix == ".png":
        # PNG greyscale: 0 is black.
        write_png(args.output, width, height, pack_rows(width, height, pixels, args.threshold, "0"), args.dpi)
    else:
        write_tiff(args.output, width, height, pack_rows(width, height, pixels, args.threshold, "1"), args.dpi)
    return 0


if __name__ == "__main__":
    sys.exit(main())
