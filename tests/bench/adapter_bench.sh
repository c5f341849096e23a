#!/usr/bin/env bash
# Builds wirecheck_adapter_bench with the native-release preset and runs it: what the adapters of
# `wirecheck serve --upstream` add over loopback (README "Performance"). Prints markdown tables.
#   tests/bench/adapter_bench.sh [--requests 300] [--clients 200] [--events 200] [--pace-ms 5]
#   WIRECHECK_BENCH_BUILD=build/other tests/bench/adapter_bench.sh   (another build dir)
# Figures depend on machine load: the load average is printed with them. Exit code 1 if a request
# failed or a stream lost an event.
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${WIRECHECK_BENCH_BUILD:-build/native-release}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! { cmake --preset native-release -B "$build" &&
       cmake --build "$build" --target wirecheck_adapter_bench -j2; } >"$log" 2>&1; then
  tail -n 40 "$log"
  echo "building wirecheck_adapter_bench failed" >&2
  exit 1
fi
exec "$build/tests/bench/wirecheck_adapter_bench" "$@"
