#!/usr/bin/env bash
# Optional: a default StorageClass (KubeSphere needs one), then KubeSphere's installer. Idempotent: an existing
# default StorageClass is kept, and an installed ks-installer is not applied again.
#
# Environment:
#   KUBESPHERE_VERSION       default v3.3.2
#   KUBESPHERE_BASEURL       default https://github.com/kubesphere/ks-installer/releases/download/<version>
#   DEFAULT_STORAGECLASS     name of an existing StorageClass to mark default when there is none (e.g. nfs-client)
set -euo pipefail

log() { printf '[kubesphere] %s\n' "$*"; }
die() { printf '[kubesphere] ERROR: %s\n' "$*" >&2; exit 1; }

export KUBECONFIG="${KUBECONFIG:-/etc/kubernetes/admin.conf}"
version="${KUBESPHERE_VERSION:-v3.3.2}"
base="${KUBESPHERE_BASEURL:-https://github.com/kubesphere/ks-installer/releases/download/$version}"
changed=0

default_sc="$(kubectl get storageclass -o jsonpath='{range .items[?(@.metadata.annotations.storageclass\.kubernetes\.io/is-default-class=="true")]}{.metadata.name}{"\n"}{end}')"
if [ -n "$default_sc" ]; then
    log "default StorageClass: already $default_sc"
elif [ -n "${DEFAULT_STORAGECLASS:-}" ]; then
    kubectl get storageclass "$DEFAULT_STORAGECLASS" >/dev/null || die "no StorageClass $DEFAULT_STORAGECLASS: install its provisioner first"
    log "marking $DEFAULT_STORAGECLASS as the default StorageClass"
    kubectl patch storageclass "$DEFAULT_STORAGECLASS" \
        -p '{"metadata":{"annotations":{"storageclass.kubernetes.io/is-default-class":"true"}}}'
    changed=1
else
    die "no default StorageClass: install a provisioner (e.g. nfs-subdir-external-provisioner) and set DEFAULT_STORAGECLASS"
fi

if kubectl -n kubesphere-system get deployment ks-installer >/dev/null 2>&1; then
    log "KubeSphere installer: already applied"
else
    log "applying KubeSphere $version"
    kubectl apply -f "$base/kubesphere-installer.yaml"
    kubectl apply -f "$base/cluster-configuration.yaml"
    changed=1
fi

if [ "$changed" = 0 ]; then
    log "nothing to do"
else
    log "follow the installation: kubectl logs -n kubesphere-system deploy/ks-installer -f"
fi
