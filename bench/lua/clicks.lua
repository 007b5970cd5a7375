-- Drives POST /api/offerwall/track/click over the session ids in $SESSIONS_FILE (each thread starts at a different
-- place) and offers off_1..off_$OFFERS, so that a user rarely clicks the same offer twice.
-- Counts every response whose status is not $EXPECT_STATUS and, in done(), writes key=value lines to $RESULT_FILE.
-- With $ACKS_OUT set, appends the click_id of every 201 to "$ACKS_OUT.<thread>" (the kill -9 check).
local user_agent = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
local path = "/api/offerwall/track/click"
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")

function init(args)
  expected = tonumber(os.getenv("EXPECT_STATUS") or "201")
  offers = tonumber(os.getenv("OFFERS") or "1")
  headers = { ["Content-Type"] = "application/json", ["User-Agent"] = user_agent }
  sessions = {}
  for session_id in io.lines(os.getenv("SESSIONS_FILE")) do table.insert(sessions, session_id) end
  assert(#sessions > 0, "no session ids in " .. os.getenv("SESSIONS_FILE"))
  start = (id * 7919) % #sessions + 1
  -- Each wrk run of one server ($RUN_INDEX 1, 2, ...) starts $PASSES_PER_RUN passes further, so runs do not repeat
  -- each other's (session, offer) pairs: pairs are unique for offers / 2 = 50 passes, a server gets 8 runs (a warm-up
  -- and 3 measured runs at 16 and at 64 connections) of 6 passes each; over 24,000 sessions a 15 s run stays within
  -- 6 passes below 19,000 clicks/s (a 12 s run below 24,000).
  next_session = start - 1
  pass = tonumber(os.getenv("RUN_INDEX") or "0") * tonumber(os.getenv("PASSES_PER_RUN") or "12")
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
  if count_status(status, expected) and acks_out then
    local click_id = body:match('"click_id"%s*:%s*"([^"]+)"')
    if click_id then
      acks_out:write(click_id, "\n")
      acks_out:flush()
    end
  end
end

function done(summary, latency, requests)
  write_report(summary, latency)
end
