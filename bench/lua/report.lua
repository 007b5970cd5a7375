-- Shared by the wrk scripts (loaded with dofile from beside them): thread ids, the count of responses that are not the
-- expected status, and the key=value report that bench/lib.sh reads from $RESULT_FILE.
local threads = {}

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

-- Per thread: counts a response whose status is not the expected one; true when it is.
unexpected, unexpected_codes = 0, {}
function count_status(status, expected)
  if status == expected then return true end
  unexpected = unexpected + 1
  local code = tostring(status)
  unexpected_codes[code] = (unexpected_codes[code] or 0) + 1
  return false
end

-- Main thread, from done(): every thread's state, summed.
function thread_sum(name)
  local sum = 0
  for _, t in ipairs(threads) do sum = sum + t:get(name) end
  return sum
end

function write_report(summary, latency)
  local codes = {}
  for _, t in ipairs(threads) do
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
  out:write(string.format("unexpected=%d\n", thread_sum("unexpected")))
  out:write(string.format("unexpected_codes=%s\n", table.concat(by_code, ",")))
  out:write(string.format("socket_errors=%d\n", e.connect + e.read + e.write + e.timeout))
  out:write(string.format("socket_errors_detail=connect %d, read %d, write %d, timeout %d\n", e.connect, e.read, e.write, e.timeout))
  out:close()
end
