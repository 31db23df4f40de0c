#!/usr/bin/env bash
# Joins this node to the cluster with a fresh token: the join command comes from the control plane
# (`kubeadm token create --print-join-command`), never a token copied from the init output (the course's tokens
# expire after 24 h). Idempotent: a node that already has /etc/kubernetes/kubelet.conf is not joined again.
#
# Environment:
#   JOIN_COMMAND_FILE   a file holding the join command (the job unstashes it from the control plane into a
#                       folder of mode 700; the file must be mode 600); it is parsed, never run
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
if [ -z "${JOIN_COMMAND_FILE:-}" ] || [ ! -f "$JOIN_COMMAND_FILE" ]; then
    die "set JOIN_COMMAND_FILE to a file holding the output of 'kubeadm token create --print-join-command'"
fi
mode="$(stat -c %a "$JOIN_COMMAND_FILE")"
case "$mode" in
    600 | 400) ;;
    *) die "$JOIN_COMMAND_FILE has mode $mode: it holds a token, so only its owner may read it (chmod 600)" ;;
esac
# the file is parsed, never run: only the three values of a join command reach kubeadm
read -r -a words <"$JOIN_COMMAND_FILE" || true
if [ "${#words[@]}" -ne 7 ] || [ "${words[0]}" != kubeadm ] || [ "${words[1]}" != join ] ||
    [ "${words[3]}" != --token ] || [ "${words[5]}" != --discovery-token-ca-cert-hash ] ||
    ! [[ "${words[2]}" =~ ^[A-Za-z0-9.:-]+:[0-9]+$|^\[[0-9A-Fa-f:]+\]:[0-9]+$ ]] ||
    ! [[ "${words[4]}" =~ ^[a-z0-9]{6}\.[a-z0-9]{16}$ ]] || ! [[ "${words[6]}" =~ ^sha256:[0-9a-f]{64}$ ]]; then
    die "$JOIN_COMMAND_FILE does not hold a 'kubeadm join HOST:PORT --token TOKEN --discovery-token-ca-cert-hash sha256:HASH' command"
fi
log "joining the cluster at ${words[2]}"
# the token is in kubeadm's arguments only, as kubeadm needs it
kubeadm join "${words[2]}" --token "${words[4]}" --discovery-token-ca-cert-hash "${words[6]}"
log "joined"
