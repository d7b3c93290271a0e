#!/usr/bin/env python3
"""What the engine's output looks like where segmentation cares: provision labels, blank
lines and page furniture, over a built set.

    noise_report.py OUT [--examples 12]

Labels: every provision label of the truth (`四、`, `(八)`) is found in the page text it was
printed on and followed through the alignment to the OCR text; the report counts how labels
come out (as printed, changed, lost) and whether the OCR line still starts with them.
Blank lines: how many OCR lines end a paragraph of the source versus end a wrapped line, and
how often each is followed by a blank line. Lost lines: source lines the engine did not read.
Furniture: how the repeated page header (licence number) and the page numbers were read.
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
from pathlib import Path

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, str(Path(__file__).resolve().parent))
from textalign import align, normalize  # noqa: E402


FURNITURE = re.compile(r"编号|规定事项|^第?\d+页|^-\d+-$")
PAGE_NUMBER = re.compile(r"第\d+页共\d+页|-\d+-")


def label_of(pid: str) -> str:
    m = re.fullmatch(r"(.+)\((.+)\)", pid)
    return f"({m.group(2)})" if m else f"{pid}、"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--examples", type=int, default=12)
    args = ap.parse_args()
    out = args.out
    rows = [r.split("\t") for r in (out / "manifest.tsv").read_text(encoding="utf-8").splitlines()]
    head, rows = rows[0], rows[1:]
    col = {name: k for k, name in enumerate(head)}

    outcome = collections.Counter()
    changed = collections.Counter()
    at_line_start = collections.Counter()
    blank_after = collections.Counter()  # (kind of line end, followed by blank?) -> n
    furniture = collections.Counter()
    examples: list[str] = []
    lost: list[str] = []
    moved: list[str] = []
    for r in rows:
        stem = r[col["stem"]]
        truth = json.loads((out / "truth" / f"{stem}.json").read_text(encoding="utf-8"))
        pages = int(r[col["pages"]])
        page_numbers = r[col["page_numbers"]]
        ref_pages = [(out / "textlayer" / f"{stem}-{n}.txt").read_text(encoding="utf-8") for n in range(1, pages + 1)]
        ocr_pages = [(out / "ocr-pages" / f"{stem}-{n}.txt").read_text(encoding="utf-8") for n in range(1, pages + 1)]
        # Where each provision starts: label plus the first characters of its text.
        wanted = [(label_of(p["id"]), normalize(p["text"])[:6]) for p in truth["provisions"]]
        w = 0
        for ref_raw, ocr_raw in zip(ref_pages, ocr_pages):
            ref = normalize(ref_raw)
            # OCR characters with the raw line each came from.
            ocr_chars: list[str] = []
            ocr_line: list[int] = []
            ocr_line_first: list[bool] = []
            lines = ocr_raw.split("\n")
            for li, line in enumerate(lines):
                norm = normalize(line)
                for k, c in enumerate(norm):
                    ocr_chars.append(c)
                    ocr_line.append(li)
                    ocr_line_first.append(k == 0)
            pairs = align(ref, "".join(ocr_chars))
            # Map each ref index to the OCR indexes aligned with it.
            ref_to_ocr: list[list[int]] = [[] for _ in ref]
            ri = oi = 0
            last_ref = -1
            for s, o in pairs:
                if s:
                    if o:
                        ref_to_ocr[ri].append(oi)
                    last_ref = ri
                    ri += 1
                    if o:
                        oi += 1
                else:
                    if last_ref >= 0:
                        ref_to_ocr[last_ref].append(oi)
                    oi += 1
            pos = 0
            label_starts = set()
            while w < len(wanted):
                label, start = wanted[w]
                k = ref.find(label + start, pos)
                if k < 0:
                    break
                idx = sorted({j for i in range(k, k + len(label)) for j in ref_to_ocr[i]})
                got = "".join(ocr_chars[j] for j in idx)
                first_ocr = ref_to_ocr[k + len(label)] if k + len(label) < len(ref) else []
                line_start = bool(idx) and ocr_line_first[idx[0]]
                if got == label:
                    outcome["as printed"] += 1
                elif not got.strip("、,.`'()〈〉《》/") or all(c in "、,.`'()〈〉《》/|" for c in got):
                    outcome["numeral lost"] += 1
                    changed[(label, got)] += 1
                else:
                    outcome["changed"] += 1
                    changed[(label, got)] += 1
                at_line_start[line_start or (not idx and bool(first_ocr) and ocr_line_first[first_ocr[0]])] += 1
                if got != label and len(examples) < 400:
                    li = ocr_line[idx[0]] if idx else (ocr_line[first_ocr[0]] if first_ocr else None)
                    shown = lines[li].strip()[:28] if li is not None else "?"
                    examples.append(f"{stem} p{ref_pages.index(ref_raw) + 1}: {label}{start}… -> {shown}")
                pos = k + len(label)
                label_starts.add(k)
                w += 1
            # Blank lines: an OCR line ends a paragraph when the source text after it starts a
            # provision label or is only the page number; otherwise it ends a wrapped line.
            ocr_to_ref: list[int] = []  # for each OCR index, the source index after it
            ri = 0
            for s_, o_ in pairs:
                if s_:
                    ri += 1
                if o_:
                    ocr_to_ref.append(ri)
            for li, line in enumerate(lines):
                js = [j for j in range(len(ocr_chars)) if ocr_line[j] == li]
                if not js or FURNITURE.search(normalize(line)):
                    continue
                after = ocr_to_ref[js[-1]]
                rest = ref[after:]
                ends = after in label_starts or not rest or PAGE_NUMBER.fullmatch(rest)
                nxt = lines[li + 1] if li + 1 < len(lines) else ""
                blank_after[("paragraph end" if ends else "wrapped line", nxt.strip() == "")] += 1
            # Source lines the engine lost: fewer than half of their characters read right where
            # the alignment puts them, and not found elsewhere on the page either (moved).
            matched = [s_ == o_ for s_, o_ in pairs if s_]
            ocr_text = "".join(ocr_chars)
            pos = 0
            for line in ref_raw.split("\n"):
                nl = normalize(line)
                n = len(nl)
                if n and sum(matched[pos : pos + n]) < n / 2:
                    where = f"{stem} p{ref_pages.index(ref_raw) + 1}: {line.strip()[:30]}"
                    (moved if nl in ocr_text else lost).append(where)
                pos += n
            # Furniture: the page header (licence number) and the page number as read.
            text_lines = [ln.strip() for ln in lines if ln.strip()]
            lic = truth["license_no"]
            for ln in text_lines[:3]:
                n = normalize(ln)
                if "编号" in n or lic[-8:] in n:
                    furniture["header: " + n.replace(lic, "<licence no>")] += 1
            if page_numbers != "none" and ref_pages.index(ref_raw) > 0:
                tail = [normalize(ln) for ln in text_lines[-2:]]
                got = [t for t in tail if re.search(r"\d", t) and len(t) < 12]
                furniture["page number: " + (re.sub(r"\d", "9", got[-1]) if got else "(not read)")] += 1
        if w < len(wanted):
            outcome["not found in the text layer"] += len(wanted) - w

    print(f"labels ({sum(outcome.values())}):", dict(outcome))
    print(f"  OCR line starts with the label's reading: {at_line_start[True]}, not: {at_line_start[False]}")
    print("  changed readings:")
    for (label, got), n in sorted(changed.items(), key=lambda kv: (-kv[1], kv[0]))[:40]:
        print(f"    {label} -> {got or '∅'!s}  x{n}")
    print("  examples:")
    for e in examples[: args.examples]:
        print("    " + e)
    print("line ends:")
    for (kind, blank), n in sorted(blank_after.items()):
        print(f"  {kind:<14} followed by {'a blank line' if blank else 'text':<13} {n}")
    print(f"source lines read elsewhere on the page (reading order changed): {len(moved)}")
    for e in moved[: args.examples]:
        print("    " + e)
    print(f"source lines lost (under half their characters read, not found elsewhere): {len(lost)}")
    for e in lost[: args.examples]:
        print("    " + e)
    print("furniture as read (page numbers with digits as 9):")
    for f, n in furniture.most_common(30):
        print(f"  {n:4d}  {f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
