#!/usr/bin/env bash
# Drill: the rules service killed with SIGKILL under load and started again. Starts the local stack (it resets
# .local/, the local stack's state), drives hooks open-loop (with a failing and recovering job every few hundred hooks), kills the rules
# process with SIGKILL a third of the way in, starts it again five seconds later, and prints what the load generator
# measured: every acknowledged hook on backup.events, the rules' lag back to 0, hook -> alert latency, and the alert
# transitions on backup.alerts: duplicates (one transition of a job written twice) and the failures that raised no
# alert must both be 0.
#
#   ops/drills/rules-sigkill.sh [rate=500] [seconds=90]
set -euo pipefail
cd "$(dirname "$0")/../.."
RATE=${1:-500}; DURATION=${2:-90}
VERSION=0.1.0-SNAPSHOT
for jar in gateway-service rules-service notifier-service local-stack load-generator; do
  [ -f "$jar/target/$jar-$VERSION-exec.jar" ] || { ./mvnw -q -B -DskipTests package; break; }
done
rm -rf .local
LOG=$(mktemp /tmp/vigil-drill.XXXXXX.log)
VIGIL_SKIP_BUILD=1 ./run-local.sh > "$LOG" 2>&1 &
STACK=$!
RESTARTED=
cleanup() {
  [ -z "$RESTARTED" ] || kill "$RESTARTED" 2>/dev/null || true
  kill $STACK 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'exit 130' INT TERM
deadline=$((SECONDS + 240))
until grep -q "Vigil is running" "$LOG"; do
  [ $SECONDS -lt $deadline ] || { echo "the stack did not start; see $LOG and .local/logs/" >&2; exit 1; }
  sleep 1
done
JAVA=$(ls -d /usr/lib/jvm/temurin-2[1-9]*/bin/java 2>/dev/null | sort -V | tail -n 1); JAVA=${JAVA:-java}
$JAVA -jar load-generator/target/load-generator-$VERSION-exec.jar --rate "$RATE" --duration "$DURATION" \
  --alerts true --failures-per-thousand 10 --warmup 0 > .local/logs/drill-load.log 2>&1 &
LOAD=$!
sleep $((DURATION / 3))
if [ -z "${NO_KILL:-}" ]; then   # NO_KILL=1: the same run without the kill, to compare
  RULES=$(sed -n 's/^  rules .*pid \([0-9]*\)$/\1/p' "$LOG")   # the pid run-local.sh printed for the rules
  echo "$(date +%T) kill -9 rules ($RULES) under load"
  kill -9 "$RULES"
  sleep 5
  ./run-local.sh service rules > .local/logs/rules-restarted.log 2>&1 &
  RESTARTED=$!
  echo "$(date +%T) rules started again ($RESTARTED)"
fi
wait $LOAD || true
echo
grep -E "sent |acknowledged|latency ms|records added|lag|hook -> alert|transitions|failures|final alert state" .local/logs/drill-load.log
