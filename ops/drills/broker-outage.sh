#!/usr/bin/env bash
# Drill: the single Kafka broker down for 60 s under steady pings. Starts the local stack's broker (with its LDAP and
# catchers), the gateway and the rules; registers ten ping checks expected every 10 s (the registration API); pings
# each every 2 s from a small client that keeps a refused ping and sends it again after the Retry-After, as the shipped
# handlers and healthchecks clients do; stops the broker 20 s in with SIGKILL and starts it again 60 s later on the
# same data. Prints how fast hooks were refused (503 + Retry-After) after the broker went, how fast they were accepted
# after it came back, whether any ping was lost, and the checks' missed-schedule alerts: false alarms, which must be 0.
#
#   ops/drills/broker-outage.sh [outage seconds=60]      KEEP=1 keeps its folder (logs, Kafka data) under /tmp
#
# Runs on its own folder under /tmp, not .local/; exits non-zero when the drill does not hold.
set -euo pipefail
cd "$(dirname "$0")/../.."
OUTAGE=${1:-60}
VERSION=0.1.0-SNAPSHOT
for jar in gateway-service rules-service local-stack; do
  [ -f "$jar/target/$jar-$VERSION-exec.jar" ] || { ./mvnw -q -B -DskipTests package; break; }
done
WORK=$(mktemp -d /tmp/vigil-broker-outage.XXXXXX)
mkdir -p "$WORK/logs"
if [ -z "${JAVA:-}" ]; then
  JAVA=$(ls -d /usr/lib/jvm/temurin-2[1-9]*/bin/java 2>/dev/null | sort -V | tail -n 1); JAVA=${JAVA:-java}
fi
OPTS="-Xmx384m -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  kill "${STACK:-}" 2>/dev/null || true
  [ -f "$WORK/stack2.pid" ] && kill "$(cat "$WORK/stack2.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  [ -n "${KEEP:-}" ] && echo "logs kept in $WORK/logs" || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
wait_for() { local deadline=$((SECONDS + $3)); until eval "$2" >/dev/null 2>&1; do
  [ $SECONDS -lt $deadline ] || { echo "$1 did not start" >&2; KEEP=1; exit 1; }; sleep 0.5; done; }
STACK_CMD="java -Xmx512m -Dvigil.local.mail-dir=$WORK/mail -Dvigil.local.kafka-dir=$WORK/kafka -Dvigil.local.webhook-dir=$WORK/webhooks -jar local-stack/target/local-stack-$VERSION-exec.jar"
start_stack() {
  java -Xmx512m -Dvigil.local.mail-dir="$WORK/mail" -Dvigil.local.kafka-dir="$WORK/kafka" -Dvigil.local.webhook-dir="$WORK/webhooks" \
    -jar local-stack/target/local-stack-$VERSION-exec.jar >> "$WORK/logs/local-stack.log" 2>&1 &
  STACK=$!
}
start_stack
wait_for "the local stack" "grep -q 'local-stack ready' '$WORK/logs/local-stack.log'" 90
$JAVA $OPTS -jar gateway-service/target/gateway-service-$VERSION-exec.jar --spring.profiles.active=local \
  --logging.level.dev.vigil.gateway.ingest.EventPublisher=warn > "$WORK/logs/gateway.log" 2>&1 &
PIDS+=($!)
$JAVA $OPTS -jar rules-service/target/rules-service-$VERSION-exec.jar --spring.profiles.active=local \
  --spring.kafka.streams.state-dir="$WORK/rules-state" \
  --vigil.rules.schedule.start-grace=5s --vigil.rules.schedule.tolerance=5s > "$WORK/logs/rules.log" 2>&1 &
PIDS+=($!)
wait_for "the gateway" "curl -sf http://localhost:9080/actuator/health/readiness" 120
wait_for "the rules" "curl -sf http://localhost:9081/actuator/health/readiness" 120

disown "$STACK" # killed on purpose below: no job report from this shell
STACK_CMD="$STACK_CMD" python3 - "$OUTAGE" "$STACK" "$WORK" <<'PY' || { KEEP=1; exit 1; }
import json, os, signal, subprocess, sys, threading, time, urllib.request, urllib.error, uuid
outage, stack, work = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
KEY = "demo-write-key-0000001"
def call(method, url, body=None, key=None, timeout=10):
    req = urllib.request.Request(url, data=body, method=method)
    if key: req.add_header("Authorization", "Bearer " + key)
    if body is not None: req.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r: return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as e: return e.code, dict(e.headers), e.read()
    except Exception as e: return 0, {}, str(e).encode()
checks = []
for i in range(10):
    token = str(uuid.uuid4())
    status, _, body = call("POST", "http://localhost:8080/api/v1/registrations", json.dumps({
        "id": "drill-check-%d" % i, "source": "healthchecks", "tenant": "demo", "account": "3723708",
        "job": "drill-check-%d" % i, "token": token, "schedule": "10s"}).encode(), KEY)
    assert status == 201, (status, body)
    checks.append(token)
log = []          # (t, status, retry-after)
spool = []        # pings refused, to send again: [due time]
lock = threading.Lock()
start = time.time()
sent_ok = 0
def ping(token):
    global sent_ok
    status, headers, _ = call("GET", "http://localhost:8080/ping/" + token, timeout=10)
    with lock:
        log.append((time.time() - start, status, headers.get("Retry-After")))
        if status == 200: sent_ok += 1
    return status, headers
killed_at = restarted_at = None
phase_end = 20 + outage + 60
while time.time() - start < phase_end:
    t = time.time() - start
    if killed_at is None and t >= 20:
        os.kill(stack, signal.SIGKILL); killed_at = time.time() - start
        print("%5.1f s  broker (local stack) killed with SIGKILL" % killed_at, flush=True)
    if killed_at is not None and restarted_at is None and t >= 20 + outage:
        again = subprocess.Popen(os.environ["STACK_CMD"].split(), # the same command as the first start
            stdout=open(work + "/logs/local-stack-2.log", "w"), stderr=subprocess.STDOUT)
        open(work + "/stack2.pid", "w").write(str(again.pid))
        restarted_at = time.time() - start
        print("%5.1f s  broker started again on the same data" % restarted_at, flush=True)
    def round_of(token):
        status, headers = ping(token)
        if status != 200:
            with lock: spool.append((time.time() + float(headers.get("Retry-After", "5")), token))
    threads = [threading.Thread(target=round_of, args=(token,)) for token in checks]
    for thread in threads: thread.start()
    for thread in threads: thread.join()
    now = time.time()
    with lock:
        due = [e for e in spool if e[0] <= now]
        for entry in due: spool.remove(entry)
    for entry in due:
        status, headers = ping(entry[1])
        if status != 200:
            with lock: spool.append((time.time() + float(headers.get("Retry-After", "5")), entry[1]))
    time.sleep(max(0, 2 - (time.time() - start - t)))
# the spool delivers what is left
deadline = time.time() + 60
while spool and time.time() < deadline:
    now = time.time()
    for entry in [e for e in spool if e[0] <= now]:
        spool.remove(entry); status, headers = ping(entry[1])
        if status != 200: spool.append((time.time() + 5, entry[1]))
    time.sleep(1)
first_refused = next((t for t, s, _ in log if killed_at and t >= killed_at and s == 503), None)
refused = [(t, s, ra) for t, s, ra in log if s == 503]
other = [(t, s) for t, s, _ in log if s not in (200, 503)]
first_ok_after = next((t for t, s, _ in log if restarted_at and t >= restarted_at and s == 200), None)
print("pings: %d answered 200, %d answered 503 (Retry-After %s), %d other answers %s" % (
    sent_ok, len(refused), sorted({ra for _, _, ra in refused}), len(other), other[:5]))
if first_refused: print("first 503 %.1f s after the broker was killed" % (first_refused - killed_at))
if first_ok_after: print("first 200 %.1f s after the broker was started again" % (first_ok_after - restarted_at))
print("broker down %.0f s" % (restarted_at - killed_at))
print("refused pings still in the spool after it: %d" % len(spool))
time.sleep(20)  # deadlines of the checks pass; the rules judge them on Vigil's clock
status, _, body = call("GET", "http://localhost:8081/api/v1/jobs", key="demo-read-key-00000001")
if status != 200:
    print("the rules' job status answered %d: %s" % (status, body[:200])); sys.exit(1)
jobs = json.loads(body)
drill = [j for j in jobs if "drill-check" in j["job"]]
alarms = [j for j in drill if "missed-schedule" in j["openAlerts"]]
print("checks known to the rules: %d; with an open missed-schedule alert (false alarms): %d" % (len(drill), len(alarms)))
# the drill holds when every check is known, none is judged late, and nothing refused was left unsent
sys.exit(0 if len(drill) == len(checks) and not alarms and not spool and not other else 1)
PY
