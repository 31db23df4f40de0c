#!/usr/bin/env bash
# On the control plane: writes a fresh join command (new token, 2 h TTL) to JOIN_COMMAND_FILE, mode 600, owned by
# the user who ran sudo (the agent, which stashes it for the workers).
set -euo pipefail

die() { printf '[print-join-command] ERROR: %s\n' "$*" >&2; exit 1; }

[ -n "${JOIN_COMMAND_FILE:-}" ] || die "set JOIN_COMMAND_FILE"
export KUBECONFIG="${KUBECONFIG:-/etc/kubernetes/admin.conf}"
(umask 077 && kubeadm token create --ttl 2h --print-join-command >"$JOIN_COMMAND_FILE")
if [ -n "${SUDO_UID:-}" ] && [ "$(id -u)" = 0 ]; then
    chown "$SUDO_UID:${SUDO_GID:-$SUDO_UID}" "$JOIN_COMMAND_FILE"
fi
printf '[print-join-command] a join command valid for 2 h is in %s\n' "$JOIN_COMMAND_FILE"
