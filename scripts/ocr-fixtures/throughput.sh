#!/usr/bin/env bash
# Raw tesseract throughput on this machine: pages per minute at each resolution and raster of a
# built set, one engine at a time and two in parallel (each OMP_THREAD_LIMIT=1, nice -n 10), on
# the same special-provisions pages (the dense ones; cover pages read faster). Prints a Markdown
# table.
#
#   scripts/ocr-fixtures/throughput.sh [BUILT] [PAGES]   # default /tmp/provdiff-ocr-train, 8
#
# Text and TSV are made in one pass (`tesseract IMG OUT -l chi_sim txt tsv`), as build.sh does.
# Wall-clock figures depend on what else the machine runs (the load average is printed before
# and after); "CPU s/page" (user + system time of the engine, one engine at a time) does not,
# and 60 / it is what one free core reads per minute.
set -euo pipefail
built=${1:-/tmp/provdiff-ocr-train}
per=${2:-8}
[ -f "$built/manifest.tsv" ] || { echo "throughput.sh: $built is not a built set" >&2; exit 2; }

tmp=$(mktemp -d /tmp/provdiff-ocr-throughput.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

ocr_one() { OMP_THREAD_LIMIT=1 nice -n 10 tesseract "$1" "$2/$(basename "${1%.*}")" -l chi_sim txt tsv 2>/dev/null; }
export -f ocr_one
serial() { while read -r img; do ocr_one "$img" "$tmp/one"; done < "$tmp/list"; }

echo "machine: $(nproc) cores; $(tesseract --version 2>&1 | head -1); load before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| dpi | raster | pages | 1 engine: s | 1 engine: pages/min | CPU s/page | 2 engines: s | 2 engines: pages/min |"
echo "|---:|---|---:|---:|---:|---:|---:|---:|"
TIMEFORMAT='%R %U %S'
for dpi in $(tail -n +2 "$built/manifest.tsv" | cut -f4 | sort -un); do
  for raster in grey-jpeg bilevel-g4; do
    ext=jpg; [ "$raster" = bilevel-g4 ] && ext=tif
    # Pages 3 and 4 of the certificates scanned this way: special provisions, full pages.
    awk -F'\t' -v d="$dpi" -v r="$raster" 'NR > 1 && $4 == d && $5 == r { print $1 }' "$built/manifest.tsv" |
      while read -r stem; do ls "$built/pages/$stem"-[34].$ext 2>/dev/null || true; done |
      head -n "$per" > "$tmp/list" || true
    n=$(wc -l < "$tmp/list")
    [ "$n" -gt 0 ] || continue
    rm -rf "$tmp/one" "$tmp/two"; mkdir -p "$tmp/one" "$tmp/two"
    read -r real user sys < <({ time serial; } 2>&1)
    t1=$(date +%s.%N)
    xargs -a "$tmp/list" -P 2 -I{} bash -c 'ocr_one "$1" "$2"' _ {} "$tmp/two"
    t2=$(date +%s.%N)
    python3 - "$dpi" "$raster" "$n" "$real" "$user" "$sys" "$t1" "$t2" <<'EOF'
import sys
dpi, raster, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
real, user, sys_, t1, t2 = map(float, sys.argv[4:])
two = t2 - t1
print(f"| {dpi} | {raster} | {n} | {real:.1f} | {60 * n / real:.1f} | {(user + sys_) / n:.2f} "
      f"| {two:.1f} | {60 * n / two:.1f} |")
EOF
  done
done
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
