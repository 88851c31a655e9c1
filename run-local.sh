#!/usr/bin/env bash
# Starts Vigil locally on embedded defaults, no Docker: a Kafka broker (localhost:9092), the demo LDAP directory
# (localhost:3389), an SMTP catcher that writes every mail to .local/mail/, an HTTP catcher that keeps every
# Slack/IFTTT/webhook request in .local/webhooks/, and the gateway (:8080), rules (:8081) and notifier
# (:8082), and the console (:8084). Logs go to .local/logs/. Ctrl-C stops everything it started.
#
#   ./run-local.sh                  build, then start everything
#   ./run-local.sh service NAME     start one service (gateway|rules|notifier|console) in the foreground, e.g. after
#                                   stopping it with `kill <pid>`; the rest of the stack must be running
#   ./run-local.sh service notifier2   a second notifier instance (:8083, metrics :9083) beside the first: the two
#                                   share the work by the partitions Kafka assigns them
#   VIGIL_SKIP_BUILD=1 ./run-local.sh   reuse the jars already built
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$(pwd)
LOCAL="$ROOT/.local"
mkdir -p "$LOCAL/logs" "$LOCAL/mail" "$LOCAL/rules-state"
VERSION=0.1.0-SNAPSHOT
# The services run on the newest JDK of the machine (Temurin 25 where it is installed: virtual threads for the
# gateway), else on the default java. Set JAVA to choose.
if [ -z "${JAVA:-}" ]; then
  JAVA=$(ls -d /usr/lib/jvm/temurin-2[1-9]*/bin/java 2>/dev/null | sort -V | tail -n 1)
  JAVA=${JAVA:-java}
fi
JAVA_OPTS=${JAVA_OPTS:--Xmx384m -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED}

service_cmd() {
  case "$1" in
    gateway)  echo "$JAVA $JAVA_OPTS -jar $ROOT/gateway-service/target/gateway-service-$VERSION-exec.jar --spring.profiles.active=local" ;;
    rules)    echo "$JAVA $JAVA_OPTS -jar $ROOT/rules-service/target/rules-service-$VERSION-exec.jar --spring.profiles.active=local --spring.kafka.streams.state-dir=$LOCAL/rules-state" ;;
    notifier) echo "$JAVA $JAVA_OPTS -jar $ROOT/notifier-service/target/notifier-service-$VERSION-exec.jar --spring.profiles.active=local" ;;
    console)  echo "$JAVA $JAVA_OPTS -jar $ROOT/console-service/target/console-service-$VERSION-exec.jar --spring.profiles.active=local" ;;
    notifier2) echo "$JAVA $JAVA_OPTS -jar $ROOT/notifier-service/target/notifier-service-$VERSION-exec.jar --spring.profiles.active=local --server.port=8083 --management.server.port=9083" ;;
    *) echo "unknown service '$1' (gateway, rules, notifier, console or notifier2)" >&2; return 1 ;;
  esac
}

if [ "${1:-}" = "service" ]; then
  exec $(service_cmd "${2:?which service: gateway, rules or notifier}")
fi

if [ -z "${VIGIL_SKIP_BUILD:-}" ]; then
  echo "building (./mvnw package, tests skipped)..."
  ./mvnw -q -B -DskipTests package
fi

PIDS=()
stop_all() {
  trap - INT TERM EXIT
  echo
  echo "stopping..."
  for ((i=${#PIDS[@]}-1; i>=0; i--)); do kill "${PIDS[$i]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "stopped."
}
trap stop_all INT TERM EXIT

wait_for() { # what, check command, seconds
  local deadline=$((SECONDS + $3))
  until eval "$2" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then echo "$1 did not start in $3 s; see $LOCAL/logs/" >&2; exit 1; fi
    sleep 0.5
  done
}

: > "$LOCAL/logs/local-stack.log"
java -Xmx512m -Dvigil.local.mail-dir="$LOCAL/mail" -Dvigil.local.kafka-dir="$LOCAL/kafka/data" -Dvigil.local.webhook-dir="$LOCAL/webhooks" \
  -jar "$ROOT/local-stack/target/local-stack-$VERSION-exec.jar" >> "$LOCAL/logs/local-stack.log" 2>&1 &
PIDS+=($!)
wait_for "the local stack (Kafka, LDAP, SMTP)" "grep -q 'local-stack ready' '$LOCAL/logs/local-stack.log'" 90

declare -A MGMT=([gateway]=9080 [rules]=9081 [notifier]=9082 [console]=9084)
for svc in gateway rules notifier console; do
  $(service_cmd $svc) > "$LOCAL/logs/$svc.log" 2>&1 &
  PIDS+=($!)
  eval "PID_$svc=$!"
done
for svc in gateway rules notifier console; do
  wait_for "the $svc service" "curl -sf http://localhost:${MGMT[$svc]}/actuator/health/readiness" 120
done

PAYLOAD=$(printf 'PID=%s|t=845|cmd=%s|err=%s' "$RANDOM" \
  "$(printf -- '--backup-point=/vmfs/volumes/backup --backup-type=custom --backup-vms=WIN7,ERP01' | base64 -w0)" \
  "$(printf 'ERP01: snapshot creation failed\nWIN7: 0 errors' | base64 -w0)" | base64 -w0)
SUCCESS=$(printf 'PID=%s|t=830|cmd=%s' "$RANDOM" \
  "$(printf -- '--backup-point=/vmfs/volumes/backup --backup-type=custom --backup-vms=WIN7,ERP01' | base64 -w0)" | base64 -w0)

cat <<INFO

Vigil is running on embedded defaults.
  console   http://localhost:8084   (metrics http://localhost:9084/actuator/prometheus)  pid $PID_console
            sign in with demo-read-key-00000001 (tenant demo); demo-write-key-0000001 may also silence and
            register, demo-operator-key-000001 sees every tenant
  gateway   http://localhost:8080   (metrics http://localhost:9080/actuator/prometheus)  pid $PID_gateway
  rules     http://localhost:8081   (metrics http://localhost:9081/actuator/prometheus)  pid $PID_rules
  notifier  http://localhost:8082   (metrics http://localhost:9082/actuator/prometheus)  pid $PID_notifier
  kafka     localhost:9092    ldap  ldap://localhost:3389 (dc=stoney-cloud,dc=org)    smtp  localhost:3025
  mail      $LOCAL/mail/*.eml
  webhooks  $LOCAL/webhooks/*.json   (the demo Slack, IFTTT and webhook receivers, http://localhost:8099)
  logs      $LOCAL/logs/
  status    curl -H 'Authorization: Bearer demo-read-key-00000001' localhost:8081/api/v1/jobs
  silences  curl -H 'Authorization: Bearer demo-read-key-00000001' localhost:8082/api/v1/silences
  registrations  curl -H 'Authorization: Bearer demo-read-key-00000001' localhost:8080/api/v1/registrations   (create, rotate, revoke: README, "Registrations at runtime")

Fire a demo XSIBackup error (account 3723707; mails go to its owner and the reseller's support):
curl 'http://localhost:8080/hooks/xsibackup/demo-xsibackup-token-0001/error?$PAYLOAD'

Then the same job succeeding (a "resolved" mail follows):
curl 'http://localhost:8080/hooks/xsibackup/demo-xsibackup-token-0001/success?$SUCCESS'

Then open http://localhost:8084/jobs: the job is failing, its page shows the runs and who was told.

Stop one service with kill <pid> and start it again with: ./run-local.sh service <gateway|rules|notifier|console>
A second notifier beside the first (:8083, metrics :9083): ./run-local.sh service notifier2
Ctrl-C stops everything.
INFO

wait
