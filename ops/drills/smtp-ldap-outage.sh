#!/usr/bin/env bash
# Drill: the directory hangs, then the SMTP server is down, while backups fail. Starts Kafka with the HTTP catcher,
# the demo LDAP directory and the SMTP catcher as three processes of the local stack, and the gateway, rules and
# notifier on them (the local routes: mails to the directory's recipients; a webhook, Slack and IFTTT to "ops").
#   1. LDAP hangs (SIGSTOP: connections open, nothing answers) for LDAP_HANG s while 5 jobs fail: the webhooks go out
#      at once, the mails wait, and go out once the directory answers again (SIGCONT).
#   2. SMTP is down (SIGKILL) for SMTP_DOWN s while 5 more jobs fail: the webhooks go out at once, the mails wait in
#      the notifier's retry topics and go out after the server is back.
# Prints when each channel delivered, relative to the failures and to the recovery, and counts mails by their
# X-Vigil-Delivery-Id: every one expected, none twice.
#
#   ops/drills/smtp-ldap-outage.sh [SMTP_DOWN seconds=600] [LDAP_HANG seconds=90]    KEEP=1 keeps its folder
#
# Runs on its own folder under /tmp, on the local stack's usual ports: stop ./run-local.sh first. Exits non-zero when
# the drill does not hold. With the shipped retry schedule (2 s, 6 s, 18 s, ... at most 10 min apart) a mail that
# waited through a 10-minute outage goes out at the next try after the server is back: within 10 minutes of it.
set -euo pipefail
cd "$(dirname "$0")/../.."
SMTP_DOWN=${1:-600}; LDAP_HANG=${2:-90}
VERSION=0.1.0-SNAPSHOT
for jar in gateway-service rules-service notifier-service local-stack; do
  [ -f "$jar/target/$jar-$VERSION-exec.jar" ] || { ./mvnw -q -B -DskipTests package; break; }
done
WORK=$(mktemp -d /tmp/vigil-smtp-ldap.XXXXXX)
mkdir -p "$WORK/logs" "$WORK/mail" "$WORK/webhooks"
if [ -z "${JAVA:-}" ]; then
  JAVA=$(ls -d /usr/lib/jvm/temurin-2[1-9]*/bin/java 2>/dev/null | sort -V | tail -n 1); JAVA=${JAVA:-java}
fi
OPTS="-Xmx384m -XX:+UseSerialGC --enable-native-access=ALL-UNNAMED"
declare -A PART
PIDS=()
cleanup() {
  [ -n "${PART[ldap]:-}" ] && kill -CONT "${PART[ldap]}" 2>/dev/null || true
  for p in "${PIDS[@]}" "${PART[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP:-}" ] && echo "logs kept in $WORK/logs" || rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
fail() { echo "DRILL FAILED: $*; see $WORK/logs" >&2; KEEP=1; exit 1; }
wait_for() { local deadline=$((SECONDS + $3)); until eval "$2" >/dev/null 2>&1; do
  [ $SECONDS -lt $deadline ] || fail "$1 did not start"; sleep 0.5; done; }
start_part() { # name, parts
  java -Xmx384m -Dvigil.local.only="$2" -Dvigil.local.mail-dir="$WORK/mail" -Dvigil.local.kafka-dir="$WORK/kafka" \
    -Dvigil.local.webhook-dir="$WORK/webhooks" -jar local-stack/target/local-stack-$VERSION-exec.jar \
    >> "$WORK/logs/$1.log" 2>&1 &
  PART[$1]=$!
  disown "${PART[$1]}" # stopped on purpose below: no job report from this shell
  wait_for "the local stack's $1" "grep -q 'local-stack ready' '$WORK/logs/$1.log'" 90
}
start_part kafka kafka,webhooks
start_part ldap ldap
start_part smtp smtp
for svc in gateway rules notifier; do
  extra=""
  [ $svc = rules ] && extra="--spring.kafka.streams.state-dir=$WORK/rules-state"
  $JAVA $OPTS -jar $svc-service/target/$svc-service-$VERSION-exec.jar --spring.profiles.active=local $extra \
    > "$WORK/logs/$svc.log" 2>&1 &
  PIDS+=($!)
done
wait_for "the gateway" "curl -sf http://localhost:9080/actuator/health/readiness" 180
wait_for "the rules" "curl -sf http://localhost:9081/actuator/health/readiness" 180
wait_for "the notifier" "curl -sf http://localhost:9082/actuator/health/readiness" 180
sleep 10 # the first directory sync and the consumers' assignments

fire() { # job
  local q
  q=$(printf 'PID=%s|t=60|cmd=%s|err=%s' "$RANDOM$RANDOM" "$(printf -- "--backup-vms=$1" | base64 -w0)" \
    "$(printf "$1: datastore unreachable" | base64 -w0)" | base64 -w0)
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:8080/hooks/xsibackup/demo-xsibackup-token-0001/error?$q")" = 200 ] \
    || fail "a hook was not accepted"
}
mails() { { grep -l "$1" "$WORK"/mail/*.eml 2>/dev/null || true; } | wc -l; }
hooks() { { grep -l "$1" "$WORK"/webhooks/*.json 2>/dev/null || true; } | wc -l; }
# seconds from $2 until "$1" (a command printing a count) reaches $3, waiting at most $4 s; -1 when it never did
until_count() { local deadline=$((SECONDS + $4)); while [ "$($1)" -lt "$3" ]; do
  [ $SECONDS -lt $deadline ] || { echo -1; return; }; sleep 1; done; echo $(( $(date +%s) - $2 )); }

TAG=R$RANDOM
echo "$(date +%T) 1. LDAP hangs (SIGSTOP) for $LDAP_HANG s; 5 jobs fail"
kill -STOP "${PART[ldap]}"
T0=$(date +%s)
for i in 1 2 3 4 5; do fire "LDAP-$TAG-$i"; done
WEBHOOK_LDAP=$(until_count "hooks LDAP-$TAG" "$T0" 5 60)
sleep $(( LDAP_HANG - ($(date +%s) - T0) > 0 ? LDAP_HANG - ($(date +%s) - T0) : 0 ))
MAILS_DURING_HANG=$(mails "LDAP-$TAG")
kill -CONT "${PART[ldap]}"
T1=$(date +%s)
echo "$(date +%T)    LDAP answers again"
MAIL_AFTER_LDAP=$(until_count "mails LDAP-$TAG" "$T1" 10 180)

echo "$(date +%T) 2. SMTP down (SIGKILL) for $SMTP_DOWN s; 5 jobs fail"
kill -9 "${PART[smtp]}"
T2=$(date +%s)
for i in 1 2 3 4 5; do fire "SMTP-$TAG-$i"; done
WEBHOOK_SMTP=$(until_count "hooks SMTP-$TAG" "$T2" 5 60)
sleep $(( SMTP_DOWN - ($(date +%s) - T2) > 0 ? SMTP_DOWN - ($(date +%s) - T2) : 0 ))
start_part smtp-again smtp
T3=$(date +%s)
echo "$(date +%T)    SMTP up again"
MAIL_AFTER_SMTP=$(until_count "mails SMTP-$TAG" "$T3" 10 900)
sleep 5
DUPLICATES=$({ grep -h -i '^X-Vigil-Delivery-Id:' "$WORK"/mail/*.eml || true; } | sort | uniq -d | wc -l)

echo
echo "directory hanging $LDAP_HANG s, 5 failures:"
echo "  webhooks (ops): all 5 jobs delivered ${WEBHOOK_LDAP} s after the failures, while the directory hung"
echo "  mails while it hung: $MAILS_DURING_HANG; all 10 delivered ${MAIL_AFTER_LDAP} s after it answered again"
echo "SMTP down $SMTP_DOWN s, 5 failures:"
echo "  webhooks (ops): all 5 jobs delivered ${WEBHOOK_SMTP} s after the failures, while SMTP was down"
echo "  mails: all 10 delivered ${MAIL_AFTER_SMTP} s after SMTP was back"
echo "mails by X-Vigil-Delivery-Id sent twice: $DUPLICATES"
[ "$WEBHOOK_LDAP" -ge 0 ] || fail "the webhooks waited for the directory"
[ "$MAILS_DURING_HANG" -eq 0 ] || fail "mails went out while the directory hung"
[ "$MAIL_AFTER_LDAP" -ge 0 ] || fail "mails were lost after the directory came back"
[ "$WEBHOOK_SMTP" -ge 0 ] || fail "the webhooks waited for SMTP"
[ "$MAIL_AFTER_SMTP" -ge 0 ] || fail "mails were lost after SMTP came back"
[ "$DUPLICATES" -eq 0 ] || fail "a mail was sent twice"
echo "drill held"
