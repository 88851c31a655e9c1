#!/usr/bin/env bash
# Soak: the whole local system (./run-local.sh: Kafka, LDAP, SMTP and HTTP catchers, gateway, rules, notifier,
# console) driven open-loop at a fixed rate for minutes, with GC logs. Prints each service's heap every 30 s, the heap
# left after each garbage collection in the first and in the last two minutes, the heap still used after a full
# collection 2 minutes into the run and at its end (what each service keeps; flat means no leak), and what the load
# generator saw: every acknowledged hook on backup.events, the rules' lag back to 0, one FIRING per acknowledged
# failure and no transition twice (in = out).
#
#   [HEAP=256m] ops/bench/soak.sh [rate=1000] [minutes=10]          GC logs: .local/logs/gc-<pid>.log
#
# Each service runs with a heap of at most HEAP (256 MB: what a service may use at rest and under a steady load).
#
# It resets .local/ and starts the stack from it fresh; nothing else may use the local stack's ports.
set -euo pipefail
cd "$(dirname "$0")/../.."
RATE=${1:-1000}; MINUTES=${2:-10}
VERSION=0.1.0-SNAPSHOT
for jar in gateway-service rules-service notifier-service console-service local-stack load-generator; do
  [ -f "$jar/target/$jar-$VERSION-exec.jar" ] || { ./mvnw -q -B -DskipTests package; break; }
done
rm -rf .local
mkdir -p .local/logs
LOG=$(mktemp /tmp/vigil-soak.XXXXXX.log)
# the services' usual options, plus a GC log per process
JAVA_OPTS="-Xmx${HEAP:-256m} -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED -Xlog:gc:file=$(pwd)/.local/logs/gc-%p.log:uptime" \
  VIGIL_SKIP_BUILD=1 ./run-local.sh > "$LOG" 2>&1 &
STACK=$!
SAMPLER=
cleanup() { [ -z "$SAMPLER" ] || kill $SAMPLER 2>/dev/null; [ -z "${EARLY:-}" ] || kill $EARLY 2>/dev/null || true; kill $STACK 2>/dev/null; wait $STACK 2>/dev/null || true; }
trap cleanup EXIT
trap 'exit 130' INT TERM
deadline=$((SECONDS + 240))
until grep -q "Vigil is running" "$LOG"; do
  [ $SECONDS -lt $deadline ] || { echo "the stack did not start; see $LOG and .local/logs/" >&2; exit 1; }
  sleep 1
done
heap() { curl -s "localhost:$1/actuator/prometheus" | awk '/^jvm_memory_used_bytes\{.*area="heap"/ {s+=$NF} END {printf "%.0f", s/1048576}'; }
sleep 20
echo "heap used at rest (MB): gateway $(heap 9080), rules $(heap 9081), notifier $(heap 9082), console $(heap 9084)"
( echo "  s   gateway  rules  notifier  console   (heap used, MB)"
  start=$SECONDS
  while true; do
    printf '%4d  %7s %6s %9s %8s\n' $((SECONDS - start)) "$(heap 9080)" "$(heap 9081)" "$(heap 9082)" "$(heap 9084)"
    sleep 30
  done ) &
SAMPLER=$!
JAVA=$(ls -d /usr/lib/jvm/temurin-2[1-9]*/bin/java 2>/dev/null | sort -V | tail -n 1); JAVA=${JAVA:-java}
JCMD=$(dirname "$(readlink -f "$(command -v "$JAVA")")")/jcmd
pid_of() { sed -n "s/^  $1 .*pid \([0-9]*\)$/\1/p" "$LOG" | head -n 1; }
live() { # the heap each service still uses after a full collection: what it keeps, without garbage not yet collected
  local out=""
  for s in gateway:9080 rules:9081 notifier:9082; do
    "$JCMD" "$(pid_of "${s%%:*}")" GC.run >/dev/null 2>&1 || true
    out="$out ${s%%:*} $(heap "${s##*:}")"
  done
  echo "$out"
}
rm -f .local/logs/soak-load.log
# 2 min after the warm-up ends (it lasts until the rules keep up)
# (the warm-up lasts at most 30 + 180 s; a load generator that never starts driving leaves no sample)
( deadline=$((SECONDS + 300))
  until grep -q "^driving" .local/logs/soak-load.log 2>/dev/null; do [ $SECONDS -lt $deadline ] || exit 0; sleep 1; done
  sleep 120
  echo "live heap after a full collection, 2 min into the run (MB):$(live)" > .local/logs/soak-live-early.log ) &
EARLY=$!
$JAVA -jar load-generator/target/load-generator-$VERSION-exec.jar --rate "$RATE" --duration $((MINUTES * 60)) \
  --alerts true --warmup 30 > .local/logs/soak-load.log 2>&1
kill $SAMPLER 2>/dev/null; SAMPLER=
wait $EARLY 2>/dev/null || true
cat .local/logs/soak-live-early.log 2>/dev/null || true
echo "live heap after a full collection, at the end of the run (MB):$(live)"
echo
grep -E "sent |acknowledged|latency ms|records added|lag|hook -> alert|transitions|duplicate" .local/logs/soak-load.log || true
echo
echo "heap after GC (MB), per service: first 2 min of the run / last 2 min (mean, max), and the collections"
for pid in gateway rules notifier console; do
  p=$(sed -n "s/^  $pid .*pid \([0-9]*\)$/\1/p" "$LOG" | head -n 1)
  [ -n "$p" ] && [ -f ".local/logs/gc-$p.log" ] || continue
  python3 - "$pid" ".local/logs/gc-$p.log" "$MINUTES" <<'PY'
import re, sys
name, path, minutes = sys.argv[1], sys.argv[2], int(sys.argv[3])
points = []
for line in open(path):
    m = re.match(r"\[(\d+\.\d+)s\].*Pause .*?(\d+)M->(\d+)M\((\d+)M\)", line)
    if m:
        points.append((float(m.group(1)), int(m.group(3)), int(m.group(4))))
if not points:
    print(f"  {name:9s} no collections logged"); sys.exit()
end = points[-1][0]
start = end - minutes * 60
def window(a, b):
    xs = [p[1] for p in points if a <= p[0] < b]
    return (sum(xs) / len(xs), max(xs)) if xs else (0, 0)
first, last = window(start, start + 120), window(end - 120, end + 1)
print(f"  {name:9s} {first[0]:5.0f} / {last[0]:5.0f} mean, {first[1]:4d} / {last[1]:4d} max; {len(points)} collections,"
      f" heap size {points[-1][2]} MB")
PY
done
