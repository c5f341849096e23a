#!/usr/bin/env bash
# Runs every libFuzzer target for a bounded time, one after another, starting from the checked-in
# corpus (tests/fuzz/corpus/<target>, read only). New inputs go to a scratch dir under the build
# tree; crashes, timeouts, leaks and OOMs are saved to build/native-asan/fuzz/artifacts/.
#   tests/fuzz/run.sh [seconds-per-target] [target...]     (default 30 s, every target)
# Prints per target: executions, exec/s, coverage, new inputs, crashes. Exits non-zero on any
# crash, timeout, leak or OOM. Build first: cmake --preset native-asan && cmake --build --preset native-asan
set -uo pipefail
cd "$(dirname "$0")/../.."
seconds=${1:-30}
shift || true
bin=build/native-asan/tests/fuzz
work=build/native-asan/fuzz
all=(json sse chat_codec responses_codec messages_codec translate_request translate_response
     translate_stream probe_run scenario_profile)
if (($#)); then targets=("$@"); else targets=("${all[@]}"); fi

# Dictionary per target: its protocol's tokens plus SSE framing; translation and probing see all.
dict_for() {
  case $1 in
    sse) echo sse ;;
    json) echo "chat responses messages" ;;
    chat_codec) echo "chat sse" ;;
    responses_codec) echo "responses sse" ;;
    messages_codec) echo "messages sse" ;;
    scenario_profile) echo "scenario chat responses messages" ;;
    *) echo "chat responses messages sse" ;;
  esac
}

mkdir -p "$work/artifacts"
printf '%-20s %12s %9s %8s %8s %s\n' target executions exec/s cov new_inputs result
passed=0 failed=0
for t in "${targets[@]}"; do
  exe="$bin/fuzz_$t"
  if [[ ! -x "$exe" ]]; then echo "$t: $exe not built" >&2; failed=$((failed + 1)); continue; fi
  scratch="$work/new/$t" log="$work/$t.log" dict="$work/$t.dict"
  mkdir -p "$scratch" "tests/fuzz/corpus/$t"
  for d in $(dict_for "$t"); do cat "tests/fuzz/dict/$d.dict"; done >"$dict"
  "$exe" "$scratch" "tests/fuzz/corpus/$t" -max_total_time="$seconds" -timeout=10 \
    -rss_limit_mb=2048 -max_len=16384 -dict="$dict" -print_final_stats=1 \
    -artifact_prefix="$work/artifacts/$t-" >"$log" 2>&1
  rc=$?
  execs=$(grep -oE 'stat::number_of_executed_units: +[0-9]+' "$log" | grep -oE '[0-9]+$' || true)
  rate=$(grep -oE 'stat::average_exec_per_sec: +[0-9]+' "$log" | grep -oE '[0-9]+$' || true)
  new=$(grep -oE 'stat::new_units_added: +[0-9]+' "$log" | grep -oE '[0-9]+$' || true)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n1 | grep -oE '[0-9]+' || true)
  if [[ $rc == 0 ]]; then
    result=ok; passed=$((passed + 1))
  else
    result="FAILED (exit $rc): $(grep -m1 -oE 'ERROR: [A-Za-z]+: [^ ]+( [^ ]+)?|ALARM: .*|invariant broken: .*' "$log" || echo see log)"
    failed=$((failed + 1))
  fi
  printf '%-20s %12s %9s %8s %8s %s\n' "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" "${new:-?}" "$result"
  if [[ $rc != 0 ]]; then
    grep -E 'Test unit written|SUMMARY' "$log" | sed 's/^/    /'
    echo "    log: $log"
  fi
done
echo "fuzz: $passed targets passed, $failed failed (${seconds} s each)"
[[ $failed == 0 ]]
