"""Character alignment of OCR output to its source text, in provdiff's normalized form.

normalize(): NFKC (full-width punctuation, digits and letters to half-width; `、。《》“”`
unchanged), whitespace and control characters removed, as provdiff compares provision text.
align(): a true minimum edit-distance alignment (unit costs; on ties a substitution is
preferred to an insertion plus a deletion), as a list of (source, ocr) pairs where a missing
side is ''.
"""

from __future__ import annotations

import unicodedata


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(c for c in text if not c.isspace() and unicodedata.category(c) not in ("Cc", "Cf"))


def align(src: str, ocr: str) -> list[tuple[str, str]]:
    """Minimum edit-distance alignment of two strings."""
    # Common prefix and suffix cost nothing and shrink the table.
    p = 0
    while p < len(src) and p < len(ocr) and src[p] == ocr[p]:
        p += 1
    s_end, o_end = len(src), len(ocr)
    while s_end > p and o_end > p and src[s_end - 1] == ocr[o_end - 1]:
        s_end -= 1
        o_end -= 1
    a, b = src[p:s_end], ocr[p:o_end]
    n, m = len(a), len(b)
    # Backpointers, one bytearray per row: 0 diagonal, 1 up (deletion), 2 left (insertion).
    back = [bytearray(m + 1) for _ in range(n + 1)]
    for j in range(1, m + 1):
        back[0][j] = 2
    prev = list(range(m + 1))
    for i in range(1, n + 1):
        ai = a[i - 1]
        cur = [i] + [0] * m
        row = back[i]
        row[0] = 1
        left = i
        for j in range(1, m + 1):
            diag = prev[j - 1] + (ai != b[j - 1])
            up = prev[j] + 1
            ins = left + 1
            if diag <= up and diag <= ins:
                left = diag
            elif up <= ins:
                left = up
                row[j] = 1
            else:
                left = ins
                row[j] = 2
            cur[j] = left
        prev = cur
    pairs: list[tuple[str, str]] = []
    i, j = n, m
    while i > 0 or j > 0:
        d = back[i][j]
        if d == 0:
            pairs.append((a[i - 1], b[j - 1]))
            i -= 1
            j -= 1
        elif d == 1:
            pairs.append((a[i - 1], ""))
            i -= 1
        else:
            pairs.append(("", b[j - 1]))
            j -= 1
    pairs.reverse()
    head = [(c, c) for c in src[:p]]
    tail = [(c, c) for c in src[s_end:]]
    return head + pairs + tail


def distance(pairs: list[tuple[str, str]]) -> int:
    return sum(1 for s, o in pairs if s != o)
