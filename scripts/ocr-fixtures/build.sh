#!/usr/bin/env bash
# Builds a set of OCR'd certificates from clean synthetic texts with a real engine: typesets each
# as an A4 licence in one of the four CJK fonts Debian ships, prints it to PDF with headless
# Chromium, rasterizes the pages (pdftoppm, 150-300 dpi; grey JPEG, or bilevel CCITT G4 for every
# third certificate), wraps them in an image-only PDF (img2pdf) and reads every page with
# tesseract chi_sim, as text and as TSV.
#
#   scripts/ocr-fixtures/build.sh train   [OUT]   # 40 certificates, seed 101 (/tmp/provdiff-ocr-train)
#   scripts/ocr-fixtures/build.sh eval    [OUT]   # 24 certificates, seed 202 (/tmp/provdiff-ocr-eval)
#   scripts/ocr-fixtures/build.sh fixture [OUT]   #  6 certificates, seed 304 (/tmp/provdiff-ocr-fixture)
#
# JOBS (default 2) engines run at once, each with OMP_THREAD_LIMIT=1 under nice -n 10, with
# tesseract's page segmentation mode PSM (default 4, as provdiff reads scans). A rerun into the
# same OUT resumes: pages already read with the same PSM are not read again. Everything but the
# engine's output is determined by the seed; see README.md for the layout of OUT.
#
# Needs: cargo, python3, chromium, poppler-utils, img2pdf, libtiff-tools, tesseract-ocr, tesseract-ocr-chi-sim,
# fonts-arphic-uming, fonts-arphic-ukai, fonts-wqy-zenhei, fonts-wqy-microhei.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

set_name=${1:-}
case "$set_name" in
  train)   seed=101; count=40; bilevel_mod=3 ;;
  eval)    seed=202; count=24; bilevel_mod=3 ;;
  fixture) seed=304; count=6;  bilevel_mod=2 ;;
  *) echo "usage: $0 train|eval|fixture [OUT]" >&2; exit 2 ;;
esac
out=${2:-/tmp/provdiff-ocr-$set_name}
jobs=${JOBS:-2}
quality=${QUALITY:-85}
psm=${PSM:-4}
export PSM=$psm

for tool in cargo python3 chromium pdftoppm pdftotext img2pdf tiffcp tesseract; do
  command -v "$tool" >/dev/null || { echo "build.sh: $tool is missing (see README.md)" >&2; exit 2; }
done
tesseract --list-langs 2>/dev/null | grep -qx chi_sim ||
  { echo "build.sh: tesseract has no chi_sim data (apt-get install tesseract-ocr-chi-sim)" >&2; exit 2; }

mkdir -p "$out"
log() { echo "build.sh [$set_name]: $*" >&2; }

# 1. Clean certificates: synth with every noise kind excluded (the list of kinds is taken from
#    synth itself, so a kind added later is excluded too). A few extra are drawn because
#    truncated certificates are skipped; the first N certificates do not depend on the count.
if [ ! -f "$out/synth/truth.jsonl" ]; then
  probe=$(mktemp -d)
  kinds=$(cd "$root" && { cargo run --quiet --example synth -- --count 1 --out "$probe" \
            --exclude '?' 2>&1 || true; } | sed -n 's/.*(known: \(.*\)).*/\1/p' | tr -d ' ')
  rm -rf "$probe"
  [ -n "$kinds" ] || { log "could not read the noise kinds from synth"; exit 1; }
  rm -rf "$out/synth"
  (cd "$root" && cargo run --quiet --example synth -- --count $((count + 10)) --seed "$seed" \
      --out "$out/synth" --exclude "$kinds")
fi

# 2. Clean text, truth and HTML per certificate; manifest.tsv says how each is printed.
python3 "$here/certificate.py" --synth "$out/synth" --out "$out" --prefix "$set_name" \
  --count "$count" --quality "$quality" --bilevel-mod "$bilevel_mod"

# 3. Print to PDF (text layer), rasterize, image-only PDF. A grey scan is a JPEG per page; a
#    bilevel one is thresholded as a scanner in black-and-white mode does (bilevel.py; pdftoppm's
#    own -mono dithers) and compressed with CCITT G4, as scanned PDFs of documents usually are.
profile=$(mktemp -d /tmp/provdiff-ocr-chromium.XXXXXX)
trap 'rm -rf "$profile"' EXIT
mkdir -p "$out/textpdf" "$out/pages" "$out/scan"
tail -n +2 "$out/manifest.tsv" | while IFS=$'\t' read -r stem _font _pkg dpi raster q _rest; do
  pdf="$out/textpdf/$stem.pdf"
  if [ ! -s "$pdf" ]; then
    nice -n 10 chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
      --disable-component-update --disable-sync --no-first-run --user-data-dir="$profile" \
      --no-pdf-header-footer --print-to-pdf="$pdf" "file://$out/html/$stem.html" 2>/dev/null
    [ -s "$pdf" ] || { log "chromium printed nothing for $stem"; exit 1; }
  fi
  if [ ! -s "$out/scan/$stem.pdf" ]; then
    rm -f "$out/pages/$stem"-*.jpg "$out/pages/$stem"-*.tif "$out/pages/$stem"-*.pgm
    case "$raster" in
      grey-jpeg) nice -n 10 pdftoppm -r "$dpi" -gray -jpeg -jpegopt "quality=$q" "$pdf" "$out/pages/$stem" ;;
      bilevel-g4)
        nice -n 10 pdftoppm -r "$dpi" -gray "$pdf" "$out/pages/$stem"
        for f in "$out/pages/$stem"-*.pgm; do
          python3 "$here/bilevel.py" "$f" "${f%.pgm}.raw.tif" --dpi "$dpi"
          tiffcp -c g4 "${f%.pgm}.raw.tif" "${f%.pgm}.tif"
          rm -f "$f" "${f%.pgm}.raw.tif"
        done ;;
      *) log "$stem: unknown raster $raster"; exit 1 ;;
    esac
    # pdftoppm pads page numbers to the page count's width (STEM-01); name them STEM-1, STEM-2…
    for f in "$out/pages/$stem"-*.*; do
      ext=${f##*.}; n=${f##*-}; n=${n%.*}; n=$((10#$n))
      [ "$f" = "$out/pages/$stem-$n.$ext" ] || mv "$f" "$out/pages/$stem-$n.$ext"
    done
    mapfile -t imgs < <(ls "$out/pages/$stem"-*.* | sort -V)
    img2pdf "${imgs[@]}" -o "$out/scan/$stem.pdf" >/dev/null 2>&1 || { log "img2pdf failed for $stem"; exit 1; }
  fi
done
log "printed and rasterized $(tail -n +2 "$out/manifest.tsv" | wc -l) certificates"

# 4. OCR every page image not read yet: text and TSV from one pass (the same output as
#    `tesseract IMG - -l chi_sim --psm PSM` and `... tsv`). Pages read with another PSM are read
#    again.
mkdir -p "$out/ocr-pages"
if [ "$(cat "$out/ocr-pages/PSM" 2>/dev/null || echo 3)" != "$psm" ]; then
  rm -f "$out"/ocr-pages/*.txt "$out"/ocr-pages/*.tsv
fi
echo "$psm" > "$out/ocr-pages/PSM"
todo=$(mktemp)
for img in "$out"/pages/*.jpg "$out"/pages/*.tif; do
  [ -e "$img" ] || continue
  base=$(basename "${img%.*}")
  [ -s "$out/ocr-pages/$base.tsv" ] || echo "$img"
done > "$todo"
log "OCR of $(wc -l < "$todo") pages with $jobs engines, --psm $psm"
start=$(date +%s)
xargs -a "$todo" -P "$jobs" -I{} sh -c \
  'b=$(basename "${1%.*}"); OMP_THREAD_LIMIT=1 nice -n 10 tesseract "$1" "$2/$b.part" -l chi_sim --psm "$PSM" txt tsv 2>/dev/null &&
   mv "$2/$b.part.txt" "$2/$b.txt" && mv "$2/$b.part.tsv" "$2/$b.tsv"' _ {} "$out/ocr-pages"
log "OCR took $(( $(date +%s) - start )) s"
rm -f "$todo"

# 5. Per certificate: the pages' text in page order, the TSVs, page counts; the engine version.
python3 "$here/collect.py" "$out"
log "done: $out"
