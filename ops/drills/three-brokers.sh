#!/usr/bin/env bash
# Drill: one of three Kafka brokers killed under load. Starts a three-node KRaft cluster on this machine (each node
# broker and controller, its own process; replication factor 3, min.insync.replicas 2), the gateway and the rules on
# it, and drives hooks open-loop with 1 % failures; a third of the way in, node 2 is killed with SIGKILL, and started
# again 30 s later on its data. Prints what the load generator saw (acknowledged, refused, latency), whether every
# acknowledged hook is on backup.events, the rules' lag after the run, and the failed-backup alerts: each failing job's
# alert ends in the state of its last acknowledged verdict, and no transition is written twice.
#
#   ops/drills/three-brokers.sh [hooks/s=300] [seconds=90]      KEEP=1 keeps its folder (logs, Kafka data) under /tmp
#
# Runs on its own folder under /tmp and ports 29091-29093 (clients) and 29191-29193 (controllers); the gateway and
# the rules use their usual ports, so stop ./run-local.sh first. Exits non-zero when the drill does not hold.
set -euo pipefail
cd "$(dirname "$0")/../.."
RATE=${1:-300}; DURATION=${2:-90}
VERSION=0.1.0-SNAPSHOT
for jar in gateway-service rules-service local-stack load-generator; do
  [ -f "$jar/target/$jar-$VERSION-exec.jar" ] || { ./mvnw -q -B -DskipTests package; break; }
done
WORK=$(mktemp -d /tmp/vigil-three-brokers.XXXXXX)
mkdir -p "$WORK/logs"
if [ -z "${JAVA:-}" ]; then
  JAVA=$(ls -d /usr/lib/jvm/temurin-2[1-9]*/bin/java 2>/dev/null | sort -V | tail -n 1); JAVA=${JAVA:-java}
fi
OPTS="-Xmx384m -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED"
BOOT=127.0.0.1:29091,127.0.0.1:29092,127.0.0.1:29093
declare -A NODE
PIDS=()
cleanup() {
  for p in "${PIDS[@]}" "${NODE[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP:-}" ] && echo "logs kept in $WORK/logs" || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
wait_for() { local deadline=$((SECONDS + $3)); until eval "$2" >/dev/null 2>&1; do
  [ $SECONDS -lt $deadline ] || { echo "$1 did not start; see $WORK/logs" >&2; KEEP=1; exit 1; }; sleep 0.5; done; }
start_node() {
  java -Xmx384m -Dvigil.local.cluster-node="$1" -Dvigil.local.kafka-dir="$WORK/node-$1" \
    -jar local-stack/target/local-stack-$VERSION-exec.jar >> "$WORK/logs/node-$1.log" 2>&1 &
  NODE[$1]=$!
  disown "${NODE[$1]}" # killed on purpose below: no job report from this shell
}
for n in 1 2 3; do start_node $n; done
for n in 1 2 3; do wait_for "kafka node $n" "grep -q 'local-stack ready' '$WORK/logs/node-$n.log'" 120; done
echo "$(date +%T) three brokers up ($BOOT)"
$JAVA $OPTS -jar gateway-service/target/gateway-service-$VERSION-exec.jar --spring.profiles.active=local \
  --spring.kafka.bootstrap-servers=$BOOT --vigil.kafka.replicas=3 \
  --logging.level.dev.vigil.gateway.ingest.EventPublisher=warn > "$WORK/logs/gateway.log" 2>&1 &
PIDS+=($!)
$JAVA $OPTS -jar rules-service/target/rules-service-$VERSION-exec.jar --spring.profiles.active=local \
  --spring.kafka.bootstrap-servers=$BOOT --vigil.kafka.replicas=3 \
  --spring.kafka.streams.state-dir="$WORK/rules-state" > "$WORK/logs/rules.log" 2>&1 &
PIDS+=($!)
wait_for "the gateway" "curl -sf http://localhost:9080/actuator/health/readiness" 180
wait_for "the rules" "curl -sf http://localhost:9081/actuator/health/readiness" 180
echo "$(date +%T) gateway and rules up; driving $RATE hooks/s for $DURATION s"

$JAVA -jar load-generator/target/load-generator-$VERSION-exec.jar --rate "$RATE" --duration "$DURATION" \
  --kafka "$BOOT" --alerts true --failures-per-thousand 10 --warmup 0 > "$WORK/logs/load.log" 2>&1 &
LOAD=$!
PIDS+=($LOAD)
sleep $((DURATION / 3))
echo "$(date +%T) kill -9 kafka node 2 (${NODE[2]}) under load"
kill -9 "${NODE[2]}"
sleep 30
start_node 2
echo "$(date +%T) kafka node 2 started again (${NODE[2]})"
wait $LOAD || true
echo
grep -E "sent |acknowledged|latency ms|records added|lag|hook -> alert|transitions|duplicate|final alert state" "$WORK/logs/load.log" || true
OK=$(sed -n 's/^acknowledged (2xx) \([0-9]*\), refused \([0-9]*\), failed (no answer) \([0-9]*\)$/\1/p' "$WORK/logs/load.log")
if ! grep -q "records added to backup.events: .*(every acknowledged hook" "$WORK/logs/load.log" \
   || ! grep -q "final alert state.*(all)" "$WORK/logs/load.log" \
   || grep -q "^duplicate transition:" "$WORK/logs/load.log" || [ -z "$OK" ]; then
  echo "DRILL FAILED: see $WORK/logs" >&2; KEEP=1; exit 1
fi
echo "drill held: every acknowledged hook on backup.events, every failing job's alert in the state of its last verdict, no transition twice"
