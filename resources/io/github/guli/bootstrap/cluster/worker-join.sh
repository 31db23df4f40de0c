#!/usr/bin/env bash
# Joins this node to the cluster with a fresh token: the join command comes from the control plane
# (`kubeadm token create --print-join-command`), never a token copied from the init output (the course's tokens
# expire after 24 h). Idempotent: a node that already has /etc/kubernetes/kubelet.conf is not joined again.
#
# Environment:
#   JOIN_COMMAND_FILE   a file holding the join command (the job writes it from the control plane, mode 600,
#                       and deletes it after); the token never goes through an argument of this script
#   KUBERNETES_DIR      default /etc/kubernetes (where kubeadm writes kubelet.conf)
set -euo pipefail

log() { printf '[worker-join] %s\n' "$*"; }
die() { printf '[worker-join] ERROR: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root"
k8s_dir="${KUBERNETES_DIR:-/etc/kubernetes}"
if [ -f "$k8s_dir/kubelet.conf" ]; then
    log "already joined ($k8s_dir/kubelet.conf exists): nothing to do"
    exit 0
fi
if [ -z "${JOIN_COMMAND_FILE:-}" ] || [ ! -r "$JOIN_COMMAND_FILE" ]; then
    die "set JOIN_COMMAND_FILE to a file holding the output of 'kubeadm token create --print-join-command'"
fi
join="$(<"$JOIN_COMMAND_FILE")"
[[ "$join" == "kubeadm join "* ]] || die "$JOIN_COMMAND_FILE does not hold a 'kubeadm join' command"
log "joining the cluster"
# the command is run by a shell reading stdin, so the token is in kubeadm's arguments only (as kubeadm needs it)
printf '%s\n' "$join" | bash -s
log "joined"
