#!/usr/bin/env bash
# The demo: installs what is missing, starts the local Temporal dev server and ten sshd hosts on
# 127.0.1.1-10, then runs examples/demo's plan: a canary, a gate, a rollout in batches of three.
# Extra arguments go to `hades run` (for example --yes to approve the gate unattended).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

STATE=.hades
CONFIG=examples/demo

say() { printf 'demo: %s\n' "$*"; }

if [ "${1:-}" = "--stop" ]; then
  node dist/scripts/fleet.js stop --state-dir "$STATE/fleet" || true
  node bin/hades dev --stop --state-dir "$STATE" || true
  exit 0
fi

bash scripts/setup.sh

say "starting the Temporal dev server (state in $STATE/)"
node bin/hades dev --detach --state-dir "$STATE"

if [ -d "$STATE/fleet/hosts" ]; then node dist/scripts/fleet.js stop --state-dir "$STATE/fleet" >/dev/null 2>&1 || true; fi
say "starting 10 sshd hosts on 127.0.1.1-10; their inventory goes to $CONFIG/inventory.yaml"
node dist/scripts/fleet.js start --count 10 --state-dir "$STATE/fleet" --inventory "$CONFIG/inventory.yaml"

say "hades run deploy -c $CONFIG $*"
status=0
node bin/hades run deploy -c "$CONFIG" "$@" || status=$?

cat <<INFO

demo: the Web UI shows this run and its history: http://127.0.0.1:8233
demo: host logs are in logs/<run-id>/; try: npx hades run deploy -c $CONFIG --dry-run
demo: the servers keep running for another go; stop them with: npm run demo -- --stop
INFO
exit "$status"
