# shellcheck shell=bash disable=SC2034
# (SC2034: the settings below are used by the scripts that source this file)
# Common settings and helpers for the scripts in test/services/ (sourced, not run).
#
# State dir (logs, data, pid files, passwords): ${GULI_SERVICES_DIR:-/var/tmp/guli-services}.
# It is never inside the repository.

STATE="${GULI_SERVICES_DIR:-/var/tmp/guli-services}"
mkdir -p "$STATE"
chmod 755 "$STATE"

SERVICES_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

REGISTRY_ADDR=127.0.0.1:5000
REGISTRY_USER=guli
GIT_ADDR=127.0.0.1
GIT_PORT=8929
GIT_USER=guli-git
SONAR_HOST=127.0.0.1
SONAR_PORT=9000
SONAR_VERSION=9.9.8.100196
SONAR_ZIP="$STATE/downloads/sonar-application-$SONAR_VERSION.zip"
SONAR_ZIP_SHA1=a215ba1446fd3cd98c675432e5707158fd6b77fa
SONAR_ARTIFACT="org.sonarsource.sonarqube:sonar-application:$SONAR_VERSION:zip"
SONAR_JAVA_HOME="${GULI_SONAR_JAVA_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}"

log() { printf '%s\n' "$*" >&2; }
die() {
    printf 'ERROR: %s\n' "$*" >&2
    exit 1
}

# proc_start PID: the process's start time (clock ticks since boot), to tell it from a later
# process that got the same pid (pid files outlive the processes when a session ends).
proc_start() {
    local stat
    stat="$(cat "/proc/$1/stat" 2>/dev/null)" || return 1
    stat="${stat##*) }" # fields after "(comm) "; starttime is field 22, here the 20th
    # shellcheck disable=SC2086
    set -- $stat
    echo "${20}"
}

# pid_alive PIDFILE: the process recorded in PIDFILE (line 1 pid, line 2 start time) runs.
pid_alive() {
    local pid start
    [ -s "$1" ] || return 1
    { read -r pid && read -r start; } <"$1" || return 1
    [ -n "$pid" ] && [ "$(proc_start "$pid")" = "$start" ]
}

# start_bg PIDFILE LOGFILE COMMAND...: runs COMMAND detached (own session, no stdin) in the
# background, output appended to LOGFILE; writes its pid and start time to PIDFILE.
start_bg() {
    local pidfile="$1" logfile="$2" pid
    shift 2
    # Not a process group leader here (no job control), so setsid does not fork: $! is the pid.
    setsid "$@" >>"$logfile" 2>&1 </dev/null &
    pid=$!
    printf '%s\n%s\n' "$pid" "$(proc_start "$pid")" >"$pidfile"
}

# wait_for SECONDS PIDFILE COMMAND...: polls COMMAND every second until it succeeds (0), the
# process in PIDFILE dies (1) or SECONDS pass (1). PIDFILE may be "" to skip the liveness check.
wait_for() {
    local deadline=$((SECONDS + $1)) pidfile="$2"
    shift 2
    while :; do
        if "$@" >/dev/null 2>&1; then return 0; fi
        if [ -n "$pidfile" ] && ! pid_alive "$pidfile"; then return 1; fi
        if [ "$SECONDS" -ge "$deadline" ]; then return 1; fi
        sleep 1
    done
}

# stop_pid NAME PIDFILE [SECONDS]: TERM the process in PIDFILE, KILL it (and its process group)
# after SECONDS (default 30).
stop_pid() {
    local name="$1" pidfile="$2" grace="${3:-30}" pid i
    if ! pid_alive "$pidfile"; then
        rm -f "$pidfile"
        return 0
    fi
    pid="$(head -n 1 "$pidfile")"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < grace * 2; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.5
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "$name (pid $pid) did not stop in ${grace}s, killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    # start_bg made the process a session and group leader: end what is left of its group.
    if pgrep -g "$pid" >/dev/null 2>&1; then
        log "$name: killing leftover processes of group $pid"
        kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    rm -f "$pidfile"
    log "$name: stopped"
}

# ensure_secret FILE: creates FILE (mode 600) holding a random password, once.
ensure_secret() {
    local file="$1"
    mkdir -p "$(dirname "$file")"
    if [ ! -s "$file" ]; then
        (
            umask 077
            /usr/bin/python3 -c 'import secrets; print("G" + secrets.token_hex(16))' >"$file.tmp"
        )
        mv "$file.tmp" "$file"
    fi
    chmod 600 "$file"
}

# port_in_use PORT: something listens on 127.0.0.1:PORT.
port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# curl_auth USER PASSWORD_FILE CURL_ARGS...: curl with basic auth given through a netrc file read
# from a pipe, so that the password is neither in the process arguments nor in the URL.
curl_auth() {
    local user="$1" pwfile="$2"
    shift 2
    curl --netrc-file <(printf 'default login %s password %s\n' "$user" "$(cat "$pwfile")") "$@"
}
