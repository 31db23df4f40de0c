#!/usr/bin/env bash
# Checks an Elasticsearch cluster. Elasticsearch forms itself from the settings the manifests give every node
# (cluster.name, discovery.seed_hosts, cluster.initial_master_nodes, the node roles: the course's elasticsearch.yml),
# so there is nothing to run on the nodes; this waits for health green and checks that the expected numbers of
# master-eligible and data nodes joined. Read-only, so running it again is always harmless.
#
# Environment (no arguments; the password never on a command line):
#   ES_URL               http(s)://host:port of any node or the Service (default http://elasticsearch:9200)
#   ES_MASTER_NODES      expected master-eligible nodes (default 3)
#   ES_DATA_NODES        expected data nodes (default 3)
#   ES_USERNAME          optional user (security enabled); ES_PASSWORD or ES_PASSWORD_FILE its password
#   ES_WAIT_SECONDS      how long to wait for green (default 300)
set -euo pipefail

log() { printf '[elasticsearch-cluster] %s\n' "$*"; }
die() { printf '[elasticsearch-cluster] ERROR: %s\n' "$*" >&2; exit 1; }

url="${ES_URL:-http://elasticsearch:9200}"
url="${url%/}"
want_masters="${ES_MASTER_NODES:-3}"
want_data="${ES_DATA_NODES:-3}"
wait_seconds="${ES_WAIT_SECONDS:-300}"
command -v curl >/dev/null 2>&1 || die "curl is not on PATH"
case "$url" in http://* | https://*) ;; *) die "ES_URL=$url: give http://host:port or https://host:port" ;; esac
case "$url" in *@*) die "ES_URL holds credentials: set ES_USERNAME and ES_PASSWORD_FILE instead" ;; esac

# curl reads its options from stdin (-K -): the user and password never reach its command line
curl_config() {
    if [ -n "${ES_USERNAME:-}" ]; then
        local password
        if [ -n "${ES_PASSWORD_FILE:-}" ]; then
            [ -r "$ES_PASSWORD_FILE" ] || die "ES_PASSWORD_FILE=$ES_PASSWORD_FILE is not a readable file"
            password="$(<"$ES_PASSWORD_FILE")"
        else
            password="${ES_PASSWORD:-}"
        fi
        password="${password//\\/\\\\}"
        printf 'user = "%s:%s"\n' "${ES_USERNAME//\"/\\\"}" "${password//\"/\\\"}"
    fi
}
get() { curl_config | curl -sS -f -K - --max-time 30 "$url$1"; }

deadline=$((SECONDS + wait_seconds))
until health="$(get "/_cluster/health?wait_for_status=green&timeout=10s" 2>&1)" && grep -q '"status":"green"' <<<"$health"; do
    [ "$SECONDS" -lt "$deadline" ] || die "the cluster at $url is not green after ${wait_seconds}s: $health"
    sleep 2
done

# node.role letters: m = master-eligible, d = data (also h/w/c/f data tiers in 7.10+), the elected master is '*'
masters=0
data=0
while read -r role master name; do
    [ -n "$role" ] || continue
    case "$role" in *m*) masters=$((masters + 1)) ;; esac
    case "$role" in *[dhwcf]*) data=$((data + 1)) ;; esac
    if [ "$master" = '*' ]; then elected="$name"; fi
done < <(get "/_cat/nodes?h=node.role,master,name")

[ "$masters" -ge "$want_masters" ] \
    || die "$masters master-eligible node(s) joined, $want_masters expected: check discovery.seed_hosts and the master pods' logs"
[ "$data" -ge "$want_data" ] \
    || die "$data data node(s) joined, $want_data expected: check discovery.seed_hosts and the data pods' logs"
nodes="$(sed -n 's/.*"number_of_nodes":\([0-9]*\).*/\1/p' <<<"$health")"
log "cluster green: $nodes nodes, $masters master-eligible, $data data, elected master ${elected:-?}"
log "nothing to do: Elasticsearch forms itself from discovery.seed_hosts and cluster.initial_master_nodes"
