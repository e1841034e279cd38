#!/usr/bin/env bash
# Runs a command with a throw-away PostgreSQL cluster on 127.0.0.1 (RAPPORT_TEST_POSTGRES_URL set
# to it), and removes the cluster afterwards, whatever the command's outcome. A cluster that
# cannot start fails the run with its reason: the team store's tests are never skipped.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
folder="$(mktemp -d /tmp/rapport-postgres-XXXXXX)"
chmod 755 "$folder"
cleanup() { "$here/postgres.sh" stop "$folder" || true; rm -rf "$folder"; }
trap cleanup EXIT
url="$("$here/postgres.sh" start "$folder")"
echo "with-postgres: a throw-away PostgreSQL at $url"
RAPPORT_TEST_POSTGRES_URL="$url" "$@"
