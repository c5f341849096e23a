#!/usr/bin/env bash
# Builds wirecheck_bench with the native-release preset and runs it: 5 repetitions per benchmark,
# aggregates only (median = the figure README "Performance" quotes), JSON in <build>/bench.json.
#   tests/bench/run.sh [Google Benchmark flags]    e.g. --benchmark_filter=Stream
#   WIRECHECK_BENCH_BUILD=build/other tests/bench/run.sh   (another build dir, same preset)
# Figures depend on machine load: the load average is printed with them.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${WIRECHECK_BENCH_BUILD:-build/native-release}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! { cmake --preset native-release -B "$build" &&
       cmake --build "$build" --target wirecheck_bench -j2; } >"$log" 2>&1; then
  tail -n 40 "$log"
  echo "building wirecheck_bench failed (it needs libbenchmark-dev: emsdk-config/setup.sh test)" >&2
  exit 1
fi
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores; $build"
"$build/tests/bench/wirecheck_bench" --benchmark_repetitions=5 \
  --benchmark_report_aggregates_only=true \
  --benchmark_out="$build/bench.json" --benchmark_out_format=json "$@" | tee "$log"

echo
echo "medians of 5; MB/s = 10^6 input bytes per CPU second:"
python3 - "$build/bench.json" <<'PY' || grep -E '_median ' "$log"
import json, sys
rows = [b for b in json.load(open(sys.argv[1]))["benchmarks"] if b.get("aggregate_name") == "median"]
print(f"  {'benchmark':<40} {'wall us':>9} {'cpu us':>9} {'MB/s':>8} {'input kB':>9}")
for b in rows:
    name = b["run_name"].removeprefix("BM_")
    mbs = b.get("bytes_per_second", 0) / 1e6
    print(f"  {name:<40} {b['real_time']:>9.0f} {b['cpu_time']:>9.0f} {mbs:>8.1f} "
          f"{b.get('input_bytes', 0) / 1e3:>9.0f}")
PY
echo "load average $(cut -d' ' -f1-3 /proc/loadavg) after the run; JSON: $build/bench.json"
