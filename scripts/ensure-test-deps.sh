#!/usr/bin/env bash
# System packages the test suite needs beyond the virtualenv (Java for Spark, Chromium for
# the explorer's browser tests). Installs from Debian only what is missing; idempotent.
set -euo pipefail
need=()
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)
[ -x /usr/bin/chromium ] || need+=(chromium)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "missing system packages: ${need[*]} (install them with apt-get; their tests will be skipped)" >&2
  fi
fi
