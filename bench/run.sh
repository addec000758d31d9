#!/usr/bin/env bash
# Runs the end-to-end and statistics benchmarks in one go and prints how
# time grows with the number of cases. Absolute numbers depend on the
# machine; compare ratios from the same run.
#
#   bench/run.sh            # 3 runs of each benchmark
#   COUNT=6 bench/run.sh    # more runs, for benchstat
set -euo pipefail
cd "$(dirname "$0")/.."
count=${COUNT:-3}
out=$(mktemp)
go test -run '^$' -bench 'Compare|BootstrapRatio' -benchmem -count "$count" ./internal/cli ./stats | tee "$out"
echo
echo "== scaling (median ns/op relative to the smallest size)"
awk '/^BenchmarkCompare[0-9]+/ {
  name=$1; sub(/-[0-9]+$/, "", name); v[name]=v[name] " " $3
} END {
  for (n in v) print n, v[n]
}' "$out" | sort -V | awk '
{ split($0, a, " "); n=0; delete xs; for (i=2; i<=length(a); i++) if (a[i] != "") xs[++n]=a[i];
  asort(xs); med=xs[int((n+1)/2)]; if (NR==1) base=med;
  printf "%-28s %14.0f ns/op  x%.1f\n", a[1], med, med/base }'
rm -f "$out"
