#!/usr/bin/env bash
# kubeadm init on the first control-plane node (the course's `kubeadm init --image-repository ...`), kubeconfig for
# root, then the CNI. Idempotent: an initialised node (admin.conf) is not initialised again, and a
# CNI whose DaemonSet exists is not applied again.
#
# Environment:
#   APISERVER_ADVERTISE_ADDRESS  this node's address (required)
#   K8S_VERSION                  e.g. 1.28.2 (required)
#   IMAGE_REPOSITORY             default registry.aliyuncs.com/google_containers
#   POD_NETWORK_CIDR             default 10.244.0.0/16
#   SERVICE_CIDR                 default 10.96.0.0/16
#   KUBERNETES_DIR               default /etc/kubernetes (where kubeadm writes admin.conf)
#   CNI_MANIFEST                 URL or file of the CNI manifest (default: flannel's, whose default CIDR is 10.244.0.0/16)
set -euo pipefail

log() { printf '[control-plane-init] %s\n' "$*"; }
die() { printf '[control-plane-init] ERROR: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root"
[ -n "${APISERVER_ADVERTISE_ADDRESS:-}" ] || die "set APISERVER_ADVERTISE_ADDRESS to this node's address"
[ -n "${K8S_VERSION:-}" ] || die "set K8S_VERSION, e.g. 1.28.2"
repo="${IMAGE_REPOSITORY:-registry.aliyuncs.com/google_containers}"
pods="${POD_NETWORK_CIDR:-10.244.0.0/16}"
services="${SERVICE_CIDR:-10.96.0.0/16}"
cni="${CNI_MANIFEST:-https://github.com/flannel-io/flannel/releases/latest/download/kube-flannel.yml}"
k8s_dir="${KUBERNETES_DIR:-/etc/kubernetes}"
changed=0

if [ -f "$k8s_dir/admin.conf" ]; then
    log "already initialised ($k8s_dir/admin.conf exists): skipping kubeadm init"
else
    log "kubeadm init $K8S_VERSION: images from $repo, pods $pods, services $services"
    kubeadm init --apiserver-advertise-address="$APISERVER_ADVERTISE_ADDRESS" --image-repository="$repo" \
        --kubernetes-version="v$K8S_VERSION" --pod-network-cidr="$pods" --service-cidr="$services"
    changed=1
fi

if ! cmp -s "$k8s_dir/admin.conf" "$HOME/.kube/config"; then
    log "kubeconfig for $(id -un) in $HOME/.kube/config"
    install -d -m 700 "$HOME/.kube"
    install -m 600 "$k8s_dir/admin.conf" "$HOME/.kube/config"
    changed=1
else
    log "kubeconfig: already in place"
fi
export KUBECONFIG="$k8s_dir/admin.conf"

if kubectl get daemonset -A -o name 2>/dev/null | grep -Eq 'flannel|calico|cilium|weave'; then
    log "CNI: already installed"
else
    log "applying the CNI from $cni"
    kubectl apply -f "$cni"
    changed=1
fi

if [ "$changed" = 0 ]; then
    log "control plane already initialised: nothing to do"
else
    log "control plane initialised"
fi
