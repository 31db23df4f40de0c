#!/usr/bin/env bash
# Forms a RabbitMQ cluster (the course's stop_app / reset / join_cluster / start_app on each node) and applies the
# mirroring policy (the course's `set_policy ha-all "^" '{"ha-mode":"all",...}'`), then checks that every node runs
# in one cluster. Idempotent: nodes already in the cluster and an identical policy are left alone.
#
# Environment (no arguments; the Erlang cookie never on a command line):
#   RABBITMQ_NODES               space-separated node names, the first is the one the others join,
#                                e.g. "rabbit@rabbitmq-0.rabbitmq-headless rabbit@rabbitmq-1.rabbitmq-headless ..."
#   RABBITMQ_ERLANG_COOKIE_FILE  a file holding the cluster's Erlang cookie; without it rabbitmqctl uses
#                                $HOME/.erlang.cookie
#   RABBITMQ_NODE_TYPE           disc (default) or ram for the joining nodes; the course used --ram, but a RAM node
#                                restarted by Kubernetes comes back knowing nothing, so disc is the default
#   RABBITMQ_VHOST               vhost of the policy (default /)
#   RABBITMQ_POLICY_NAME         default ha-all
#   RABBITMQ_POLICY_PATTERN      queue name pattern (default ^: every queue)
#   RABBITMQ_POLICY_DEFINITION   default {"ha-mode":"all","ha-sync-mode":"automatic"}
#   RABBITMQ_WAIT_SECONDS        how long to wait for each node (default 300)
#   RABBITMQCTL                  the rabbitmqctl program (default rabbitmqctl)
#   RABBITMQ_USE_LONGNAME        true when the node names are fully qualified (passed through to rabbitmqctl)
set -euo pipefail

log() { printf '[rabbitmq-cluster] %s\n' "$*"; }
die() { printf '[rabbitmq-cluster] ERROR: %s\n' "$*" >&2; exit 1; }

[ -n "${RABBITMQ_NODES:-}" ] || die "set RABBITMQ_NODES to the node names (rabbit@host ...), the first one to join"
read -r -a nodes <<<"$RABBITMQ_NODES"
seed="${nodes[0]}"
node_type="${RABBITMQ_NODE_TYPE:-disc}"
case "$node_type" in disc | ram) ;; *) die "RABBITMQ_NODE_TYPE=$node_type: use disc or ram" ;; esac
vhost="${RABBITMQ_VHOST:-/}"
policy="${RABBITMQ_POLICY_NAME:-ha-all}"
pattern="${RABBITMQ_POLICY_PATTERN:-^}"
default_definition='{"ha-mode":"all","ha-sync-mode":"automatic"}'
definition="${RABBITMQ_POLICY_DEFINITION:-$default_definition}"
wait_seconds="${RABBITMQ_WAIT_SECONDS:-300}"
ctl="${RABBITMQCTL:-rabbitmqctl}"
command -v "$ctl" >/dev/null 2>&1 || die "$ctl is not on PATH: run this in the rabbitmq image or set RABBITMQCTL"

if [ -n "${RABBITMQ_ERLANG_COOKIE_FILE:-}" ]; then
    [ -r "$RABBITMQ_ERLANG_COOKIE_FILE" ] || die "RABBITMQ_ERLANG_COOKIE_FILE=$RABBITMQ_ERLANG_COOKIE_FILE is not a readable file"
    # rabbitmqctl reads $HOME/.erlang.cookie: a private HOME holding a copy, removed when the script ends
    private_home="$(mktemp -d)"
    trap 'rm -rf "$private_home"' EXIT
    (umask 077 && cp "$RABBITMQ_ERLANG_COOKIE_FILE" "$private_home/.erlang.cookie")
    chmod 400 "$private_home/.erlang.cookie"
    export HOME="$private_home"
elif [ ! -r "${HOME:-/nonexistent}/.erlang.cookie" ]; then
    die "no Erlang cookie: set RABBITMQ_ERLANG_COOKIE_FILE to a file holding the cluster's cookie"
fi

ctl_on() {
    local node="$1"
    shift
    "$ctl" -q -n "$node" "$@"
}

# running_nodes NODE: the running nodes of NODE's cluster, one a line
running_nodes() {
    ctl_on "$1" cluster_status --formatter json \
        | sed -n 's/.*"running_nodes":\[\([^]]*\)\].*/\1/p' | tr -d '"' | tr ',' '\n'
}

for n in "${nodes[@]}"; do
    deadline=$((SECONDS + wait_seconds))
    until err="$(ctl_on "$n" await_startup 2>&1)"; do
        [ "$SECONDS" -lt "$deadline" ] || die "$n is not up after ${wait_seconds}s (same cookie on every node?): $err"
        sleep 3
    done
done

changed=0
for n in "${nodes[@]:1}"; do
    if running_nodes "$seed" | grep -qxF "$n"; then
        log "$n: already in the cluster of $seed"
        continue
    fi
    others="$(running_nodes "$n" | grep -vxF "$n" || true)"
    if [ -n "$others" ]; then
        die "$n is in another cluster (with $(echo "$others" | paste -sd' ')): take it out there (rabbitmqctl forget_cluster_node) before it can join $seed"
    fi
    queues="$(ctl_on "$n" list_queues -p "$vhost" name | wc -l)"
    if [ "$queues" -gt 0 ]; then
        die "$n holds $queues queue(s) in $vhost that joining would delete (join_cluster needs a reset): move or delete them first"
    fi
    log "$n: stop_app, reset, join_cluster $seed as a $node_type node, start_app"
    ctl_on "$n" stop_app
    ctl_on "$n" reset
    if [ "$node_type" = ram ]; then
        ctl_on "$n" join_cluster --ram "$seed"
    else
        ctl_on "$n" join_cluster "$seed"
    fi
    ctl_on "$n" start_app
    changed=1
done

# list_policies prints one JSON object a line, the definition as an escaped JSON string
current="$(ctl_on "$seed" list_policies -p "$vhost" --formatter json | grep -F "\"name\":\"$policy\"" || true)"
want_def="$(tr -d ' \n' <<<"$definition")"
want_def="${want_def//\"/\\\"}"
if grep -qF "\"pattern\":\"$pattern\"" <<<"$current" && grep -qF "\"definition\":\"$want_def\"" <<<"$current"; then
    log "policy $policy ($pattern -> $definition) is already set on vhost $vhost"
else
    log "setting policy $policy on vhost $vhost: $pattern -> $definition"
    ctl_on "$seed" set_policy -p "$vhost" "$policy" "$pattern" "$definition"
    changed=1
fi

running="$(running_nodes "$seed" | sort)"
for n in "${nodes[@]}"; do
    grep -qxF "$n" <<<"$running" || die "$n is not running in the cluster of $seed (running: $(paste -sd' ' <<<"$running"))"
done
log "cluster ok: ${#nodes[@]} nodes running ($(paste -sd' ' <<<"$running")), policy $policy on vhost $vhost"
if [ "$changed" = 0 ]; then
    log "cluster already formed: nothing to do"
else
    log "cluster formed"
fi
