#!/usr/bin/env bash
# The import's throughput: a generated export (200 channels, 50,000 messages by default) imported into a new SQLite file,
# then again (which adds nothing), and into PostgreSQL when IMPORT_BENCH_POSTGRES is the connection string of an empty database.
# Usage: bench/import-export/run.sh [channels] [messages-per-channel]
set -euo pipefail
cd "$(dirname "$0")/../.."
channels=${1:-200}
per_channel=${2:-250}
work=$(mktemp -d -t incidentbot-import.XXXXXX)
trap 'rm -rf "$work"' EXIT

python3 bench/import-export/generate.py "$work/export" "$channels" "$per_channel"
dotnet build -c Release src/IncidentBot -v quiet -nologo >/dev/null
import() { dotnet run -c Release --no-build --project src/IncidentBot -- import-slack-export "$work/export" "$@" | tail -n 1; }

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg) on $(nproc) cores"
echo "SQLite, first run:  $(import --Storage:ConnectionString "Data Source=$work/bot.db")"
echo "SQLite, second run: $(import --Storage:ConnectionString "Data Source=$work/bot.db")"
if [ -n "${IMPORT_BENCH_POSTGRES:-}" ]; then
  echo "PostgreSQL:         $(import --Storage:Provider=postgres "--Storage:ConnectionString=$IMPORT_BENCH_POSTGRES")"
fi
