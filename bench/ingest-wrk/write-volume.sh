#!/usr/bin/env bash
# What the bot writes an ack: runs bench/ingest-wrk/run.sh and reads the bot's /proc/<pid>/io over 10 s of its wrk run.
# Usage: bench/ingest-wrk/write-volume.sh [run.sh options]; prints bytes and write calls an ack.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
log=$(mktemp)
"$root/bench/ingest-wrk/run.sh" "$@" > "$log" 2>&1 &
run=$!
until grep -q '^bot: wrk' "$log" 2>/dev/null; do
  kill -0 "$run" 2>/dev/null || { cat "$log"; exit 1; }
  sleep 0.2
done
pid=$(grep -oP '^bot \K[0-9]+(?= ready)' "$log")
read -r bytes0 calls0 < <(awk '/^wchar/{b=$2} /^syscw/{c=$2} END{print b, c}' "/proc/$pid/io")
sleep 10
read -r bytes1 calls1 < <(awk '/^wchar/{b=$2} /^syscw/{c=$2} END{print b, c}' "/proc/$pid/io")
wait "$run"
rate=$(grep -oP '^  [0-9,]+ ok = \K[0-9,]+(?=/s)' "$log" | tail -1 | tr -d ,)
grep -E 'ok =|ratio' "$log"
awk -v b=$((bytes1 - bytes0)) -v c=$((calls1 - calls0)) -v r="$rate" \
  'BEGIN { printf "written over 10 s: %.1f KB an ack, %.1f write calls an ack (at %d acks/s)\n", b / (r * 10) / 1024, c / (r * 10), r }'
