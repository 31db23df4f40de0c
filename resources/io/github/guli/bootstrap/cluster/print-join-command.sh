#!/usr/bin/env bash
# On the control plane: writes a fresh join command (new token, 2 h TTL) to JOIN_COMMAND_FILE, mode 600.
set -euo pipefail

die() { printf '[print-join-command] ERROR: %s\n' "$*" >&2; exit 1; }

[ -n "${JOIN_COMMAND_FILE:-}" ] || die "set JOIN_COMMAND_FILE"
export KUBECONFIG="${KUBECONFIG:-/etc/kubernetes/admin.conf}"
(umask 077 && kubeadm token create --ttl 2h --print-join-command >"$JOIN_COMMAND_FILE")
printf '[print-join-command] a join command valid for 2 h is in %s\n' "$JOIN_COMMAND_FILE"
