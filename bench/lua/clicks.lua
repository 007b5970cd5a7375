-- Drives POST /api/offerwall/track/click over the session ids in $SESSIONS_FILE (each thread starts at a different
-- place) and offers off_1..off_$OFFERS, so that a user rarely clicks the same offer twice.
-- Counts every response whose status is not $EXPECT_STATUS and, in done(), writes key=value lines to $RESULT_FILE.
-- With $ACKS_OUT set, appends the click_id of every 201 to "$ACKS_OUT.<thread>" (the kill -9 check).
local user_agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
local path = "/api/offerwall/track/click"
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  expected = tonumber(os.getenv("EXPECT_STATUS") or "201")
  offers = tonumber(os.getenv("OFFERS") or "1")
  headers = { ["Content-Type"] = "application/json", ["User-Agent"] = user_agent }
  sessions = {}
  for session_id in io.lines(os.getenv("SESSIONS_FILE")) do table.insert(sessions, session_id) end
  assert(#sessions > 0, "no session ids in " .. os.getenv("SESSIONS_FILE"))
  start = (id * 7919) % #sessions + 1
  -- Each wrk run of one server ($RUN_INDEX 0, 1, ...) starts $PASSES_PER_RUN passes further, so runs do not repeat
  -- each other's (session, offer) pairs.
  next_session = start - 1
  pass = tonumber(os.getenv("RUN_INDEX") or "0") * tonumber(os.getenv("PASSES_PER_RUN") or "12")
  unexpected, unexpected_codes = 0, {}
  local acks = os.getenv("ACKS_OUT")
  acks_out = acks and acks ~= "" and assert(io.open(acks .. "." .. id, "w")) or nil
end

-- Each thread walks all sessions; on each pass a session clicks another offer, and the two threads never pick the
-- same one: (session, offer) pairs stay unique for offers / 2 passes in all, as real users click each offer about once.
function request()
  next_session = next_session % #sessions + 1
  if next_session == start then pass = pass + 1 end
  local offer = (next_session + 2 * pass + id) % offers + 1
  local body = string.format('{"session_id":"%s","offer_id":"off_%d","mouse_movement_px":%d}',
    sessions[next_session], offer, 200 + next_session % 400)
  return wrk.format("POST", path, headers, body)
end

function response(status, headers, body)
  if status ~= expected then
    unexpected = unexpected + 1
    local code = tostring(status)
    unexpected_codes[code] = (unexpected_codes[code] or 0) + 1
  elseif acks_out then
    local click_id = body:match('"click_id"%s*:%s*"([^"]+)"')
    if click_id then
      acks_out:write(click_id, "\n")
      acks_out:flush()
    end
  end
end

function done(summary, latency, requests)
  local bad, codes = 0, {}
  for _, t in ipairs(threads) do
    bad = bad + t:get("unexpected")
    for code, n in pairs(t:get("unexpected_codes")) do codes[code] = (codes[code] or 0) + n end
  end
  local by_code = {}
  for code, n in pairs(codes) do table.insert(by_code, code .. "x" .. n) end
  table.sort(by_code)
  local e = summary.errors
  local out = assert(io.open(os.getenv("RESULT_FILE"), "w"))
  out:write(string.format("requests=%d\n", summary.requests))
  out:write(string.format("rps=%.0f\n", summary.requests / (summary.duration / 1e6)))
  out:write(string.format("p50_ms=%.2f\n", latency:percentile(50) / 1000))
  out:write(string.format("p99_ms=%.2f\n", latency:percentile(99) / 1000))
  out:write(string.format("max_ms=%.2f\n", latency.max / 1000))
  out:write(string.format("unexpected=%d\n", bad))
  out:write(string.format("unexpected_codes=%s\n", table.concat(by_code, ",")))
  out:write(string.format("socket_errors=%d\n", e.connect + e.read + e.write + e.timeout))
  out:write(string.format("socket_errors_detail=connect %d, read %d, write %d, timeout %d\n", e.connect, e.read, e.write, e.timeout))
  out:close()
end
