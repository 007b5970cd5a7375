-- Drives POST /api/click-events as the site's browser script posts them: many public client addresses
-- (X-Forwarded-For through the loopback proxy), real user agents with matching hardware and Web Worker probes, a new
-- Google click id on every event. One event in ten is a bot of one of three kinds (webdriver, a spoofed iPhone that
-- reports deviceMemory, a headless browser with a software renderer), so every rule runs and signal rows get written
-- at about the rate real ad traffic brings them. Counts every response that is not 201 and, in done(), writes
-- key=value lines to $RESULT_FILE (the same keys as clicks.lua).
local visitors = {
  { ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    platform = "Win32", screen = "1920x1080", outer = "1920x1040", memory = "8", cores = 8, webgl = "ANGLE (NVIDIA GeForce RTX 3060)" },
  { ua = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_1_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1.2 Mobile/15E148 Safari/604.1",
    platform = "iPhone", screen = "390x844", outer = "390x844", memory = "null", cores = 6, webgl = "Apple GPU" },
  { ua = "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
    platform = "Linux armv8l", screen = "412x915", outer = "412x915", memory = "4", cores = 8, webgl = "Adreno (TM) 640" },
  { ua = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15",
    platform = "MacIntel", screen = "1440x900", outer = "1440x875", memory = "null", cores = 8, webgl = "Apple M1" },
  { ua = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0",
    platform = "Win32", screen = "1536x864", outer = "1536x824", memory = "null", cores = 4, webgl = "ANGLE (Intel(R) UHD Graphics 620)" },
}
local bots = {
  { ua = visitors[1].ua, platform = "Win32", screen = "1920x1080", outer = "1920x1040", memory = "8", cores = 8,
    webgl = "ANGLE (NVIDIA GeForce RTX 3060)", webdriver = "true" },
  { ua = visitors[2].ua, platform = "Linux x86_64", screen = "390x844", outer = "390x844", memory = "2", cores = 2,
    webgl = "Google SwiftShader" },
  { ua = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36",
    platform = "Linux x86_64", screen = "800x600", outer = "0x0", memory = "8", cores = 2, webgl = "Google SwiftShader" },
}
-- Where visitors come from: /16 networks that the GeoIP data set places wholly in one country (none on a datacenter,
-- VPN or proxy list), with that country's time zone and language, so that honest visitors' clocks and languages agree
-- with their addresses as they do in real traffic.
local places = {
  { tz = "Europe/Berlin", lang = "de-DE,de;q=0.9,en;q=0.8", langs = '["de-DE","de","en"]', nets = { "46.90", "93.227", "188.96", "2.160", "2.206", "217.185" } },
  { tz = "Europe/Madrid", lang = "es-ES,es;q=0.9", langs = '["es-ES","es"]', nets = { "212.231", "90.175", "176.84", "2.136", "37.15", "79.157" } },
  { tz = "Europe/Paris", lang = "fr-FR,fr;q=0.9,en;q=0.8", langs = '["fr-FR","fr","en"]', nets = { "109.210", "84.5", "86.192", "109.2", "109.212", "109.24" } },
  { tz = "Europe/London", lang = "en-GB,en;q=0.9", langs = '["en-GB","en"]', nets = { "176.26", "31.124", "81.129", "212.219", "213.40", "217.45" } },
  { tz = "Europe/Rome", lang = "it-IT,it;q=0.9,en;q=0.8", langs = '["it-IT","it","en"]', nets = { "151.43", "2.158", "79.39", "109.118", "151.31", "151.55" } },
  { tz = "Europe/Amsterdam", lang = "nl-NL,nl;q=0.9,en;q=0.8", langs = '["nl-NL","nl","en"]', nets = { "77.174", "82.92", "84.29", "188.202", "82.94", "109.38" } },
}
local events = { "call", "whatsapp", "form" }
local campaigns = { "winter-sale", "brand", "boots-generic", "retargeting" }
dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "report.lua")

function init(args)
  sent = 0
  run = tonumber(os.getenv("RUN_INDEX") or "0")
end

function request()
  sent = sent + 1
  local n = sent * 7919 + id * 104729
  -- Two steps of the Park-Miller generator over (run, thread, event) spread the addresses, so that one rarely repeats
  -- in a run, as each visitor of an ad campaign clicks an ad about once: the ad-click repeat rule sees what real
  -- traffic gives it. (Lua numbers are doubles: the products stay below 2^53.)
  local h = ((run * 2 + id) * 1000003 + sent) * 48271 % 2147483647
  h = h * 48271 % 2147483647
  local place = places[h % #places + 1]
  local ip = string.format("%s.%d.%d", place.nets[math.floor(h / 8) % #place.nets + 1], math.floor(h / 64) % 256, math.floor(h / 16384) % 254 + 1)
  local bot = sent % 10 == 0
  local v = bot and bots[math.floor(sent / 10) % #bots + 1] or visitors[n % #visitors + 1]
  local gclid = string.format("Cj0KCQiA-bench-%d-%d-%d", run, id, sent)
  local languages = place.langs
  local body = string.format(
    '{"site_id":"site_1","event_type":"%s","element_id":"btn-%s","fingerprint":"fp-%d-%d","page_url":"https://shop.example/landing?gclid=%s",' ..
    '"gclid":"%s","campaign":"%s","source":"google","keyword":"buy boots %d","local_hour":%d,"local_day":%d,"time_on_page":%d,' ..
    '"is_webdriver":%s,"screen_res":"%s","browser_tz":"%s","human_score":%d,"device_memory":%s,"hardware_concurrency":%d,' ..
    '"connection_type":"wifi","platform":"%s","languages":%s,"webgl_renderer":"%s","outer_window":"%s",' ..
    '"worker":{"platform":"%s","hardware_concurrency":%d,"device_memory":%s,"languages":%s}}',
    events[n % #events + 1], events[n % #events + 1], id, sent, gclid, gclid, campaigns[n % #campaigns + 1], n % 50, n % 24, n % 7,
    bot and 900 or 8000 + n % 60000, v.webdriver or "false", v.screen, place.tz, bot and 5 or 80, v.memory, v.cores,
    v.platform, languages, v.webgl, v.outer, v.platform, v.cores, v.memory, languages)
  local headers = { ["Content-Type"] = "application/json", ["User-Agent"] = v.ua, ["X-Forwarded-For"] = ip,
    ["Accept-Language"] = place.lang, ["Origin"] = "https://shop.example" }
  return wrk.format("POST", "/api/click-events", headers, body)
end

function response(status, headers, body)
  count_status(status, 201)
end

function done(summary, latency, requests)
  write_report(summary, latency)
end
