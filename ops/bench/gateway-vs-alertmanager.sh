#!/usr/bin/env bash
# Ingest side by side, in one run: Vigil's gateway (every hook acknowledged after Kafka has it; rules and notifier
# not running) and Alertmanager 0.25 (Debian's prometheus-alertmanager; POST /api/v2/alerts, kept in memory only),
# driven alternately with the same wrk settings. Prints each round's rate and p99, and the ratio of the medians.
#
#   ops/bench/gateway-vs-alertmanager.sh [rounds=3] [seconds=15] [connections=32] [threads=2]
#   WARMUP=30 (seconds of warm-up for each server before the rounds)
#   GATEWAY_ARGS="--spring.kafka.producer.properties.linger.ms=1" (settings of the gateway to try against the shipped ones)
#   FLOOR=1 also drives, in each round, the least the gateway's stack can do (load-generator's IngestFloor on :8090,
#     Spring MVC on Tomcat with virtual threads, no security): GET /floor/ok answers at once, GET /floor/kafka after
#     the broker has acknowledged one record sent with the gateway's producer settings. FLOOR_ARGS="--floor.linger-ms=0"
#
# Needs nothing else running on the local stack's ports (9092, 9093, 3389, 3025, 8099, 8080, 9080) or on 9193, where
# Alertmanager runs here (its default 9093 is the local Kafka controller's; on a host with systemd, stop the service
# the Debian package starts: systemctl stop prometheus-alertmanager).
# Installs wrk and prometheus-alertmanager with apt-get when they are missing; builds the jars when they are.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$(pwd)
ROUNDS=${1:-3}; SECONDS_PER_ROUND=${2:-15}; CONNECTIONS=${3:-32}; THREADS=${4:-2}
VERSION=0.1.0-SNAPSHOT
WORK=$(mktemp -d /tmp/vigil-ingest-bench.XXXXXX)

need=()
command -v wrk >/dev/null || need+=(wrk)
command -v prometheus-alertmanager >/dev/null || need+=(prometheus-alertmanager)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing ${need[*]}"
  SUDO=; [ "$(id -u)" -eq 0 ] || SUDO="sudo -n"
  $SUDO apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi
if [ ! -f gateway-service/target/gateway-service-$VERSION-exec.jar ] || [ ! -f local-stack/target/local-stack-$VERSION-exec.jar ]; then
  ./mvnw -q -B -DskipTests package -pl gateway-service,local-stack -am
fi
if [ -n "${FLOOR:-}" ] && [ ! -f load-generator/target/load-generator-$VERSION-exec.jar ]; then
  ./mvnw -q -B -DskipTests package -pl load-generator -am
fi
if [ -z "${JAVA:-}" ]; then
  JAVA=$(ls -d /usr/lib/jvm/temurin-2[1-9]*/bin/java 2>/dev/null | sort -V | tail -n 1)
  JAVA=${JAVA:-java}
fi

PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; [ -n "${KEEP:-}" ] || rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM
wait_for() { local deadline=$((SECONDS + $3)); until eval "$2" >/dev/null 2>&1; do
  [ $SECONDS -lt $deadline ] || { echo "$1 did not start; logs in $WORK" >&2; KEEP=1; exit 1; }; sleep 0.5; done; }

java -Xmx512m -Dvigil.local.mail-dir="$WORK/mail" -Dvigil.local.kafka-dir="$WORK/kafka" -Dvigil.local.webhook-dir="$WORK/webhooks" \
  -jar local-stack/target/local-stack-$VERSION-exec.jar > "$WORK/local-stack.log" 2>&1 &
PIDS+=($!)
wait_for "the local stack" "grep -q 'local-stack ready' '$WORK/local-stack.log'" 90
$JAVA -Xmx384m -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED -jar gateway-service/target/gateway-service-$VERSION-exec.jar \
  --spring.profiles.active=local --logging.level.dev.vigil.gateway.ingest.EventPublisher=warn ${GATEWAY_ARGS:-} > "$WORK/gateway.log" 2>&1 &
PIDS+=($!)
cat > "$WORK/alertmanager.yml" <<YAML
route: {receiver: blackhole, group_by: [alertname, account]}
receivers: [{name: blackhole}]
YAML
prometheus-alertmanager --config.file="$WORK/alertmanager.yml" --storage.path="$WORK/am-data" \
  --web.listen-address=127.0.0.1:9193 --cluster.listen-address= > "$WORK/alertmanager.log" 2>&1 &
PIDS+=($!)
wait_for "the gateway" "curl -sf http://localhost:9080/actuator/health/readiness" 120
wait_for "Alertmanager" "curl -sf http://127.0.0.1:9193/-/ready" 60
if [ -n "${FLOOR:-}" ]; then
  $JAVA -Xmx384m -XX:+UseSerialGC -Dloader.main=dev.vigil.load.IngestFloor \
    -jar load-generator/target/load-generator-$VERSION-exec.jar ${FLOOR_ARGS:-} > "$WORK/floor.log" 2>&1 &
  PIDS+=($!)
  wait_for "the ingest floor" "curl -sf http://localhost:8090/floor/kafka" 90
fi

run() { # name url script ('' for a plain GET of the url) [seconds] -> "rate p99_ms non2xx"
  if ! wrk -t"$THREADS" -c"$CONNECTIONS" -d"${4:-$SECONDS_PER_ROUND}s" --latency ${3:+-s "$3"} "$2" > "$WORK/wrk.out" 2>&1; then
    echo "wrk failed against $1:" >&2; cat "$WORK/wrk.out" >&2; exit 1
  fi
  python3 - "$WORK/wrk.out" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
rate = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
m = re.search(r"99%\s+([\d.]+)(us|ms|s)\b", text)
p99 = float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
errors = re.search(r"Socket errors: .*", text)
print(f"{rate:.0f} {p99:.1f} {bad.group(1) if bad else 0}" + (f" ({errors.group(0)})" if errors else ""))
PY
}

WARMUP=${WARMUP:-30}
echo "warming both up ($WARMUP s each, not counted: the JVM compiles the gateway's hot paths first)..."
run gateway http://localhost:8080 load-generator/wrk/hooks.lua "$WARMUP" >/dev/null
run alertmanager http://127.0.0.1:9193 ops/bench/alertmanager-alerts.lua "$WARMUP" >/dev/null
if [ -n "${FLOOR:-}" ]; then
  run floor-ok http://localhost:8090/floor/ok '' "$WARMUP" >/dev/null
  run floor-kafka http://localhost:8090/floor/kafka '' "$WARMUP" >/dev/null
fi
printf "\n%-6s %-13s %12s %10s %8s\n" round server "requests/s" "p99 ms" "non-2xx"
G=(); A=(); FO=(); FK=()
for r in $(seq 1 "$ROUNDS"); do
  read -r rate p99 bad rest <<<"$(run gateway http://localhost:8080 load-generator/wrk/hooks.lua)"
  printf "%-6s %-13s %12s %10s %8s %s\n" "$r" "vigil" "$rate" "$p99" "$bad" "$rest"; G+=("$rate $p99")
  read -r rate p99 bad rest <<<"$(run alertmanager http://127.0.0.1:9193 ops/bench/alertmanager-alerts.lua)"
  printf "%-6s %-13s %12s %10s %8s %s\n" "$r" "alertmanager" "$rate" "$p99" "$bad" "$rest"; A+=("$rate $p99")
  if [ -n "${FLOOR:-}" ]; then
    read -r rate p99 bad rest <<<"$(run floor-ok http://localhost:8090/floor/ok '')"
    printf "%-6s %-13s %12s %10s %8s %s\n" "$r" "floor-ok" "$rate" "$p99" "$bad" "$rest"; FO+=("$rate $p99")
    read -r rate p99 bad rest <<<"$(run floor-kafka http://localhost:8090/floor/kafka '')"
    printf "%-6s %-13s %12s %10s %8s %s\n" "$r" "floor-kafka" "$rate" "$p99" "$bad" "$rest"; FK+=("$rate $p99")
  fi
done
python3 - "${G[*]}" "${A[*]}" <<'PY'
import statistics, sys
g = [float(x) for x in sys.argv[1].split()[0::2]]; gp = [float(x) for x in sys.argv[1].split()[1::2]]
a = [float(x) for x in sys.argv[2].split()[0::2]]; ap = [float(x) for x in sys.argv[2].split()[1::2]]
print(f"\nmedian: vigil {statistics.median(g):.0f}/s (p99 {statistics.median(gp):.1f} ms), "
      f"alertmanager {statistics.median(a):.0f}/s (p99 {statistics.median(ap):.1f} ms); "
      f"vigil / alertmanager = {statistics.median(g) / statistics.median(a):.2f}")
PY
if [ -n "${FLOOR:-}" ]; then
  python3 - "${FO[*]}" "${FK[*]}" "${A[*]}" <<'PY'
import statistics, sys
ok, kafka, a = ([float(x) for x in arg.split()[0::2]] for arg in sys.argv[1:4])
print(f"floor: Spring MVC on Tomcat alone {statistics.median(ok):.0f}/s ({statistics.median(ok) / statistics.median(a):.2f}"
      f" of alertmanager), with a Kafka acknowledgement {statistics.median(kafka):.0f}/s"
      f" ({statistics.median(kafka) / statistics.median(a):.2f})")
PY
fi
