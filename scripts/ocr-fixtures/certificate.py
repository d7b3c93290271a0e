#!/usr/bin/env python3
"""Clean synthetic certificates to printable pages.

Reads a corpus written by `examples/synth` with every noise kind excluded (clean text plus
truth.jsonl) and writes, for each certificate that is not truncated:

    OUT/clean/STEM.txt   the certificate text as printed (full-width punctuation, one paragraph
                         a line), a valid provdiff input whose provisions are the truth
    OUT/truth/STEM.json  synth's truth record plus how the page was made (font, dpi, quality)
    OUT/html/STEM.html   the A4 page set Chromium prints
    OUT/manifest.tsv     one row per certificate: stem, font, dpi, raster (grey JPEG or bilevel
                         CCITT G4), jpeg quality, page numbering, …

Fonts rotate over the four CJK fonts Debian ships and the resolution over 150-300 dpi so that
every four consecutive certificates use four fonts and every sixteen all font x dpi pairs.

    certificate.py --synth DIR --out OUT --prefix train --count 40 [--quality 85] [--bilevel-mod 3]
"""

from __future__ import annotations

import argparse
import html
import json
import re
import sys
from pathlib import Path

FONTS = [
    # (family as fontconfig names it, Debian package)
    ("AR PL UMing CN", "fonts-arphic-uming"),
    ("AR PL UKai CN", "fonts-arphic-ukai"),
    ("WenQuanYi Zen Hei", "fonts-wqy-zenhei"),
    ("WenQuanYi Micro Hei", "fonts-wqy-microhei"),
]
DPIS = [150, 200, 250, 300]

# Half-width punctuation as synth's normalized text writes it, and the full-width form printed
# on a licence (NFKC folds each back).
FULL = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "!": "！", "?": "？"})


def full(s: str) -> str:
    return s.translate(FULL)


def iso_to_cn(iso: str) -> str:
    y, m, d = iso.split("-")
    return f"{y}年{m}月{d}日"


def paragraphs(text: str) -> list[list[str]]:
    """Blank-line separated groups of lines."""
    out: list[list[str]] = []
    cur: list[str] = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            if cur:
                out.append(cur)
                cur = []
            continue
        cur.append(line)
    if cur:
        out.append(cur)
    return out


def split_label(line: str) -> tuple[str, str]:
    label, _, value = line.partition(":")
    return label.strip(), value.strip()


class Cert:
    """What the clean synth text says, grouped the way a licence prints it."""

    def __init__(self, text: str, truth: dict):
        self.truth = truth
        self.license_no = truth["license_no"]
        self.company = truth["company"]
        self.ministry = truth["issuer"] == "工业和信息化部"
        self.fields: list[tuple[str, list[str]]] = []  # cover rows: label, value lines
        self.signatory: str | None = None
        self.appendix_intro: str | None = None
        self.appendix_business: list[tuple[str, str]] = []  # heading, note
        self.website_intro: str | None = None
        self.website: list[tuple[str, str]] = []
        self.grant = ""
        self._parse(paragraphs(text))

    def _parse(self, paras: list[list[str]]) -> None:
        i = 0
        # Cover: title, number, grant sentence, then fields up to the signatory and dates.
        while not paras[i][0].startswith("根据"):
            i += 1
        self.grant = paras[i][0]
        i += 1
        business: list[str] = []
        while True:
            p = paras[i]
            head = p[0]
            if head.startswith(("签发人", "发证机关")):
                break
            label, value = split_label(head)
            if label in ("公司名称", "法定代表人", "注册资本", "注册住所"):
                self.fields.append((label, [value]))
            else:
                business.extend(p)
            i += 1
        if paras[i][0].startswith("签发人"):
            self.signatory = paras[i + 1][0].replace(" ", "")
            i += 2
        else:
            i += 1
        self._business(business)
        # Dates are printed from the truth, so skip them; then the optional appendix.
        while not paras[i][0].startswith("经营许可证编号"):
            i += 1
        if len(paras) > i + 1 and paras[i + 1][0].startswith("中华人民共和国"):
            i += 2
            while not paras[i][0].startswith("经营许可证编号"):
                p = paras[i]
                if p[0].endswith("服务项目") and len(p) > 1:
                    self.appendix_intro = p[0] + p[1]
                elif p[0].endswith("相关信息") and len(p) == 1:
                    self.website_intro = p[0]
                elif ": " in p[0] and len(p) == 1:
                    self.website.append(split_label(p[0]))
                else:
                    self.appendix_business.append((p[0], "".join(p[1:])))
                i += 1

    def _business(self, lines: list[str]) -> None:
        """Cover rows for the business types, whichever way synth laid them out."""
        kinds: list[str] = []
        coverage = None
        see_appendix = False
        for line in lines:
            if line.startswith("业务覆盖范围:"):
                coverage = split_label(line)[1]
                continue
            if "见附页" in line:
                see_appendix = True
                continue
            for prefix in ("业务种类:", "及覆盖范围:", "业务种类", "(服务项目)"):
                if line.startswith(prefix):
                    line = line[len(prefix):]
                    break
            if line:
                kinds.append(line)
        if see_appendix or not kinds:
            self.fields.append(("业务种类（服务项目）及覆盖范围", ["见附页"]))
        elif coverage is not None:
            # The ministry's layout: the type and its qualifier, then the coverage.
            joined: list[str] = []
            for k in kinds:
                if k.startswith("(") and joined:
                    joined[-1] += k
                else:
                    joined.append(k)
            self.fields.append(("业务种类（服务项目）", joined))
            self.fields.append(("业务覆盖范围", [coverage]))
        else:
            self.fields.append(("业务种类（服务项目）及覆盖范围", kinds))

    # The numbered provisions with their printed labels.
    def provisions(self) -> list[tuple[str, str, bool]]:
        out = []
        for p in self.truth["provisions"]:
            pid = p["id"]
            m = re.fullmatch(r"(.+)\((.+)\)", pid)
            if m:
                out.append((f"（{m.group(2)}）", p["text"], True))
            else:
                out.append((f"{pid}、", p["text"], False))
        return out

    def clean_text(self) -> str:
        """The certificate as printed, one paragraph a line, blank lines between."""
        t = self.truth
        lines = ["中华人民共和国增值电信业务经营许可证", f"经营许可证编号：{self.license_no}", full(self.grant)]
        for label, values in self.fields:
            lines.append(f"{label}：" + "".join(full(v) for v in values))
        lines.append(f"签发人：{self.signatory}" if self.signatory else "发证机关（盖章）：")
        lines.append(f"发证日期：{iso_to_cn(t['issued'])}")
        lines.append(f"有效期至：{iso_to_cn(t['expires'])}")
        if self.appendix_intro or self.website:
            lines += [f"经营许可证编号：{self.license_no}", "中华人民共和国增值电信业务经营许可证", "（附页）"]
            if self.appendix_intro:
                lines.append(full(self.appendix_intro))
                for head, note in self.appendix_business:
                    lines += [full(head), full(note)]
            if self.website_intro:
                lines.append(full(self.website_intro))
            for label, value in self.website:
                lines.append(f"{label}：{value}")
        lines += [f"经营许可证编号：{self.license_no}", "特别规定事项", full(t["preamble"])]
        for label, text, _ in self.provisions():
            lines.append(label + full(text))
        return "\n\n".join(lines) + "\n"

    def html(self, font: str, page_numbers: str) -> str:
        t = self.truth
        e = html.escape
        rows = []
        for label, values in self.fields:
            rows.append(
                f'<tr><th>{e(label)}</th><td>{"<br>".join(e(full(v)) for v in values)}</td></tr>'
            )
        sign = (
            f'<p class="sign">签发人：{e(self.signatory)}</p>'
            if self.signatory
            else '<p class="sign">发证机关（盖章）：</p>'
        )
        cover = f"""
<section class="cover">
  <p class="country">中华人民共和国</p>
  <h1>增值电信业务经营许可证</h1>
  <p class="number">经营许可证编号：{e(self.license_no)}</p>
  <p class="grant">{e(full(self.grant))}</p>
  <table class="fields">{''.join(rows)}</table>
  {sign}
  <p class="date">发证日期：{iso_to_cn(t['issued'])}</p>
  <p class="date">有效期至：{iso_to_cn(t['expires'])}</p>
</section>"""
        appendix = ""
        if self.appendix_intro or self.website:
            parts = [
                f'<p class="runhead">经营许可证编号：{e(self.license_no)}</p>',
                '<h2>中华人民共和国增值电信业务经营许可证<br><span class="sub">（附页）</span></h2>',
            ]
            if self.appendix_intro:
                parts.append(f'<p class="intro">{e(full(self.appendix_intro))}</p>')
                for head, note in self.appendix_business:
                    parts.append(f'<p class="biz">{e(full(head))}</p><p class="note">{e(full(note))}</p>')
            if self.website_intro:
                parts.append(f'<p class="intro">{e(full(self.website_intro))}</p>')
            if self.website:
                cells = "".join(
                    f"<tr><th>{e(label)}</th><td>{e(value)}</td></tr>" for label, value in self.website
                )
                parts.append(f'<table class="site">{cells}</table>')
            appendix = '<section class="appendix">' + "".join(parts) + "</section>"
        provs = "".join(
            f'<p class="{"sub" if sub else "top"}">{e(label)}{e(full(text))}</p>'
            for label, text, sub in self.provisions()
        )
        body = f"""
<section class="body">
<table class="flow">
  <thead><tr><td>
    <p class="runhead">经营许可证编号：{e(self.license_no)}</p>
    <h2>特别规定事项</h2>
  </td></tr></thead>
  <tbody><tr><td>
    <p class="preamble">{e(full(t['preamble']))}</p>
    {provs}
  </td></tr></tbody>
</table>
</section>"""
        numbers = {
            "none": "",
            "dashed": '@page body { @bottom-center { content: "- " counter(page) " -"; } }',
            "of": '@page body { @bottom-center { content: "第 " counter(page) " 页 共 " counter(pages) " 页"; } }',
        }[page_numbers]
        return f"""<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{e(self.license_no)}</title>
<style>
@page {{ size: A4; margin: 24mm 25mm 22mm 27mm; }}
@page body {{ @bottom-center {{ font-family: "{font}"; font-size: 10.5pt; }} }}
{numbers}
html {{ font-family: "{font}"; font-size: 12pt; color: #111; }}
p {{ margin: 0; }}
.cover, .appendix {{ break-after: page; }}
.cover .country {{ text-align: center; font-size: 20pt; letter-spacing: 0.4em; margin-top: 6mm; }}
.cover h1 {{ text-align: center; font-size: 27pt; letter-spacing: 0.12em; margin: 4mm 0 10mm; }}
.cover .number {{ text-align: right; font-size: 13pt; margin-bottom: 8mm; }}
.cover .grant {{ text-indent: 2em; line-height: 1.9; text-align: justify; margin-bottom: 8mm; }}
.fields {{ border-collapse: collapse; width: 100%; line-height: 1.8; margin-bottom: 16mm; }}
.fields th {{ width: 36%; text-align: left; vertical-align: top; font-weight: normal; padding: 2.5mm 4mm 2.5mm 0; }}
.fields td {{ vertical-align: top; padding: 2.5mm 0; }}
.sign {{ margin: 0 0 6mm 55%; }}
.date {{ margin: 0 0 3mm 55%; }}
.runhead {{ font-size: 10.5pt; text-align: right; margin-bottom: 4mm; }}
h2 {{ text-align: center; font-size: 16pt; font-weight: bold; margin: 2mm 0 6mm; letter-spacing: 0.1em; }}
h2 .sub {{ font-size: 13pt; font-weight: normal; }}
.appendix .intro {{ line-height: 1.9; margin: 4mm 0 3mm; }}
.appendix .biz {{ line-height: 1.9; margin-top: 2mm; }}
.appendix .note {{ line-height: 1.9; text-indent: 2em; }}
.site {{ border-collapse: collapse; width: 100%; margin-top: 4mm; line-height: 1.8; }}
.site th, .site td {{ border: 1px solid #333; padding: 2mm 3mm; text-align: left; font-weight: normal; }}
.site th {{ width: 34%; }}
.body {{ page: body; }}
.flow {{ border-collapse: collapse; width: 100%; }}
.flow td {{ padding: 0; }}
.preamble, .top, .sub {{ text-indent: 2em; text-align: justify; line-height: 1.75; margin-bottom: 1.2mm; }}
</style></head>
<body>{cover}{appendix}{body}</body></html>
"""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--synth", type=Path, required=True, help="clean synth output (with truth.jsonl)")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--prefix", required=True, help="stem prefix, e.g. train, eval, fix")
    ap.add_argument("--count", type=int, required=True, help="certificates to take (truncated ones skipped)")
    ap.add_argument("--quality", type=int, default=85, help="JPEG quality of the page images")
    ap.add_argument("--dpis", default=",".join(map(str, DPIS)), help="resolutions to rotate over")
    ap.add_argument("--bilevel-mod", type=int, default=3,
                    help="certificate i is scanned bilevel (CCITT G4) when i %% MOD == MOD - 1, else grey JPEG")
    args = ap.parse_args()
    dpis = [int(d) for d in args.dpis.split(",")]

    for sub in ("clean", "truth", "html"):
        (args.out / sub).mkdir(parents=True, exist_ok=True)
    manifest = ["stem\tfont\tfont_package\tdpi\traster\tjpeg_quality\tpage_numbers\tlicense_no\tprovisions\tsynth_path"]
    taken = 0
    for line in (args.synth / "truth.jsonl").read_text(encoding="utf-8").splitlines():
        if taken == args.count:
            break
        truth = json.loads(line)
        if truth["truncated"]:
            continue  # a certificate cut mid-provision is not a printed page set
        i = taken
        taken += 1
        text = (args.synth / truth["path"]).read_text(encoding="utf-8")
        cert = Cert(text, truth)
        font, package = FONTS[i % len(FONTS)]
        dpi = dpis[(i % len(FONTS) + i // len(FONTS)) % len(dpis)]
        numbers = ["none", "of", "dashed"][(i // 2) % 3]
        raster = "bilevel-g4" if i % args.bilevel_mod == args.bilevel_mod - 1 else "grey-jpeg"
        quality = args.quality if raster == "grey-jpeg" else "-"
        stem = f"{args.prefix}{i:02d}_{Path(truth['path']).stem.split('_')[1][:8]}"
        record = dict(truth)
        record["path"] = f"clean/{stem}.txt"
        record["synth_path"] = truth["path"]
        record["print"] = {"font": font, "font_package": package, "dpi": dpi, "raster": raster,
                           "jpeg_quality": quality, "page_numbers": numbers}
        (args.out / "clean" / f"{stem}.txt").write_text(cert.clean_text(), encoding="utf-8")
        (args.out / "truth" / f"{stem}.json").write_text(
            json.dumps(record, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        (args.out / "html" / f"{stem}.html").write_text(cert.html(font, numbers), encoding="utf-8")
        manifest.append("\t".join(map(str, [stem, font, package, dpi, raster, quality, numbers,
                                            truth["license_no"], len(truth["provisions"]), truth["path"]])))
    if taken < args.count:
        print(f"certificate.py: only {taken} usable certificates in {args.synth}", file=sys.stderr)
        return 1
    (args.out / "manifest.tsv").write_text("\n".join(manifest) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
