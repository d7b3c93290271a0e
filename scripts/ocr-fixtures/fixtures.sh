#!/usr/bin/env bash
# Copies the small outputs the tests need from a built fixture set into tests/fixtures/ocr/:
# every certificate's clean text, truth, OCR text and TSV; the text-layer PDFs and the
# image-only PDFs that fit in MAX_BYTES; one bilevel certificate's pages as STEM-1.png, STEM-2.png…
#
#   scripts/ocr-fixtures/build.sh fixture            # builds /tmp/provdiff-ocr-fixture
#   scripts/ocr-fixtures/fixtures.sh [BUILT] [DEST]  # default DEST tests/fixtures/ocr
#
# Which files: TEXT_PDFS and SCAN_PDFS (stems, space-separated) and PAGES (one stem); by default
# the text-layer PDFs of the WenQuanYi certificates (the AR PL fonts embed past 300 KB) and the
# image-only PDFs of the bilevel ones. Refuses any file over MAX_BYTES (default 300 KB).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
built=${1:-/tmp/provdiff-ocr-fixture}
dest=${2:-$root/tests/fixtures/ocr}
max=${MAX_BYTES:-307200}

[ -f "$built/manifest.tsv" ] && [ -d "$built/ocr" ] ||
  { echo "fixtures.sh: $built is not a built set (run build.sh fixture)" >&2; exit 2; }

col() { head -1 "$built/manifest.tsv" | tr '\t' '\n' | grep -nx "$1" | cut -d: -f1; }
stems_where() {  # stems whose column $1 matches the regex $2
  awk -F'\t' -v c="$(col "$1")" -v re="$2" 'NR > 1 && $c ~ re { print $1 }' "$built/manifest.tsv"
}
text_pdfs=${TEXT_PDFS:-$(stems_where font '^WenQuanYi')}
scan_pdfs=${SCAN_PDFS:-$(stems_where raster '^bilevel')}
pages=${PAGES:-$(echo "$scan_pdfs" | head -1)}

rm -rf "$dest"/{clean,truth,ocr,tsv,textpdf,scan,pages}
mkdir -p "$dest"/{clean,truth,ocr,tsv,textpdf,scan,pages}
cp "$built/manifest.tsv" "$built/ENGINE" "$dest/"
for stem in $(tail -n +2 "$built/manifest.tsv" | cut -f1); do
  cp "$built/clean/$stem.txt" "$dest/clean/"
  cp "$built/truth/$stem.json" "$dest/truth/"
  cp "$built/ocr/$stem.txt" "$dest/ocr/"
  cp "$built/tsv/$stem.tsv" "$dest/tsv/"
done
for stem in $text_pdfs; do cp "$built/textpdf/$stem.pdf" "$dest/textpdf/"; done
for stem in $scan_pdfs; do cp "$built/scan/$stem.pdf" "$dest/scan/"; done

# The page images of one bilevel certificate as 1-bit PNGs: the same bitmaps as its G4 pages
# (same render, same threshold), so their OCR is ocr/STEM.txt.
if [ -n "$pages" ]; then
  dpi=$(awk -F'\t' -v s="$pages" -v c="$(col dpi)" '$1 == s { print $c }' "$built/manifest.tsv")
  tmp=$(mktemp -d)
  pdftoppm -r "$dpi" -gray "$built/textpdf/$pages.pdf" "$tmp/p"
  for f in "$tmp"/p-*.pgm; do
    n=${f##*-}; n=$((10#${n%.pgm}))
    python3 "$here/bilevel.py" "$f" "$dest/pages/$pages-$n.png" --dpi "$dpi"
  done
  rm -rf "$tmp"
fi

too_big=$(find "$dest" -type f -size +"${max}"c)
if [ -n "$too_big" ]; then
  echo "fixtures.sh: over $max bytes:" >&2; echo "$too_big" >&2; exit 1
fi
echo "fixtures.sh: $(find "$dest" -type f | wc -l) files, $(du -sh "$dest" | cut -f1) in $dest" >&2
