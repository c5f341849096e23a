#!/usr/bin/env bash
# wirecheck's translation side by side with the JS translators (README "Performance"): builds the
# native benchmark (native-release) and the Wasm one (wasm preset), installs the pinned peers
# (tests/bench/peers, npm ci), writes the shared corpus, then times
#   wirecheck native      Google Benchmark, median of 5 (+ allocations/op, 100 MB stream memory)
#   wirecheck Wasm        in node and in headless Chromium (js/run_wasm.mjs)
#   @musistudio/llms, @portkey-ai/gateway   in node (peers/run_peers.mjs)
# and prints the table with ratios to the fastest peer. Raw results: build/bench/compare.json.
# When the playground is built (./run test), it is rebuilt from the current code and its per-file
# sizes + budget (tests/e2e/budget.test.mjs) and first-frame time (tests/e2e/web_perf.mjs) are
# printed too.
#   tests/bench/compare.sh
#   WIRECHECK_COMPARE_RUNS=4 tests/bench/compare.sh   (medians of 4 runs and each ratio's range:
#                                                      README's table; ~2 minutes per run)
#   WIRECHECK_BENCH_BUILD=build/x WIRECHECK_WASM_BUILD=build/y tests/bench/compare.sh   (other dirs)
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${WIRECHECK_COMPARE_RUNS:-1}
native=${WIRECHECK_BENCH_BUILD:-build/native-release}
wasm=${WIRECHECK_WASM_BUILD:-build/wasm}
out=${WIRECHECK_COMPARE_OUT:-build/bench}
mkdir -p "$out/corpus"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
step() { echo "== $*" >&2; }

step "building wirecheck_bench ($native) and wirecheck_wasm_bench ($wasm)"
if ! { cmake --preset native-release -B "$native" && cmake --build "$native" --target wirecheck_bench -j2 &&
       cmake --preset wasm -B "$wasm" && cmake --build "$wasm" --target wirecheck_wasm_bench -j2; } >"$log" 2>&1; then
  tail -n 40 "$log"
  echo "build failed (libbenchmark-dev and emscripten: emsdk-config/setup.sh test)" >&2
  exit 1
fi
step "installing the peers (npm ci in tests/bench/peers)"
(cd tests/bench/peers && npm ci --ignore-scripts --no-audit --no-fund >"$log" 2>&1) || { tail -n 20 "$log"; exit 1; }
[ -d tests/e2e/node_modules/playwright-core ] ||
  (cd tests/e2e && npm ci --no-audit --no-fund >"$log" 2>&1) || { tail -n 20 "$log"; exit 1; }

"$native/tests/bench/wirecheck_bench" --corpus_out="$out/corpus"
rm -rf "$out"/run-*
dirs=()
for i in $(seq 1 "$runs"); do
  dir="$out/run-$i"
  mkdir -p "$dir"
  dirs+=("$dir")
  step "run $i of $runs: native (load average $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores)"
  "$native/tests/bench/wirecheck_bench" --benchmark_repetitions=5 \
    --benchmark_report_aggregates_only=true --benchmark_out="$dir/native.json" \
    --benchmark_out_format=json >"$log" 2>&1 || { cat "$log"; exit 1; }
  step "run $i of $runs: wirecheck Wasm in node and Chromium"
  node tests/bench/js/run_wasm.mjs "$wasm/tests/bench" "$out/corpus" >"$dir/wasm.json"
  step "run $i of $runs: peers in node"
  node tests/bench/peers/run_peers.mjs "$out/corpus" >"$dir/peers.json"
done

echo
node tests/bench/js/compare_table.mjs "$out" "${dirs[@]}"
echo
echo "load average at the end $(cut -d' ' -f1-3 /proc/loadavg); raw results: $out/compare.json"

if [ -f "$wasm/web/site/index.wasm" ]; then
  echo
  step "rebuilding the playground in $wasm (its figures must match the code)"
  cmake --build "$wasm" --target wirecheck_web wirecheck_web_assets -j2 >"$log" 2>&1 ||
    { tail -n 40 "$log"; exit 1; }
  step "playground transfer sizes and budget ($wasm/web/site)"
  WIRECHECK_WEB_ROOT="$PWD/$wasm/web/site" node --test tests/e2e/budget.test.mjs || true
  if [ -x build/native/cli/wirecheck ]; then
    step "playground first frame (tests/e2e/web_perf.mjs)"
    WIRECHECK_WEB_ROOT="$PWD/$wasm/web/site" node tests/e2e/web_perf.mjs || true
  fi
else
  echo "(playground not built in $wasm: sizes and first frame skipped; ./run test builds it)"
fi
