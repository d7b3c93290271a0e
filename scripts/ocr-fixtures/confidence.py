#!/usr/bin/env python3
"""How often tesseract misreads a character, by the confidence of the word it belongs to: the
figures behind provdiff's UNCERTAIN_BELOW (src/model.rs).

    confidence.py [BUILT] [PAGES]     # default /tmp/provdiff-ocr-train, 60 pages

Each page's OCR words (ocr-pages/*.tsv) are normalized as provdiff compares text and aligned
to the page's text layer (textlayer/*.txt) by a minimum edit-distance alignment
(textalign.py); an OCR character is misread when it is aligned to another character or to
none. Prints the share misread per band of confidence, and for each threshold the share of
characters below it, how many of those are misread, and the share of all misread characters
they hold.
"""

from __future__ import annotations

import glob
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from textalign import align, normalize  # noqa: E402


def main() -> int:
    built = sys.argv[1] if len(sys.argv) > 1 else "/tmp/provdiff-ocr-train"
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 60
    pages = sorted(glob.glob(f"{built}/ocr-pages/*.tsv"))[:count]
    rows: list[tuple[float, bool]] = []
    for tsv in pages:
        base = os.path.basename(tsv)[:-4]
        with open(f"{built}/textlayer/{base}.txt", encoding="utf-8") as f:
            ref = f.read()
        chars: list[str] = []
        confs: list[float] = []
        with open(tsv, encoding="utf-8") as f:
            for line in f.read().splitlines()[1:]:
                cols = line.split("\t")
                if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
                    continue
                for c in normalize(cols[11]):
                    chars.append(c)
                    confs.append(float(cols[10]))
        k = 0
        for src, ocr in align(normalize(ref), "".join(chars)):
            if ocr:
                rows.append((confs[k], src != ocr))
                k += 1
    n = len(rows)
    wrong = sum(w for _, w in rows)
    print(f"{len(pages)} pages, {n} characters, {wrong} misread ({100 * wrong / n:.2f}%)")
    for lo in range(0, 100, 10):
        band = [w for c, w in rows if lo <= c < lo + 10]
        if band:
            print(f"confidence {lo:2d}-{lo + 10:3d}: {len(band):6d} characters, {100 * sum(band) / len(band):5.1f}% misread")
    for t in (30, 40, 50, 60, 70, 75, 80, 85, 90):
        below = [w for c, w in rows if c < t]
        print(f"below {t}: {100 * len(below) / n:4.1f}% of the characters, {100 * sum(below) / max(1, len(below)):4.1f}% "
              f"of them misread, {100 * sum(below) / max(1, wrong):4.1f}% of the misread")
    return 0


if __name__ == "__main__":
    sys.exit(main())
