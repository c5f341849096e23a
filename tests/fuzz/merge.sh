#!/usr/bin/env bash
# Minimises the checked-in corpora: for each target, libFuzzer's -merge=1 keeps the smallest set of
# inputs that covers everything in the current corpus, fresh seeds (make_seeds.py) and what
# run.sh found (build/native-asan/fuzz/new/<target>). Review `git status tests/fuzz/corpus` after.
#   tests/fuzz/merge.sh [target...]
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=build/native-asan/tests/fuzz
work=build/native-asan/fuzz
all=(json sse chat_codec responses_codec messages_codec translate_request translate_response
     translate_stream probe_run scenario_profile)
if (($#)); then targets=("$@"); else targets=("${all[@]}"); fi
rm -rf "$work/seeds"
python3 tests/fuzz/make_seeds.py "$work/seeds" >/dev/null
for t in "${targets[@]}"; do
  corpus=tests/fuzz/corpus/$t merged=$work/merged/$t
  rm -rf "$merged" && mkdir -p "$merged" "$corpus" "$work/new/$t" "$work/seeds/$t"
  "$bin/fuzz_$t" -merge=1 -max_len=16384 -timeout=10 -rss_limit_mb=2048 "$merged" \
    "$corpus" "$work/seeds/$t" "$work/new/$t" >"$work/merge-$t.log" 2>&1 ||
    { tail -n 20 "$work/merge-$t.log"; exit 1; }
  rm -rf "$corpus" && mv "$merged" "$corpus"
  echo "$t: $(ls "$corpus" | wc -l) inputs, $(du -sk "$corpus" | cut -f1) KB"
done
