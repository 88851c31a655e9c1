-- wrk script: the same mix of backup hooks as the Java load generator (40 % XSIBackup GETs, 30 % healthchecks
-- pings, 20 % Retrospect handler POSTs, 10 % stoney quota reports), against the local stack's demo
-- registrations. Usage: wrk -t2 -c64 -d30s --latency -s load-generator/wrk/hooks.lua http://localhost:8080

local b64chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
local function b64(data)
  return ((data:gsub('.', function(x)
    local r, b = '', x:byte()
    for i = 8, 1, -1 do r = r .. (b % 2 ^ i - b % 2 ^ (i - 1) > 0 and '1' or '0') end
    return r
  end) .. '0000'):gsub('%d%d%d?%d?%d?%d?', function(x)
    if #x < 6 then return '' end
    local c = 0
    for i = 1, 6 do c = c + (x:sub(i, i) == '1' and 2 ^ (6 - i) or 0) end
    return b64chars:sub(c + 1, c + 1)
  end) .. ({ '', '==', '=' })[#data % 3 + 1])
end

-- Requests are prepared once per thread: the measurement is the gateway's, not Lua's.
local requests = {}
local n = 0

function init(args)
  local thread = math.random(1, 1000000)
  for i = 0, 999 do
    local k = i % 10
    local id = thread * 1000 + i
    if k < 4 then
      local inner = 'PID=' .. id .. '|t=' .. (i % 3600) .. '|cmd=' .. b64('--backup-vms=VM' .. (i % 100) .. ' --backup-type=custom')
      if k == 0 then inner = inner .. '|err=' .. b64('VM: snapshot failed') end
      requests[#requests + 1] = wrk.format('GET', '/hooks/xsibackup/demo-xsibackup-token-0001/' .. (k == 0 and 'error' or 'success') .. '?' .. b64(inner))
    elseif k < 7 then
      requests[#requests + 1] = wrk.format('GET', '/ping/0b6f3c1e-5d2a-4e8f-9a71-3c2d1e0f4a5b' .. (k == 4 and '/start' or '') .. '?rid=' .. string.format('%08x-0000-4000-8000-%012x', id, id))
    elseif k < 9 then
      requests[#requests + 1] = wrk.format('POST', '/hooks/retrospect', {
        ['Authorization'] = 'Bearer demo-retrospect-token-0001',
        ['Content-Type'] = 'application/x-www-form-urlencoded',
        ['Idempotency-Key'] = 'wrk-' .. id }, 'host=engine-' .. (i % 20) .. '&platform=Darwin&arg=EndScript&arg=Job+' .. (i % 50) .. '&arg=0&arg=0&arg=successful')
    else
      requests[#requests + 1] = wrk.format('POST', '/hooks/stoney/' .. (3800000 + i) .. '/quota', {
        ['Authorization'] = 'Bearer demo-stoney-token-000001' }, '10240 ' .. (i % 9000) .. ' 100')
    end
  end
end

function request()
  n = n + 1
  return requests[(n % #requests) + 1]
end

local non2xx = 0
function response(status, headers, body)
  if status < 200 or status > 299 then non2xx = non2xx + 1 end
end

function done(summary, latency, requests)
  io.write(string.format('hooks/s %.0f   p50 %.2f ms  p95 %.2f ms  p99 %.2f ms  max %.2f ms   non-2xx %d   socket errors %d\n',
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.max / 1000,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
