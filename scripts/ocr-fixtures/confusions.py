#!/usr/bin/env python3
"""Learns the engine's confusions from a built set and prints the table and a summary.

    confusions.py TRAIN_OUT [--min-count 2] [--table FILE] [--top 40]

Each page's OCR text (OUT/ocr-pages/STEM-N.txt) is aligned to what the page shows
(OUT/textlayer/STEM-N.txt, pdftotext of the text-layer PDF), both in provdiff's normalized
form (NFKC width folding, whitespace removed), with a minimum edit-distance alignment. Each run
of differences between two matching stretches is an edit; an edit is counted only when at
least CONTEXT matching characters stand on each side (so a stretch the engine lost or
reordered does not pair unrelated characters) and it is short:

    sub    one character read as another (覆 -> 履); an edit of n substitutions counts n
    punct  a sub where both sides are punctuation or symbols (( -> 〈, 、 -> `)
    ins    one character added by the engine
    del    one character dropped by the engine
    multi  one or two characters read as one or two others, not one of the above (十 -> +-)

The table (pairs seen at least --min-count times) goes to --table (default: stdout); the
summary (character error rate per font and dpi, top confusions) to stderr.
"""

from __future__ import annotations

import argparse
import collections
import re
import sys
import unicodedata
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from textalign import align, normalize  # noqa: E402

CONTEXT = 2
SHORT_FONT = {
    "AR PL UMing CN": "uming",
    "AR PL UKai CN": "ukai",
    "WenQuanYi Zen Hei": "zenhei",
    "WenQuanYi Micro Hei": "microhei",
}


def is_punct(c: str) -> bool:
    return not unicodedata.category(c).startswith(("L", "N"))


def edits(pairs: list[tuple[str, str]]):
    """(source, ocr, reliable) for each run of differences."""
    i = 0
    n = len(pairs)
    while i < n:
        if pairs[i][0] == pairs[i][1]:
            i += 1
            continue
        j = i
        while j < n and pairs[j][0] != pairs[j][1]:
            j += 1
        before = i >= CONTEXT and all(pairs[k][0] == pairs[k][1] for k in range(i - CONTEXT, i))
        after = j + CONTEXT <= n and all(pairs[k][0] == pairs[k][1] for k in range(j, j + CONTEXT))
        yield pairs[i:j], before and after
        i = j


def classify(run: list[tuple[str, str]]):
    """The table rows one edit contributes: (kind, source, ocr)."""
    src = "".join(s for s, _ in run)
    ocr = "".join(o for _, o in run)
    if all(s and o for s, o in run) and len(run) <= 3:
        return [("punct" if is_punct(s) and is_punct(o) else "sub", s, o) for s, o in run]
    if not src and len(ocr) == 1:
        return [("ins", "", ocr)]
    if not ocr and len(src) == 1:
        return [("del", src, "")]
    if len(src) <= 2 and len(ocr) <= 2:
        return [("multi", src, ocr)]
    return None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--min-count", type=int, default=2)
    ap.add_argument("--table", type=Path)
    ap.add_argument("--top", type=int, default=40)
    args = ap.parse_args()
    out = args.out

    engine = (out / "ENGINE").read_text(encoding="utf-8").strip()
    rows = [r.split("\t") for r in (out / "manifest.tsv").read_text(encoding="utf-8").splitlines()]
    head, rows = rows[0], rows[1:]
    col = {name: k for k, name in enumerate(head)}

    counts: collections.Counter = collections.Counter()
    where: dict = collections.defaultdict(lambda: (collections.Counter(), collections.Counter()))
    src_chars: collections.Counter = collections.Counter()
    total_src = 0
    refs: list[str] = []
    cer = collections.defaultdict(lambda: [0, 0])  # (font, dpi, part) -> [errors, source chars]
    unreliable = [0, 0]  # edits, characters
    long_edits = [0, 0]
    pages = 0
    for r in rows:
        stem, font, dpi = r[col["stem"]], SHORT_FONT[r[col["font"]]], int(r[col["dpi"]])
        for n in range(1, int(r[col["pages"]]) + 1):
            ref_raw = (out / "textlayer" / f"{stem}-{n}.txt").read_text(encoding="utf-8")
            ref = normalize(ref_raw)
            ocr = normalize((out / "ocr-pages" / f"{stem}-{n}.txt").read_text(encoding="utf-8"))
            pairs = align(ref, ocr)
            pages += 1
            errors = sum(1 for s, o in pairs if s != o)
            part = "provisions" if "特别规定事项" in ref and not re.search(r"附\s*页", ref_raw) and n > 1 else "cover"
            raster = r[col["raster"]]
            for key in ((font, dpi, part), (font, dpi, "all"), (font, "all", "all"), ("all", dpi, "all"),
                        ("all", "all", part), ("all", "all", "all"), ("raster", raster, "all")):
                cer[key][0] += errors
                cer[key][1] += len(ref)
            src_chars.update(ref)
            refs.append(ref)
            total_src += len(ref)
            for run, reliable in edits(pairs):
                size = max(sum(1 for s, _ in run if s), sum(1 for _, o in run if o))
                if not reliable:
                    unreliable[0] += 1
                    unreliable[1] += size
                    continue
                got = classify(run)
                if got is None:
                    long_edits[0] += 1
                    long_edits[1] += size
                    continue
                for key in got:
                    counts[key] += 1
                    fonts, dpis = where[key]
                    fonts[font] += 1
                    dpis[dpi] += 1

    fonts_used = sorted({SHORT_FONT[r[col["font"]]] for r in rows})
    dpis_used = sorted({int(r[col["dpi"]]) for r in rows})
    rasters_used = sorted({r[col["raster"]] for r in rows})
    kept = [(k, c) for k, c in counts.items() if c >= args.min_count]
    kept.sort(key=lambda kc: (-kc[1], kc[0]))

    def occurrences(kind: str, src: str) -> int:
        if not src:
            return total_src
        if len(src) == 1:
            return src_chars[src]
        return sum(ref.count(src) for ref in refs)

    def spread(c: collections.Counter) -> str:
        return ",".join(f"{k}:{v}" for k, v in sorted(c.items(), key=lambda kv: (-kv[1], str(kv[0]))))

    lines = [
        f"# OCR confusions of {engine}, learned from {len(rows)} certificates ({pages} pages) typeset by",
        f"# scripts/ocr-fixtures (fonts {', '.join(fonts_used)}; {', '.join(map(str, dpis_used))} dpi; "
        f"{' and '.join(rasters_used)} scans).",
        "# Rebuild: scripts/ocr-fixtures/build.sh train && "
        "scripts/ocr-fixtures/confusions.py /tmp/provdiff-ocr-train --table data/ocr-confusions.tsv",
        "# Both texts in provdiff's normalized form (NFKC, whitespace removed); pairs seen at least "
        f"{args.min_count} times.",
        "# kind: sub (one character read as another), punct (a sub between punctuation/symbols),",
        "#   ins (a character the engine added; source empty), del (a character it dropped; ocr empty),",
        "#   multi (one or two characters read as one or two others).",
        "# count: times seen; source_occurrences: times the source text occurs in the pages read",
        "#   (for an insertion: all source characters); fonts, dpis: where it was seen (value:count).",
        "kind\tsource\tocr\tcount\tsource_occurrences\tengine\tfonts\tdpis",
    ]
    for (kind, src, ocr), c in kept:
        fonts, dpis = where[(kind, src, ocr)]
        lines.append("\t".join([kind, src, ocr, str(c), str(occurrences(kind, src)), engine,
                                spread(fonts), spread(dpis)]))
    table = "\n".join(lines) + "\n"
    if args.table:
        args.table.parent.mkdir(parents=True, exist_ok=True)
        args.table.write_text(table, encoding="utf-8")
    else:
        sys.stdout.write(table)

    e = sys.stderr
    print(f"{len(rows)} certificates, {pages} pages, {total_src} source characters; engine {engine}", file=e)
    print("character error rate (edit distance / source characters), all pages:", file=e)
    print("  font \\ dpi " + "".join(f"{d:>9}" for d in dpis_used) + "      all", file=e)
    for f in fonts_used + ["all"]:
        cells = []
        for d in dpis_used + ["all"]:
            err, n = cer.get((f, d, "all"), (0, 0))
            cells.append(f"{100 * err / n:8.2f}%" if n else "        -")
        print(f"  {f:<11}" + " ".join(cells), file=e)
    for part in ("cover", "provisions"):
        err, n = cer[("all", "all", part)]
        print(f"  {part} pages: {100 * err / max(n, 1):.2f}% ({err} / {n})", file=e)
    for raster in rasters_used:
        err, n = cer[("raster", raster, "all")]
        print(f"  {raster} scans: {100 * err / max(n, 1):.2f}% ({err} / {n})", file=e)
    print("provisions pages only:", file=e)
    for f in fonts_used:
        cells = []
        for d in dpis_used:
            err, n = cer.get((f, d, "provisions"), (0, 0))
            cells.append(f"{100 * err / n:8.2f}%" if n else "        -")
        print(f"  {f:<11}" + " ".join(cells), file=e)
    counted = sum(counts.values())
    print(f"edits counted: {counted}; left out: {unreliable[0]} without {CONTEXT} matching characters "
          f"each side ({unreliable[1]} chars), {long_edits[0]} longer edits ({long_edits[1]} chars)", file=e)
    print(f"top {args.top} confusions (kind source -> ocr: count / source occurrences):", file=e)
    for (kind, src, ocr), c in sorted(counts.items(), key=lambda kc: (-kc[1], kc[0]))[: args.top]:
        print(f"  {kind:<6} {src or '∅'!s:>3} -> {ocr or '∅'!s:<3} {c:5d} / {occurrences(kind, src)}", file=e)
    return 0


if __name__ == "__main__":
    sys.exit(main())
