#!/usr/bin/env bash
# Install the system packages the tests and benchmarks need, only where missing.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v wrk >/dev/null || missing+=(wrk)
command -v initdb >/dev/null || [ -x /usr/lib/postgresql/15/bin/initdb ] || missing+=(postgresql)
# The shared cache and the proxy of the multi-server tests (make test-cluster).
command -v redis-server >/dev/null || [ -x /usr/bin/redis-server ] || missing+=(redis-server)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
fc-list 2>/dev/null | grep -qi "thai\|sarabun\|loma\|garuda" || missing+=(fonts-thai-tlwg)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing system packages: ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
