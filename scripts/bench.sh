#!/usr/bin/env bash
# Benchmarks provdiff against the floor of just reading the bytes, on generated corpora of
# 10^4 and 10^5 certificates (kept outside the repository), and prints medians and ratios.
#
#   scripts/bench.sh                 # both sizes; corpora under $BENCH_DIR (default /tmp/provdiff-bench)
#   SIZES="10000" scripts/bench.sh   # one size
#
# Needs ripgrep, hyperfine and GNU time (Debian: apt-get install ripgrep hyperfine time).
set -euo pipefail
cd "$(dirname "$0")/.."

BENCH_DIR=${BENCH_DIR:-/tmp/provdiff-bench}
SIZES=${SIZES:-"10000 100000"}
RUNS=${RUNS:-5}
mkdir -p "$BENCH_DIR"
for tool in rg hyperfine /usr/bin/time; do
  command -v "$tool" >/dev/null || { echo "bench.sh: $tool is missing (apt-get install ripgrep hyperfine time)" >&2; exit 2; }
done

cargo build --release --quiet --bin provdiff --example synth
bin=target/release/provdiff
synth=target/release/examples/synth
out="$BENCH_DIR/results"
mkdir -p "$out"

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(uname -sr)"
echo "provdiff $($bin --version | cut -d' ' -f2), $(rg --version | sed -n 1p), $(hyperfine --version)"

median() { python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"]; print(" ".join("%.4f" % x["median"] for x in r))' "$1"; }

for n in $SIZES; do
  dir="$BENCH_DIR/corpus-$n"
  if [ ! -f "$dir/truth.jsonl" ]; then
    rm -rf "$dir"
    $synth --count "$n" --out "$dir" --seed 1
  fi
  bytes=$(du -sb --exclude=truth.jsonl "$dir" | cut -f1)
  files=$(find "$dir" -name '*.txt' | wc -l)
  # Warm the page cache so both sides read from memory.
  find "$dir" -name '*.txt' -print0 | xargs -0 cat > /dev/null
  hyperfine --style none --warmup 1 --runs "$RUNS" -i --export-json "$out/drift-$n.json" \
    -n "rg -c 、" "rg -c 、 --glob '*.txt' $dir" \
    -n "provdiff drift" "$bin drift $dir --format json" \
    -n "provdiff scan" "$bin scan $dir --format jsonl" \
    -n "provdiff drift (table)" "$bin drift $dir" >/dev/null
  read -r rg_t drift_t scan_t table_t < <(median "$out/drift-$n.json")
  /usr/bin/time -v "$bin" drift "$dir" --format json > /dev/null 2> "$out/time-$n.txt" || true
  rss_kb=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$out/time-$n.txt")
  python3 - "$n" "$files" "$bytes" "$rg_t" "$drift_t" "$scan_t" "$rss_kb" "$table_t" <<'PY' | tee "$out/summary-$n.txt"
import sys
n, files, size, rg, drift, scan, rss, table = sys.argv[1:]
size, rg, drift, scan, rss, table = int(size), float(rg), float(drift), float(scan), int(rss), float(table)
print(f"\n{n} certificates ({files} files, {size/2**20:.0f} MiB)")
print(f"  rg -c 、          median {rg:8.3f} s")
print(f"  provdiff drift    median {drift:8.3f} s   = {drift/rg:.1f}x ripgrep (JSON)")
print(f"  provdiff drift    median {table:8.3f} s   = {table/rg:.1f}x ripgrep (table, the default)")
print(f"  provdiff scan     median {scan:8.3f} s   = {size/2**20/scan:.0f} MiB/s")
print(f"  drift peak memory {rss/1024:8.0f} MiB")
PY
done

if [ -f "$out/drift-10000.json" ] && [ -f "$out/drift-100000.json" ]; then
  python3 - "$out" <<'PY'
import json, sys
m = lambda n: json.load(open(f"{sys.argv[1]}/drift-{n}.json"))["results"][1]["median"]
print(f"\nscaling: drift over 10^5 costs {m(100000)/m(10000):.1f}x drift over 10^4")
PY
fi

a=$(ls corpus/000_*.txt); b=$(ls corpus/003_*.txt)
hyperfine --style none --warmup 3 --runs 50 -N -i --export-json "$out/compare.json" \
  -n "provdiff compare" "$bin compare $a $b --format json" \
  -n "git diff --word-diff" "git diff --no-index --word-diff-regex=. $a $b" >/dev/null
read -r cmp_t git_t < <(median "$out/compare.json")
python3 -c "import sys; c,g=map(float,sys.argv[1:]); print(f'\ncompare 000 vs 003: provdiff median {c*1000:.1f} ms, git word diff {g*1000:.1f} ms ({c/g:.2f}x)')" "$cmp_t" "$git_t"
