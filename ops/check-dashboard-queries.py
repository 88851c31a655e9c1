#!/usr/bin/env python3
"""Asks a running Prometheus every query of the Grafana dashboard and every alert rule expression, and says which
return no data. Use it with the local stack:

    ./run-local.sh                                   # and send some hooks (see the README, 'Try it')
    prometheus --config.file=ops/prometheus/prometheus-local.yml --storage.tsdb.path=/tmp/vigil-prometheus &
    ops/check-dashboard-queries.py [http://localhost:9090]

Grafana's $__rate_interval and $__range are replaced by 1m and 15m. Exit status 1 when a dashboard query has no
data or an expression does not parse. Alert expressions are only evaluated (an idle system fires none)."""
import json
import pathlib
import sys
import urllib.parse
import urllib.request

root = pathlib.Path(__file__).resolve().parent.parent
base = sys.argv[1] if len(sys.argv) > 1 else "http://localhost:9090"


def query(expr):
    expr = expr.replace("$__rate_interval", "1m").replace("$__range", "15m")
    url = base + "/api/v1/query?" + urllib.parse.urlencode({"query": expr})
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return json.load(response)
    except urllib.error.HTTPError as e:
        return json.load(e)


failed = 0
dashboard = json.loads((root / "k8s/base/monitoring/dashboards/vigil.json").read_text())
for panel in dashboard["panels"]:
    for target in panel.get("targets", []):
        answer = query(target["expr"])
        series = len(answer.get("data", {}).get("result", [])) if answer.get("status") == "success" else -1
        ok = series > 0
        failed += 0 if ok else 1
        print(("ok   " if ok else "FAIL ") + f"{series:3d} series  {panel['title']}: {target['expr']}"
              + ("" if answer.get("status") == "success" else "  " + answer.get("error", "")))

try:
    import yaml  # optional: PyYAML
    rules = yaml.safe_load((root / "ops/prometheus/vigil-rules.yml").read_text())
    for group in rules["groups"]:
        for rule in group["rules"]:
            answer = query(rule["expr"])
            ok = answer.get("status") == "success"
            failed += 0 if ok else 1
            print(("ok   " if ok else "FAIL ") + f"rule {rule['alert']}" + ("" if ok else ": " + answer.get("error", "")))
except ImportError:
    print("(PyYAML not installed: alert rule expressions not evaluated; promtool checks them)")

print(f"{failed} failed")
sys.exit(1 if failed else 0)
