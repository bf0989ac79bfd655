-- wrk script for bench/http.py: each thread (one connection) replays its own file of
-- prepared requests, <prefix>.<thread>, written by bench/http_prepare.py: one request a
-- line, tab-separated: method, path, body ("-" for none), then header name/value pairs.
-- Usage: wrk -t N -c N -s bench/http.lua URL -- PREFIX

local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", counter)
  table.insert(threads, thread)
  counter = counter + 1
end

function init(args)
  requests = {}
  for text in io.lines(args[1] .. "." .. id) do
    local fields = {}
    for field in string.gmatch(text, "[^\t]+") do
      table.insert(fields, field)
    end
    local headers = {}
    for i = 4, #fields - 1, 2 do
      headers[fields[i]] = fields[i + 1]
    end
    local body = fields[3]
    if body == "-" then body = nil end
    table.insert(requests, wrk.format(fields[1], fields[2], headers, body))
  end
  index = 0
  wraps = 0
end

function request()
  index = index + 1
  if index > #requests then
    index = 1
    if #requests > 1 then wraps = wraps + 1 end
  end
  return requests[index]
end

function done(summary, latency, requests)
  local wrapped = 0
  for _, thread in ipairs(threads) do
    wrapped = wrapped + (thread:get("wraps") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, '
    .. '"mean_us": %.1f, "connect": %d, "read": %d, "write": %d, "status": %d, '
    .. '"timeout": %d, "wraps": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.mean, e.connect, e.read, e.write, e.status,
    e.timeout, wrapped))
end
