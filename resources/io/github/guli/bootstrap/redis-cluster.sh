#!/usr/bin/env bash
# Forms a Redis Cluster (the course's `redis-cli --cluster create ... --cluster-replicas 1`) from nodes started with
# cluster-enabled yes, then checks it: all 16384 slots covered, every master with its replicas. Idempotent: a
# cluster already formed from these nodes is left alone ("nothing to do"); a half-formed one is refused.
#
# Environment (no arguments; the password never on a command line):
#   REDIS_NODES           space-separated host:port of every node (masters x (1 + replicas) of them)
#   REDIS_REPLICAS        replicas per master (default 1)
#   REDIS_PASSWORD        the nodes' requirepass, or REDIS_PASSWORD_FILE naming a file; optional (redis-cli reads it
#                         from REDISCLI_AUTH, which may also be set directly)
#   REDIS_WAIT_SECONDS    how long to wait for nodes and for the cluster to become ok (default 180)
set -euo pipefail

log() { printf '[redis-cluster] %s\n' "$*"; }
die() { printf '[redis-cluster] ERROR: %s\n' "$*" >&2; exit 1; }

[ -n "${REDIS_NODES:-}" ] || die "set REDIS_NODES to the nodes' host:port, space-separated"
replicas="${REDIS_REPLICAS:-1}"
wait_seconds="${REDIS_WAIT_SECONDS:-180}"
command -v redis-cli >/dev/null 2>&1 || die "redis-cli is not on PATH: run this in the redis image or install redis-tools"
if [ -n "${REDIS_PASSWORD_FILE:-}" ]; then
    [ -r "$REDIS_PASSWORD_FILE" ] || die "REDIS_PASSWORD_FILE=$REDIS_PASSWORD_FILE is not a readable file"
    REDISCLI_AUTH="$(<"$REDIS_PASSWORD_FILE")"
    export REDISCLI_AUTH
elif [ -n "${REDIS_PASSWORD:-}" ]; then
    export REDISCLI_AUTH="$REDIS_PASSWORD"
fi
unset REDIS_PASSWORD

# redis-cli --cluster create wants addresses: resolve names (a StatefulSet's stable DNS names) to IPs
nodes=()
for n in $REDIS_NODES; do
    host="${n%:*}"
    port="${n##*:}"
    if [ "$host" = "$n" ] || [ -z "$port" ]; then die "REDIS_NODES entry '$n' is not host:port"; fi
    if [[ ! "$host" =~ ^[0-9.]+$ ]]; then
        deadline=$((SECONDS + wait_seconds))
        until ip="$(getent hosts "$host" | awk '{ print $1; exit }')" && [ -n "$ip" ]; do
            [ "$SECONDS" -lt "$deadline" ] || die "cannot resolve $host after ${wait_seconds}s (is its pod running?)"
            sleep 2
        done
        host="$ip"
    fi
    nodes+=("$host:$port")
done
count="${#nodes[@]}"
group=$((replicas + 1))
if [ $((count % group)) -ne 0 ] || [ $((count / group)) -lt 3 ]; then
    die "$count nodes cannot make at least 3 masters with $replicas replica(s) each: give 3 x $group or more nodes"
fi

cli() {
    local node="$1"
    shift
    redis-cli --no-auth-warning -h "${node%:*}" -p "${node##*:}" "$@"
}
# redis-cli colours its --cluster output even when it is not a terminal
plain() { sed 's/\x1b\[[0-9;]*m//g'; }
info_field() { tr -d '\r' | awk -F: -v k="$1" '$1 == k { print $2; exit }'; }

for n in "${nodes[@]}"; do
    deadline=$((SECONDS + wait_seconds))
    until out="$(cli "$n" ping 2>&1)" && [ "$out" = PONG ]; do
        [ "$SECONDS" -lt "$deadline" ] || die "$n does not answer PING after ${wait_seconds}s: $out"
        sleep 1
    done
    [ "$(cli "$n" info cluster | info_field cluster_enabled)" = 1 ] \
        || die "$n is not in cluster mode: set cluster-enabled yes in its redis.conf"
done

formed=0
fresh=0
for n in "${nodes[@]}"; do
    ci="$(cli "$n" cluster info)"
    known="$(info_field cluster_known_nodes <<<"$ci")"
    assigned="$(info_field cluster_slots_assigned <<<"$ci")"
    if [ "$known" = 1 ] && [ "$assigned" = 0 ]; then
        fresh=$((fresh + 1))
    elif [ "$known" = "$count" ] && [ "$assigned" = 16384 ]; then
        formed=$((formed + 1))
    fi
done

changed=0
if [ "$formed" = "$count" ]; then
    log "the $count nodes already form one cluster with all 16384 slots assigned"
elif [ "$fresh" = "$count" ]; then
    log "creating the cluster: ${nodes[*]} with $replicas replica(s) per master"
    redis-cli --no-auth-warning --cluster create "${nodes[@]}" --cluster-replicas "$replicas" --cluster-yes | plain
    changed=1
else
    die "the nodes are partly clustered ($formed in a full cluster, $fresh empty, of $count): check with redis-cli --cluster check ${nodes[0]}, then either fix it (redis-cli --cluster fix / add-node) or CLUSTER RESET HARD the empty-data nodes and run this again"
fi

deadline=$((SECONDS + wait_seconds))
for n in "${nodes[@]}"; do
    until [ "$(cli "$n" cluster info | info_field cluster_state)" = ok ]; do
        [ "$SECONDS" -lt "$deadline" ] || die "$n: cluster_state is not ok after ${wait_seconds}s"
        sleep 1
    done
done
check="$(redis-cli --no-auth-warning --cluster check "${nodes[0]}" 2>&1 | plain)" \
    || die "redis-cli --cluster check ${nodes[0]} failed: $check"
grep -q '^\[OK\] All 16384 slots covered' <<<"$check" || die "not all slots are covered: $check"
# replicas show up in the other nodes' views a moment after create (gossip): "formed" only once every node sees
# the whole picture, so that a failover right after this script finds each master's replica known to all
want_masters=$((count / group))
want_replicas=$((count - want_masters))
for n in "${nodes[@]}"; do
    while :; do
        view="$(cli "$n" cluster nodes)"
        masters="$(awk '$3 ~ /master/ && $3 !~ /fail/ && NF > 8' <<<"$view" | wc -l)"
        replica_count="$(awk '$3 ~ /slave/ && $3 !~ /fail/ && $4 != "-"' <<<"$view" | wc -l)"
        [ "$masters" -lt "$want_masters" ] || [ "$replica_count" -lt "$want_replicas" ] || break
        [ "$SECONDS" -lt "$deadline" ] \
            || die "after ${wait_seconds}s $n sees $masters masters with slots and $replica_count replicas, not $want_masters and $want_replicas"
        sleep 1
    done
done
log "cluster ok: all 16384 slots covered, $masters masters with slots, $replica_count replicas"
if [ "$changed" = 0 ]; then
    log "cluster already formed: nothing to do"
else
    log "cluster formed"
fi
