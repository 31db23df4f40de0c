#!/usr/bin/env bash
# Prepares a node for kubeadm (the course's manual steps): firewall off, SELinux permissive, swap off, bridge
# sysctls, time sync, a container runtime, and kubeadm/kubelet/kubectl from a package mirror. Idempotent: each step
# checks first and says "already" when there is nothing to change. Run as root on each node.
#
# Environment:
#   K8S_VERSION        kubeadm/kubelet/kubectl version, e.g. 1.28.2 (required)
#   K8S_REPO_BASEURL   package mirror, default https://mirrors.aliyun.com/kubernetes-new/core/stable/v<major.minor>
#   CONTAINER_RUNTIME  containerd (default) or docker
set -euo pipefail

log() { printf '[node-prep] %s\n' "$*"; }
die() { printf '[node-prep] ERROR: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root"
[ -n "${K8S_VERSION:-}" ] || die "set K8S_VERSION, e.g. 1.28.2"
minor="${K8S_VERSION%.*}"
repo="${K8S_REPO_BASEURL:-https://mirrors.aliyun.com/kubernetes-new/core/stable/v$minor}"
runtime="${CONTAINER_RUNTIME:-containerd}"
changed=0

if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet firewalld; then
    log "stopping and disabling firewalld"
    systemctl disable --now firewalld
    changed=1
else
    log "firewalld: already inactive"
fi

if command -v getenforce >/dev/null 2>&1 && [ "$(getenforce)" = Enforcing ]; then
    log "SELinux: permissive now and after reboot"
    setenforce 0
    sed -i 's/^SELINUX=enforcing/SELINUX=permissive/' /etc/selinux/config
    changed=1
else
    log "SELinux: already not enforcing"
fi

if [ -n "$(swapon --show --noheadings 2>/dev/null)" ]; then
    log "turning swap off now and in /etc/fstab"
    swapoff -a
    sed -ri 's/^([^#].*[[:space:]]swap[[:space:]].*)$/# \1/' /etc/fstab
    changed=1
else
    log "swap: already off"
fi

modules=$'overlay\nbr_netfilter'
if [ "$(cat /etc/modules-load.d/k8s.conf 2>/dev/null)" != "$modules" ]; then
    log "loading overlay and br_netfilter at boot"
    printf '%s\n' "$modules" >/etc/modules-load.d/k8s.conf
    modprobe overlay
    modprobe br_netfilter
    changed=1
else
    log "kernel modules: already configured"
fi

sysctls=$'net.bridge.bridge-nf-call-iptables = 1\nnet.bridge.bridge-nf-call-ip6tables = 1\nnet.ipv4.ip_forward = 1'
if [ "$(cat /etc/sysctl.d/k8s.conf 2>/dev/null)" != "$sysctls" ]; then
    log "bridge sysctls"
    printf '%s\n' "$sysctls" >/etc/sysctl.d/k8s.conf
    sysctl --system >/dev/null
    changed=1
else
    log "bridge sysctls: already set"
fi

if command -v timedatectl >/dev/null 2>&1 && [ "$(timedatectl show -p NTP --value 2>/dev/null)" != yes ]; then
    log "enabling time synchronisation"
    timedatectl set-ntp true
    changed=1
else
    log "time sync: already on"
fi

install_pkgs() {
    if command -v apt-get >/dev/null 2>&1; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
    else
        yum install -y -q "$@"
    fi
}

case "$runtime" in
    containerd)
        if ! command -v containerd >/dev/null 2>&1; then
            log "installing containerd"
            install_pkgs containerd
            changed=1
        fi
        if ! grep -q 'SystemdCgroup = true' /etc/containerd/config.toml 2>/dev/null; then
            log "containerd: systemd cgroup driver (what kubelet uses)"
            mkdir -p /etc/containerd
            containerd config default | sed 's/SystemdCgroup = false/SystemdCgroup = true/' >/etc/containerd/config.toml
            systemctl restart containerd
            changed=1
        else
            log "containerd: already installed and configured"
        fi
        ;;
    docker)
        if ! command -v docker >/dev/null 2>&1; then
            log "installing docker"
            install_pkgs docker.io || install_pkgs docker-ce
            changed=1
        else
            log "docker: already installed"
        fi
        ;;
    *) die "CONTAINER_RUNTIME=$runtime: use containerd or docker" ;;
esac
systemctl enable --now "$runtime" >/dev/null 2>&1 || true

have="$(kubeadm version -o short 2>/dev/null || true)"
if [ "$have" = "v$K8S_VERSION" ] && command -v kubelet >/dev/null 2>&1 && command -v kubectl >/dev/null 2>&1; then
    log "kubeadm, kubelet, kubectl $K8S_VERSION: already installed"
else
    log "installing kubeadm, kubelet, kubectl $K8S_VERSION from $repo"
    if command -v apt-get >/dev/null 2>&1; then
        install -d -m 755 /etc/apt/keyrings
        curl -fsSL "$repo/deb/Release.key" | gpg --dearmor --yes -o /etc/apt/keyrings/kubernetes.gpg
        echo "deb [signed-by=/etc/apt/keyrings/kubernetes.gpg] $repo/deb/ /" >/etc/apt/sources.list.d/kubernetes.list
        apt-get update -qq
        install_pkgs "kubeadm=$K8S_VERSION-*" "kubelet=$K8S_VERSION-*" "kubectl=$K8S_VERSION-*"
        apt-mark hold kubeadm kubelet kubectl >/dev/null
    else
        printf '[kubernetes]\nname=Kubernetes\nbaseurl=%s/rpm/\nenabled=1\ngpgcheck=1\ngpgkey=%s/rpm/repodata/repomd.xml.key\n' \
            "$repo" "$repo" >/etc/yum.repos.d/kubernetes.repo
        install_pkgs "kubeadm-$K8S_VERSION" "kubelet-$K8S_VERSION" "kubectl-$K8S_VERSION"
    fi
    systemctl enable --now kubelet
    changed=1
fi

if [ "$changed" = 0 ]; then
    log "node already prepared: nothing to do"
else
    log "node prepared"
fi
