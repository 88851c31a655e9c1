#!/usr/bin/env bash
# Installs the command-line tools the tests run, where missing, from the machine's apt sources:
#   curl            the shipped Retrospect handler (clients/retrospect) uses it
#   promtool        checks ops/prometheus/ (Debian package prometheus)
#   docker-compose  validates docker-compose.yml without a Docker engine (`config -q`)
#   kubectl         renders k8s/overlays/* with its built-in kustomize
#   slapadd         loads the Compose file's OpenLDAP seed against its schema (Debian package slapd)
#   chromium        the console's browser tests (Selenium drives Debian's chromium through chromium-driver)
set -euo pipefail
missing=()
command -v curl >/dev/null 2>&1 || missing+=(curl)
command -v promtool >/dev/null 2>&1 || missing+=(prometheus)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
command -v kubectl >/dev/null 2>&1 || missing+=(kubectl)
[ -x /usr/sbin/slapadd ] || command -v slapadd >/dev/null 2>&1 || missing+=(slapd)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
echo "installing ${missing[*]}"
install() {
  apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "$@"
}
if [ "$(id -u)" -eq 0 ]; then
  install "${missing[@]}"
else
  sudo -n bash -c "$(declare -f install); install ${missing[*]}"
fi
