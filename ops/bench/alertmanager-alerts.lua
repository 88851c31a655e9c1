-- wrk script: Alertmanager's own ingest, POST /api/v2/alerts with one alert per request, as Prometheus sends them
-- (labels of a backup job, an annotation, startsAt). 1,000 distinct alerts per thread, prepared once: the
-- measurement is Alertmanager's, not Lua's. Usage: wrk -t2 -c32 -d15s --latency -s alertmanager-alerts.lua http://localhost:9193
local requests = {}
local n = 0

function init(args)
  local thread = math.random(1, 1000000)
  for i = 0, 999 do
    local body = string.format('[{"labels":{"alertname":"BackupFailed","tenant":"demo","account":"%d",'
      .. '"job":"vm-%d-%d","severity":"critical","source":"xsibackup"},"annotations":{"summary":'
      .. '"Backup vm-%d of account %d failed: snapshot creation failed"},"startsAt":"2026-11-30T00:00:00Z"}]',
      3000000 + i % 250, thread, i, i, 3000000 + i % 250)
    requests[i] = wrk.format("POST", "/api/v2/alerts", {["Content-Type"] = "application/json"}, body)
  end
end

function request()
  n = (n + 1) % 1000
  return requests[n]
end
