#!/usr/bin/env bash
# The whole system on this machine: the local stack (Kafka, LDAP, SMTP and HTTP catchers) and the gateway, rules
# and notifier of ./run-local.sh, driven open-loop at a fixed rate by the load generator (a request is due every
# 1/rate s whether or not earlier ones were answered). Prints the hooks acknowledged and their latency, whether every
# acknowledged hook reached backup.events, the rules' lag until it is 0 again, hook -> alert latency measured from
# the trace ids on backup.alerts, and each service's heap before and after. The first 30 s (at most 1,000/s) warm the JIT
# up and are not counted; the warm-up then goes on, 10 s at a time (at most 180 s more), until the rules keep up, and
# the run says how long that took.
#
#   ops/bench/whole-system.sh [rate=4000] [seconds=300]
#
# JAVA_OPTS (-D... for every service) and LOADGEN_ARGS (e.g. "--concurrency 128") change what is measured.
#
# Needs nothing else on the local stack's ports. It resets .local/ (the local stack's state) and starts from it fresh.
set -euo pipefail
cd "$(dirname "$0")/../.."
RATE=${1:-4000}; DURATION=${2:-300}
VERSION=0.1.0-SNAPSHOT
for jar in gateway-service rules-service notifier-service local-stack load-generator; do
  [ -f "$jar/target/$jar-$VERSION-exec.jar" ] || { ./mvnw -q -B -DskipTests package; break; }
done
rm -rf .local
LOG=$(mktemp /tmp/vigil-whole-system.XXXXXX.log)
VIGIL_SKIP_BUILD=1 ./run-local.sh > "$LOG" 2>&1 &
STACK=$!
trap 'kill $STACK 2>/dev/null; wait $STACK 2>/dev/null || true' EXIT
trap 'exit 130' INT TERM
deadline=$((SECONDS + 240))
until grep -q "Vigil is running" "$LOG"; do
  [ $SECONDS -lt $deadline ] || { echo "the stack did not start; see $LOG and .local/logs/" >&2; exit 1; }
  sleep 1
done
heap() { # service port -> MB of heap used
  curl -s "localhost:$2/actuator/prometheus" | awk '/^jvm_memory_used_bytes\{.*area="heap"/ {s+=$NF} END {printf "%.0f", s/1048576}'
}
echo "heap used at rest (MB): gateway $(heap gateway 9080), rules $(heap rules 9081), notifier $(heap notifier 9082)"
JAVA=$(ls -d /usr/lib/jvm/temurin-2[1-9]*/bin/java 2>/dev/null | sort -V | tail -n 1); JAVA=${JAVA:-java}
$JAVA -jar load-generator/target/load-generator-$VERSION-exec.jar --rate "$RATE" --duration "$DURATION" --alerts true --warmup 30 ${LOADGEN_ARGS:-}
echo "heap used after the run (MB): gateway $(heap gateway 9080), rules $(heap rules 9081), notifier $(heap notifier 9082)"
