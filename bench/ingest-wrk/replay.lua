-- Replays pre-signed Slack Events API deliveries, each at most once while the file lasts:
--   wrk -t<threads> -c<connections> -d<seconds> -s replay.lua http://127.0.0.1:<port> -- <file> <path> <threads>
-- Each line of <file> is "<X-Slack-Request-Timestamp>\t<X-Slack-Signature>\t<body>". Thread i sends lines
-- i, i + threads, i + 2 * threads, ... as requests built once in init(), so the client does no work per
-- request but hand over bytes. A thread that runs past its share starts again and counts a wrap, which done()
-- reports: against the bot, a wrap means repeated event ids (dedupe), so the run must be made with more lines.
--
-- The rate: wrk runs each thread's init() in its main thread one after the other and starts a thread as soon
-- as its init is done, but starts its clock only after the last, so with a big file the first threads send for
-- a second before the clock runs and wrk's own requests/s comes out high. Each thread therefore counts what it
-- sent from its own first request, and done() sums the per-thread rates.

local ffi = require("ffi")
ffi.cdef [[
typedef struct { long tv_sec; long tv_usec; } replay_timeval;
int gettimeofday(replay_timeval *tv, void *tz);
]]
local timeval = ffi.new("replay_timeval")

local function now_us()
   ffi.C.gettimeofday(timeval, nil)
   return tonumber(timeval.tv_sec) * 1000000 + tonumber(timeval.tv_usec)
end

local threads = {}

function setup(thread)
   thread:set("id", #threads)
   table.insert(threads, thread)
end

function init(args)
   local file, path, count = args[1], args[2], tonumber(args[3])
   prepared, next_index, wraps, sent = {}, 0, 0, 0
   local line_number = 0
   for line in io.lines(file) do
      if line_number % count == id then
         local timestamp, signature, body = line:match("^([^\t]+)\t([^\t]+)\t(.*)$")
         prepared[#prepared + 1] = wrk.format("POST", path, {
            ["Content-Type"] = "application/json",
            ["X-Slack-Request-Timestamp"] = timestamp,
            ["X-Slack-Signature"] = signature,
         }, body)
      end
      line_number = line_number + 1
   end
   if #prepared == 0 then
      error("no requests for thread " .. id .. " in " .. file)
   end
end

function request()
   if sent == 0 then
      first_us = now_us()
   end
   sent = sent + 1
   next_index = next_index + 1
   if next_index > #prepared then
      next_index, wraps = 1, wraps + 1
   end
   return prepared[next_index]
end

-- One line the harness reads; latencies in microseconds, as wrk records them.
function done(summary, latency, requests)
   local end_us, wrapped, rate = now_us(), 0, 0
   for _, thread in ipairs(threads) do
      wrapped = wrapped + thread:get("wraps")
      local first = thread:get("first_us")
      if first then
         rate = rate + thread:get("sent") / ((end_us - first) / 1000000)
      end
   end
   local errors = summary.errors
   io.write(string.format(
      "RESULT requests=%d duration_us=%d sent_per_s=%d status_errors=%d connect_errors=%d read_errors=%d write_errors=%d "
         .. "timeouts=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d wraps=%d\n",
      summary.requests, summary.duration, rate, errors.status, errors.connect, errors.read, errors.write,
      errors.timeout, latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, wrapped))
end
