#!/usr/bin/env bash
# Forms MySQL/MariaDB master-slave replication (the course's GRANT REPLICATION SLAVE + CHANGE MASTER TO), then
# checks that every slave replicates and is read-only. Idempotent: a slave already replicating from the master is
# left alone ("nothing to do").
#
# Environment (no arguments; passwords never on a command line):
#   MYSQL_MASTER            host[:port] of the master (port 3306 by default)
#   MYSQL_SLAVES            space-separated host[:port] of the slaves
#   MYSQL_ADMIN_USER        account that may configure both sides (default root)
#   MYSQL_ADMIN_PASSWORD    its password, or MYSQL_ADMIN_PASSWORD_FILE naming a file that holds it
#   MYSQL_REPL_USER         replication account created on the master (default backup, as in the course)
#   MYSQL_REPL_PASSWORD     its password, or MYSQL_REPL_PASSWORD_FILE
#   MYSQL_WAIT_SECONDS      how long to wait for servers and replication threads (default 180)
#   MYSQL_CLIENT            client program (default: mysql, else mariadb)
set -euo pipefail

log() { printf '[mysql-replication] %s\n' "$*"; }
die() { printf '[mysql-replication] ERROR: %s\n' "$*" >&2; exit 1; }

# secret NAME: the value of $NAME, or the content of the file named by ${NAME}_FILE (read without a process)
secret() {
    local file_var="$1_FILE"
    if [ -n "${!file_var:-}" ]; then
        [ -r "${!file_var}" ] || die "$file_var=${!file_var} is not a readable file"
        local value
        value="$(<"${!file_var}")"
        printf '%s' "$value"
    elif [ -n "${!1:-}" ]; then
        printf '%s' "${!1}"
    else
        die "set $1 or $file_var (the password is never taken from an argument)"
    fi
}

# SQL string literal body: backslashes and quotes escaped, so any password works
sql_quote() {
    local s="${1//\\/\\\\}"
    printf '%s' "${s//\'/\\\'}"
}

[ -n "${MYSQL_MASTER:-}" ] || die "set MYSQL_MASTER to the master's host[:port]"
[ -n "${MYSQL_SLAVES:-}" ] || die "set MYSQL_SLAVES to the slaves' host[:port], space-separated"
admin_user="${MYSQL_ADMIN_USER:-root}"
repl_user="${MYSQL_REPL_USER:-backup}"
wait_seconds="${MYSQL_WAIT_SECONDS:-180}"
admin_password="$(secret MYSQL_ADMIN_PASSWORD)"
repl_password="$(secret MYSQL_REPL_PASSWORD)"
client="${MYSQL_CLIENT:-}"
if [ -z "$client" ]; then
    if command -v mysql >/dev/null 2>&1; then client=mysql; else client=mariadb; fi
fi
command -v "$client" >/dev/null 2>&1 || die "no MySQL client ($client) on PATH: install mysql-client or set MYSQL_CLIENT"

host_of() { printf '%s' "${1%%:*}"; }
port_of() { if [ "${1#*:}" = "$1" ]; then printf 3306; else printf '%s' "${1##*:}"; fi; }

# sql HOST:PORT [client options...] < statements; the admin password travels in MYSQL_PWD (the environment)
sql() {
    local target="$1"
    shift
    MYSQL_PWD="$admin_password" "$client" --protocol=TCP -h "$(host_of "$target")" -P "$(port_of "$target")" \
        -u "$admin_user" --connect-timeout=5 "$@"
}

# value TARGET QUERY: one value, no headers
value() { printf '%s\n' "$2" | sql "$1" -N -B; }

# field NAME: a field of \G output on stdin
field() { awk -F': ' -v k="$1" '{ sub(/^ +/, "", $1) } $1 == k { print $2; exit }'; }

wait_up() {
    local target="$1" deadline=$((SECONDS + wait_seconds)) err
    until err="$(printf 'SELECT 1;\n' | sql "$target" -N -B 2>&1 >/dev/null)"; do
        [ "$SECONDS" -lt "$deadline" ] || die "$target does not accept connections as $admin_user after ${wait_seconds}s: $err"
        sleep 2
    done
}

slave_status() { printf 'SHOW SLAVE STATUS\\G\n' | sql "$1"; }

master_host="$(host_of "$MYSQL_MASTER")"
master_port="$(port_of "$MYSQL_MASTER")"

wait_up "$MYSQL_MASTER"
for s in $MYSQL_SLAVES; do wait_up "$s"; done

[ "$(value "$MYSQL_MASTER" 'SELECT @@log_bin;')" = 1 ] \
    || die "the master $MYSQL_MASTER has no binary log: add log-bin=mysql-bin to its my.cnf and restart it"
master_id="$(value "$MYSQL_MASTER" 'SELECT @@server_id;')"
declare -A seen_ids=(["$master_id"]="$MYSQL_MASTER")
for s in $MYSQL_SLAVES; do
    id="$(value "$s" 'SELECT @@server_id;')"
    if [ -n "${seen_ids[$id]:-}" ]; then
        die "$s and ${seen_ids[$id]} both have server_id=$id: give each server a distinct server_id in its my.cnf"
    fi
    seen_ids[$id]="$s"
done

repl_user_ready=
ensure_repl_user() {
    [ -z "$repl_user_ready" ] || return 0
    local u p
    u="$(sql_quote "$repl_user")"
    p="$(sql_quote "$repl_password")"
    if [ "$(value "$MYSQL_MASTER" "SELECT COUNT(*) FROM mysql.user WHERE user='$u' AND host='%';")" = 0 ]; then
        log "creating the replication user '$repl_user'@'%' on $MYSQL_MASTER"
        printf "CREATE USER '%s'@'%%' IDENTIFIED BY '%s';\n" "$u" "$p" | sql "$MYSQL_MASTER"
    else
        log "replication user '$repl_user'@'%' exists on $MYSQL_MASTER: setting its password from the credentials"
        printf "ALTER USER '%s'@'%%' IDENTIFIED BY '%s';\n" "$u" "$p" | sql "$MYSQL_MASTER"
    fi
    printf "GRANT REPLICATION SLAVE ON *.* TO '%s'@'%%';\n" "$u" | sql "$MYSQL_MASTER"
    repl_user_ready=1
}

wait_running() {
    local s="$1" deadline=$((SECONDS + wait_seconds)) st
    while :; do
        st="$(slave_status "$s")"
        if [ "$(field Slave_IO_Running <<<"$st")" = Yes ] && [ "$(field Slave_SQL_Running <<<"$st")" = Yes ]; then
            return 0
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            die "$s does not replicate after ${wait_seconds}s: IO=$(field Slave_IO_Running <<<"$st") SQL=$(field Slave_SQL_Running <<<"$st") last IO error: $(field Last_IO_Error <<<"$st") last SQL error: $(field Last_SQL_Error <<<"$st")"
        fi
        sleep 1
    done
}

changed=0
for s in $MYSQL_SLAVES; do
    st="$(slave_status "$s")"
    cur_host="$(field Master_Host <<<"$st")"
    cur_port="$(field Master_Port <<<"$st")"
    if [ -z "$cur_host" ]; then
        ensure_repl_user
        # the master's current binlog position: what the course read from SHOW MASTER STATUS by hand
        ms="$(printf 'SHOW MASTER STATUS\\G\n' | sql "$MYSQL_MASTER")"
        file="$(field File <<<"$ms")"
        pos="$(field Position <<<"$ms")"
        if [ -z "$file" ] || [ -z "$pos" ]; then
            die "SHOW MASTER STATUS on $MYSQL_MASTER returned no binlog position"
        fi
        log "$s: CHANGE MASTER TO $master_host:$master_port at $file:$pos as '$repl_user'"
        printf "CHANGE MASTER TO MASTER_HOST='%s', MASTER_PORT=%s, MASTER_USER='%s', MASTER_PASSWORD='%s', MASTER_LOG_FILE='%s', MASTER_LOG_POS=%s;\nSTART SLAVE;\n" \
            "$(sql_quote "$master_host")" "$master_port" "$(sql_quote "$repl_user")" "$(sql_quote "$repl_password")" \
            "$(sql_quote "$file")" "$pos" | sql "$s"
        changed=1
    elif [ "$cur_host" != "$master_host" ] || [ "$cur_port" != "$master_port" ]; then
        die "$s already replicates from $cur_host:$cur_port, not $master_host:$master_port: run RESET SLAVE ALL on it first if it must follow the new master"
    elif [ "$(field Slave_IO_Running <<<"$st")" != Yes ] || [ "$(field Slave_SQL_Running <<<"$st")" != Yes ]; then
        # configured for this master but stopped: restart it where it was, never skip data silently
        log "$s: replication from $master_host:$master_port is configured but stopped: START SLAVE"
        printf 'START SLAVE;\n' | sql "$s"
        changed=1
    else
        log "$s: already replicating from $master_host:$master_port"
    fi
    wait_running "$s"
    if [ "$(value "$s" 'SELECT @@global.read_only;')" != 1 ]; then
        log "$s: setting read_only (also keep read-only=1 in its my.cnf)"
        printf 'SET GLOBAL read_only = 1;\n' | sql "$s"
        changed=1
    fi
    st="$(slave_status "$s")"
    log "$s: IO=$(field Slave_IO_Running <<<"$st") SQL=$(field Slave_SQL_Running <<<"$st") behind=$(field Seconds_Behind_Master <<<"$st")s read_only=1"
done

if [ "$changed" = 0 ]; then
    log "replication already formed: nothing to do"
else
    log "replication formed: master $MYSQL_MASTER, slaves $MYSQL_SLAVES"
fi
