#!/usr/bin/env python3
"""Gathers a built set's per-page engine output into per-certificate files.

    collect.py OUT

For each certificate in OUT/manifest.tsv:
    OUT/ocr/STEM.txt        the pages' OCR text in page order, each page's text as the engine
                            wrote it (no form feed: tesseract puts one only between the pages
                            of a multi-page input, and every page here was read on its own)
    OUT/tsv/STEM.tsv        the pages' TSV rows under one header, page_num set to the page number
    OUT/textlayer/STEM-N.txt  `pdftotext` of page N of the text-layer PDF: what the page shows,
                            page furniture included, the reference the OCR is aligned to
and the page count in manifest.tsv and truth/STEM.json; OUT/ENGINE names the engine.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path


def engine_version() -> str:
    v = subprocess.run(["tesseract", "--version"], capture_output=True, text=True)
    first = (v.stdout or v.stderr).splitlines()[0].strip()
    data = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "tesseract-ocr-chi-sim"],
                          capture_output=True, text=True)
    chi = data.stdout.strip() if data.returncode == 0 else "unknown"
    psm = os.environ.get("PSM", "3")
    return f"{first}; chi_sim {chi}; --psm {psm}"


def pages_of(out: Path, stem: str) -> list[int]:
    nums = []
    for f in (out / "ocr-pages").glob(f"{stem}-*.tsv"):
        m = re.fullmatch(re.escape(stem) + r"-(\d+)\.tsv", f.name)
        if m:
            nums.append(int(m.group(1)))
    nums.sort()
    if nums != list(range(1, len(nums) + 1)):
        raise SystemExit(f"collect.py: {stem}: pages {nums} are not 1..N (OCR unfinished?)")
    return nums


def main() -> int:
    out = Path(sys.argv[1])
    rows = (out / "manifest.tsv").read_text(encoding="utf-8").splitlines()
    header = rows[0].split("\t")
    if "pages" not in header:
        header.append("pages")
    for sub in ("ocr", "tsv", "textlayer"):
        (out / sub).mkdir(exist_ok=True)
    engine = engine_version()
    (out / "ENGINE").write_text(engine + "\n", encoding="utf-8")
    new_rows = ["\t".join(header)]
    for row in rows[1:]:
        cols = row.split("\t")[: len(header) - 1]
        stem = cols[0]
        pages = pages_of(out, stem)
        text = []
        tsv = []
        for n in pages:
            text.append((out / "ocr-pages" / f"{stem}-{n}.txt").read_text(encoding="utf-8"))
            lines = (out / "ocr-pages" / f"{stem}-{n}.tsv").read_text(encoding="utf-8").splitlines()
            if not tsv:
                tsv.append(lines[0])
            for line in lines[1:]:
                f = line.split("\t")
                f[1] = str(n)
                tsv.append("\t".join(f))
            ref = out / "textlayer" / f"{stem}-{n}.txt"
            if not ref.exists():
                subprocess.run(["pdftotext", "-f", str(n), "-l", str(n),
                                str(out / "textpdf" / f"{stem}.pdf"), str(ref)], check=True)
        (out / "ocr" / f"{stem}.txt").write_text("".join(text), encoding="utf-8")
        (out / "tsv" / f"{stem}.tsv").write_text("\n".join(tsv) + "\n", encoding="utf-8")
        truth_path = out / "truth" / f"{stem}.json"
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        truth["print"]["pages"] = len(pages)
        truth["print"]["engine"] = engine
        truth_path.write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        new_rows.append("\t".join(cols + [str(len(pages))]))
    (out / "manifest.tsv").write_text("\n".join(new_rows) + "\n", encoding="utf-8")
    print(f"collect.py: {len(rows) - 1} certificates, engine {engine}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
