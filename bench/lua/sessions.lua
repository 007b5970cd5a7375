-- Creates offerwall sessions and appends each new session_id to "$SESSIONS_OUT.<thread>".
-- Each thread stops once it has $SESSIONS_PER_THREAD of them; wrk's -d is only the upper bound.
local user_agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")

function init(args)
  wanted = tonumber(os.getenv("SESSIONS_PER_THREAD") or "1000")
  created, failed, sent = 0, 0, 0
  out = assert(io.open(os.getenv("SESSIONS_OUT") .. "." .. id, "w"))
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["User-Agent"] = user_agent
  wrk.headers["Accept-Language"] = "en-US,en;q=0.9"
end

function request()
  sent = sent + 1
  local body = string.format('{"user_id":"u_%d_%d","publisher_id":"pub_1","placement_id":"plc_1"}', id, sent)
  return wrk.format(nil, "/api/offerwall/session/create", nil, body)
end

function response(status, headers, body)
  local session_id = status == 201 and body:match('"session_id"%s*:%s*"([^"]+)"')
  if session_id then
    created = created + 1
    out:write(session_id, "\n")
    out:flush()
    if created >= wanted then wrk.thread:stop() end
  else
    failed = failed + 1
  end
end

function done(summary, latency, requests)
  local bad = thread_sum("failed")
  if bad > 0 then io.stderr:write(string.format("session/create: %d responses were not 201\n", bad)) end
end
