#!/usr/bin/env bash
# OCR throughput of provdiff against tesseract run by hand on the same pages: pages per minute
# with as many engines as cores (each OMP_THREAD_LIMIT=1, --psm 4, text and TSV), provdiff scan
# with an empty cache and with a warm one, and provdiff scan of the same certificates' OCR text.
# Everything under nice -n 10; wall-clock figures depend on what else the machine runs (the
# load average is printed), CPU figures (user + system) do not.
#
#   scripts/ocr-fixtures/scan_throughput.sh [BUILT] [COUNT] [PROVDIFF]
#   # default /tmp/provdiff-ocr-train, 8 certificates, target/release/provdiff
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
built=${1:-/tmp/provdiff-ocr-train}
count=${2:-8}
provdiff=$(realpath "${3:-$root/target/release/provdiff}")
jobs=$(nproc)
[ -f "$built/manifest.tsv" ] || { echo "scan_throughput.sh: $built is not a built set" >&2; exit 2; }
work=$(mktemp -d /tmp/provdiff-scan-throughput.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work"/{pdfs,pages,txt,hand}
for f in $(ls "$built/scan" | head -n "$count"); do
  stem=${f%.pdf}
  cp "$built/scan/$f" "$work/pdfs/"
  cp "$built/pages/$stem"-* "$work/pages/"
  cp "$built/ocr/$stem.txt" "$work/txt/"
done
cd "$work"
pages=$(ls pages | wc -l)
echo "$count certificates, $pages pages; $jobs cores; $(tesseract --version 2>&1 | head -1)"
TIMEFORMAT='%R %U %S'
measure() {  # label, command...: one table row
  local label=$1; shift
  local load; load=$(cut -d' ' -f1 /proc/loadavg)
  read -r real user sys < <({ time "$@" >/dev/null 2>&1; } 2>&1)
  python3 - "$label" "$pages" "$real" "$user" "$sys" "$load" <<'PY'
import sys
label, pages = sys.argv[1], int(sys.argv[2])
real, user, sys_, load = map(float, sys.argv[3:])
print(f"| {label} | {real:.2f} | {60 * pages / real:.1f} | {user + sys_:.2f} | {60 * pages / max(user + sys_, 1e-9):.1f} | {load:.1f} |")
PY
}
hand() {
  ls pages/* | xargs -P "$jobs" -I{} sh -c \
    'OMP_THREAD_LIMIT=1 nice -n 10 tesseract "$1" "hand/$(basename "$1")" -l chi_sim --psm 4 txt tsv 2>/dev/null' _ {}
}
scan() { nice -n 10 "$provdiff" scan -q -j "$jobs" --format jsonl "$@"; }
echo
echo "| run | wall s | pages/min (wall) | CPU s | pages/min per CPU-minute | load before |"
echo "|---|---:|---:|---:|---:|---:|"
measure "tesseract by hand, $jobs at a time" hand
measure "provdiff scan, empty cache" scan --cache-dir cache pdfs -o cold.jsonl
measure "tesseract by hand, again" hand
measure "provdiff scan, warm cache" scan --cache-dir cache pdfs -o warm.jsonl
measure "provdiff scan of the OCR text" scan txt -o text.jsonl
cmp -s cold.jsonl warm.jsonl && echo && echo "cold and warm cache give the same output"
