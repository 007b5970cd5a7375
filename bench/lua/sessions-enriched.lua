-- Drives POST /api/offerwall/session/create from many public client addresses (X-Forwarded-For; the server trusts
-- its loopback peer as a proxy by default) and a mix of real user agents, so every session goes through GeoIP, ASN,
-- reputation and user-agent enrichment. Counts every response that is not 201 and, in done(), writes key=value
-- lines to $RESULT_FILE (the same keys as clicks.lua).
local agents = {
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
  "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1",
  "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
  "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
  "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
}
-- First octets of large ISP and cloud allocations; the rest varies per request.
local prefixes = { 73, 24, 98, 81, 86, 90, 2, 5, 31, 37, 46, 62, 77, 79, 82, 84, 88, 93, 109, 151, 176, 185, 188, 212, 213, 217, 8, 52, 3 }
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")

function init(args)
  sent = 0
end

function request()
  sent = sent + 1
  local n = sent * 7919 + id * 104729
  local ip = string.format("%d.%d.%d.%d", prefixes[n % #prefixes + 1], math.floor(n / 7) % 256, math.floor(n / 1789) % 256, n % 253 + 1)
  local headers = { ["Content-Type"] = "application/json", ["User-Agent"] = agents[n % #agents + 1], ["X-Forwarded-For"] = ip,
    ["Accept-Language"] = "en-US,en;q=0.9" }
  local body = string.format('{"user_id":"u_%d_%d","publisher_id":"pub_1","placement_id":"plc_1"}', id, sent)
  return wrk.format("POST", "/api/offerwall/session/create", headers, body)
end

function response(status, headers, body)
  count_status(status, 201)
end

function done(summary, latency, requests)
  write_report(summary, latency)
end
