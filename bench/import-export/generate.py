#!/usr/bin/env python3
"""Writes a Slack workspace export for the import benchmark: CHANNELS incident channels of MESSAGES messages each over
five day files, every tenth message a thread reply, every seventh edited; 20 people in users.json. The same shape as
the generated export of tests/IncidentBot.Tests/SlackExport (ExportFolder.Generate)."""
import json, os, sys

folder, channels, per_channel = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
os.makedirs(folder, exist_ok=True)
json.dump([{"id": f"U{i:04d}", "name": f"user{i}", "real_name": f"Person {i}",
            "profile": {"real_name": f"Person {i}", "display_name": ""}} for i in range(20)],
          open(os.path.join(folder, "users.json"), "w"))
listed, start, per_day = [], 1740837600, (per_channel + 4) // 5
for c in range(channels):
    name = f"incident-{c + 1}-service-{c % 37}-outage"
    listed.append({"id": f"CGEN{c:05d}", "name": name, "created": 1700000000, "creator": "U0000", "is_archived": True,
                   "topic": {"value": ""}, "purpose": {"value": f"Service {c % 37} returned errors to customers"}})
    os.makedirs(os.path.join(folder, name), exist_ok=True)
    channel_start = start + c * 86400
    for day in range(5):
        day_start, messages = channel_start + day * 86400, []
        for m in range(day * per_day, min(per_channel, (day + 1) * per_day)):
            message = {"type": "message", "user": f"U{m % 20:04d}", "ts": f"{day_start + m}.000000",
                       "text": f"Step {m} on service {c % 37}: checked the connection pool, latency {m % 900} ms, error rate {m % 13} percent"}
            if m % 10 == 9:
                message["thread_ts"] = f"{day_start + day * per_day}.000000"
            if m % 7 == 6:
                message["edited"] = {"user": message["user"], "ts": f"{day_start + m + 60}.000000"}
            messages.append(message)
        if messages:
            json.dump(messages, open(os.path.join(folder, name, f"2025-03-{day + 1:02d}.json"), "w"))
json.dump(listed, open(os.path.join(folder, "channels.json"), "w"))
