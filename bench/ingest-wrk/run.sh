#!/usr/bin/env bash
# Ingest throughput of the bot against the bare signature-checking endpoint, with one light client (wrk),
# in one run: builds the benchmark and the bot in Release, starts the fake Slack, the bot (SQLite file in a
# temp folder) and the baseline process on 127.0.0.1, pre-signs unique message events, warms both up, runs
# wrk against each for the same time, then a steady open-loop 2,000 events/s run for the ack p99.
# Bounded: the whole run is stopped after 15 minutes at the latest (a normal one takes about 2).
# Options go to the benchmark (see --help under "--wrk"), e.g.: bench/ingest-wrk/run.sh --wrk-seconds 20
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
if ! command -v wrk >/dev/null; then
  echo "wrk is not installed: apt-get update && apt-get install -y wrk" >&2
  exit 1
fi
dotnet build -c Release "$root/bench/IncidentBot.Bench" -nologo -v quiet
exec timeout --kill-after=15s 15m dotnet "$root/bench/IncidentBot.Bench/bin/Release/net10.0/IncidentBot.Bench.dll" \
  --wrk --wrk-script "$root/bench/ingest-wrk/replay.lua" "$@"
