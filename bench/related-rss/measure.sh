#!/bin/bash
# RSS of the bot idle, after the local model loaded, and after it was unloaded for idleness.
set -u
cd "$(dirname "$0")/../.."
DB=/tmp/incidentbot-rss-$$.db
PORT=5391
export Storage__ConnectionString="Data Source=$DB" Api__Keys__0=rss-measure-key-0123456789 Logging__LogLevel__Default=None
export Assistant__LocalEmbeddingsIdleUnload=00:00:30 ASPNETCORE_URLS=http://127.0.0.1:$PORT
dotnet build -c Release src/IncidentBot -v q > /dev/null
dotnet run -c Release --no-build --project src/IncidentBot > /dev/null 2>&1 &
RUNNER=$!
for i in $(seq 60); do curl -sf http://127.0.0.1:$PORT/healthz > /dev/null && break; sleep 1; done
PID=$(pgrep -P $RUNNER -f IncidentBot | head -1); PID=${PID:-$RUNNER}
rss() { awk '/VmRSS|RssAnon|RssFile/ {printf "%s %d MiB  ", $1, $2/1024}' /proc/$PID/status; echo; }
sleep 10; echo "idle, model not loaded: $(rss)"
for i in 1 2 3 4 5; do
  curl -sf -X POST http://127.0.0.1:$PORT/api/incidents -H "Authorization: Bearer rss-measure-key-0123456789" -H "Content-Type: application/json" \
    -d "{\"title\":\"Disk full on db-$i\",\"severity\":\"sev2\",\"services\":[\"db\"]}" > /dev/null
done
curl -sf "http://127.0.0.1:$PORT/api/incidents/INC-1/related?q=storage%20ran%20out%20of%20room" -H "Authorization: Bearer rss-measure-key-0123456789" > /dev/null
sleep 5; echo "after 5 incidents embedded and a related search (model loaded): $(rss)"
sleep 45; echo "45 s later, idle unload after 30 s: $(rss)"
curl -sf "http://127.0.0.1:$PORT/api/incidents/INC-1/related?q=storage%20ran%20out%20of%20room" -H "Authorization: Bearer rss-measure-key-0123456789" > /dev/null
sleep 3; echo "after the next related search (loaded again): $(rss)"
kill $PID; wait $RUNNER 2>/dev/null; rm -f $DB*
