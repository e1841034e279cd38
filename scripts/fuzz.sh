#!/usr/bin/env bash
# `make fuzz`: builds FuzzTesting/ with libFuzzer and AddressSanitizer, replays every saved
# failure (FuzzTesting/FailCases/), then fuzzes each target for FUZZ_SECONDS (default 60).
# New corpus entries go to .build/fuzz-corpus/; the seeds in FuzzTesting/Corpus/ stay as they
# are. A crash is saved under FuzzTesting/FailCases/ so it can be committed and replayed.
set -euo pipefail
shopt -s nullglob
cd "$(dirname "$0")/../FuzzTesting"
seconds="${FUZZ_SECONDS:-60}"
# LeakSanitizer is off: Swift keeps indirect enum payloads behind pointers with tag bits set,
# which it cannot follow, so every flow's conditions (held for the life of the process) are
# reported as leaked. AddressSanitizer's memory errors and Swift's traps still stop a run.
options=(-rss_limit_mb=2048 -detect_leaks=0)
export ASAN_OPTIONS="detect_leaks=0${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
flags=(-c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library)
swift build "${flags[@]}"
bin="$(swift build "${flags[@]}" --show-bin-path)"
mkdir -p FailCases
for target in FuzzConversation FuzzInbound FuzzVerdict; do
  failures=(FailCases/"$target"-*)
  if ((${#failures[@]} > 0)); then
    echo "fuzz: $target, replaying ${#failures[@]} saved failure(s)"
    "$bin/$target" "${options[@]}" "${failures[@]}"
  fi
  corpus="../.build/fuzz-corpus/$target"
  log="../.build/fuzz-corpus/$target.log"
  mkdir -p "$corpus"
  echo "fuzz: $target for $seconds s (log: .build/fuzz-corpus/$target.log)"
  status=0
  dictionary=(); [ -f "$target.dict" ] && dictionary=(-dict="$target.dict")
  "$bin/$target" "${options[@]}" "${dictionary[@]}" -max_total_time="$seconds" -max_len=4096 -print_final_stats=1 \
    -artifact_prefix="FailCases/$target-" "$corpus" "Corpus/$target" >"$log" 2>&1 || status=$?
  grep -E "stat::number_of_executed_units|stat::peak_rss_mb|SUMMARY|Fatal error|Test unit written" "$log" | sed 's/^/  /' || true
  if ((status != 0)); then
    echo "fuzz: $target failed (exit $status); the input is in FuzzTesting/FailCases/, the log in .build/fuzz-corpus/" >&2
    exit 1
  fi
done
