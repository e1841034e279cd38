#!/usr/bin/env bash
# Installs the system packages rapport builds against, through apt, when any is missing.
# Does nothing (and needs no network) when everything is present. Safe to run again.
set -euo pipefail

# Extra packages can be named as arguments: `make bench` adds wrk, its HTTP load generator.
# zlib1g-dev: the server's WebSocket client (swift-websocket, through compress-nio) links libz.
packages=(pkg-config libsqlite3-dev libedit-dev libcurl4-openssl-dev libssl-dev zlib1g-dev "$@")

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if ((${#missing[@]} > 0)); then
  echo "bootstrap: installing ${missing[*]}"
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "bootstrap: 'swift' is not on PATH; install the Swift 6 toolchain first (swift.org/install)" >&2
  exit 1
fi
