#!/usr/bin/env bash
# Local PostgreSQL, Redis and RabbitMQ for Codex: installed from Debian packages when missing, run on
# 127.0.0.1 under one state folder (data, logs, pid files, sockets, generated passwords), stopped by
# the pid files in that folder only, so a dev and a test instance live side by side.
#
#   eng/infra.sh up|down|status|env|install|purge [postgres|redis|rabbitmq ...]   (default: all three)
#   eng/infra.sh down --purge [component ...]      same as purge: stop, then delete data and passwords
#   eng/infra.sh rabbitmqctl <arguments>           rabbitmqctl against this state folder's node
#
#   up      start what is not running, wait until ready, create the service databases
#   down    stop what runs from this state folder; data and passwords stay for the next up
#   status  one line per component; exit 0 when all are running, 3 otherwise
#   env     `export NAME='value'` lines (the environment contract), whether or not anything runs:
#           eval "$(eng/infra.sh env)"
#
# Settings: CODEX_INFRA_STATE (default <repo>/.codex/infra), CODEX_PG_PORT (55432), CODEX_REDIS_PORT
# (56379), CODEX_RABBITMQ_PORT (55672), CODEX_RABBITMQ_MGMT_PORT (55673; 0 = no management plugin),
# CODEX_RABBITMQ_DIST_PORT (25672), CODEX_INFRA_TIMEOUT (seconds to wait for each server, 120).
set -euo pipefail
# shellcheck disable=SC2034 # read by lib.sh
CODEX_LOG_TAG=infra
# shellcheck source-path=SCRIPTDIR
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"
umask 077   # passwords, configuration files holding them, data

readonly COMPONENTS=(postgres redis rabbitmq)
# Codex.ServiceDefaults/ResourceNames.cs, Databases.All.
readonly DATABASES=(authdb crmdb cmsdb billingdb analyticsdb notifydb cdxdb)
readonly RMQ_BIN=/usr/lib/rabbitmq/bin

state=${CODEX_INFRA_STATE:-$CODEX_ROOT/.codex/infra}
[[ $state == /* ]] || state=$PWD/$state
state=${state%/}
pg_port=${CODEX_PG_PORT:-55432}
redis_port=${CODEX_REDIS_PORT:-56379}
rmq_port=${CODEX_RABBITMQ_PORT:-55672}
rmq_mgmt_port=${CODEX_RABBITMQ_MGMT_PORT:-55673}
rmq_dist_port=${CODEX_RABBITMQ_DIST_PORT:-25672}
timeout_s=${CODEX_INFRA_TIMEOUT:-120}

for setting in CODEX_PG_PORT:$pg_port CODEX_REDIS_PORT:$redis_port CODEX_RABBITMQ_PORT:$rmq_port \
               CODEX_RABBITMQ_MGMT_PORT:$rmq_mgmt_port CODEX_RABBITMQ_DIST_PORT:$rmq_dist_port; do
  value=${setting#*:}
  if [[ ! $value =~ ^[0-9]+$ ]] || ((value > 65535)); then fail "${setting%%:*}=$value is not a port number" 2; fi
done
[[ $timeout_s =~ ^[1-9][0-9]*$ ]] || fail "CODEX_INFRA_TIMEOUT=$timeout_s is not a number of seconds" 2
# The paths land in server command lines and configuration files unquoted.
[[ $state != *[[:space:]\'\"\\\;,]* ]] || fail "CODEX_INFRA_STATE must not contain spaces, quotes, ';' or ',': $state" 2

secrets=$state/secrets
pg_dir=$state/postgres pg_data=$state/postgres/data pg_log=$state/postgres/postgres.log
redis_dir=$state/redis redis_pidfile=$state/redis/redis.pid redis_log=$state/redis/redis.log
rmq_dir=$state/rabbitmq rmq_pidfile=$state/rabbitmq/rabbitmq.pid rmq_launcher=$state/rabbitmq/launcher.pid
rmq_log=$state/rabbitmq/log/rabbitmq.log rmq_startlog=$state/rabbitmq/log/startup.log

# ---------------------------------------------------------------------------------------------------
# State folder and passwords

ensure_state() {
  [[ -f $state/.codex-infra ]] && return 0
  if [[ -d $state && -n $(ls -A "$state") ]]; then
    fail "$state exists and was not made by eng/infra.sh; choose another CODEX_INFRA_STATE"
  fi
  (umask 022 && mkdir -p "$state")
  chmod 0711 "$state"   # PostgreSQL runs as 'postgres' and must pass through to its folder
  mkdir -p "$secrets"
  echo "State folder of eng/infra.sh; 'eng/infra.sh purge' deletes it." > "$state/.codex-infra"
}

# password <component>: this state folder's password for it, made on first use and kept.
password() {
  local file=$secrets/$1.password pw tmp
  if [[ ! -s $file ]]; then
    ensure_state
    pw=$(LC_ALL=C tr -dc 'A-Za-z0-9' < <(head -c 1024 /dev/urandom))
    ((${#pw} >= 32)) || fail "could not generate a password"
    tmp=$(mktemp "$secrets/.new.XXXXXX")
    printf '%s\n' "${pw:0:32}" > "$tmp"
    ln "$tmp" "$file" 2>/dev/null || true   # when two run at once, the first one wins
    rm -f "$tmp"
  fi
  read -r pw < "$file"
  echo "$pw"
}

# Serialises up/down/purge on one state folder. Servers we start must not inherit fd 9 (9>&-).
lock_state() {
  exec 9> "$state/.lock"
  flock -w "$timeout_s" 9 || fail "another eng/infra.sh is still working on $state"
}

# ---------------------------------------------------------------------------------------------------
# Packages

pg_bindir() {
  local initdb dirs=()
  for initdb in /usr/lib/postgresql/*/bin/initdb; do
    [[ -x $initdb ]] && dirs+=("${initdb%/initdb}")
  done
  ((${#dirs[@]})) || return 1
  printf '%s\n' "${dirs[@]}" | sort -V | tail -n 1
}

missing_packages() {
  local c
  for c; do
    case $c in
      postgres) pg_bindir > /dev/null || echo postgresql ;;
      redis) command -v redis-server > /dev/null && command -v redis-cli > /dev/null || echo redis-server ;;
      rabbitmq) [[ -x $RMQ_BIN/rabbitmq-server ]] || echo rabbitmq-server ;;
    esac
  done
}

install_missing() {
  local pkgs
  mapfile -t pkgs < <(missing_packages "$@")
  ((${#pkgs[@]})) || return 0
  if ((EUID != 0)); then
    fail "missing packages: ${pkgs[*]}. Install them with:
  sudo sh -c 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ${pkgs[*]}'"
  fi
  say "installing ${pkgs[*]} with apt-get"
  # Debian starts a system-wide instance of each server on install; ours are separate, so a
  # policy-rc.d that denies service starts is put in place for the install when none exists.
  local guard=/usr/sbin/policy-rc.d added=
  if [[ ! -e $guard ]]; then
    printf '#!/bin/sh\n# Put here by eng/infra.sh for one apt-get install; remove if left behind.\nexit 101\n' > "$guard"
    chmod 0755 "$guard"
    added=1
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  local rc=0
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Use-Pty=0 --no-install-recommends "${pkgs[@]}"; } >&2 || rc=$?
  if [[ -n $added ]]; then
    rm -f "$guard"
    trap - EXIT
  fi
  ((rc == 0)) || fail "apt-get install ${pkgs[*]} failed"
  mapfile -t pkgs < <(missing_packages "$@")
  ((${#pkgs[@]} == 0)) || fail "still missing after apt-get install: ${pkgs[*]}"
}

# ---------------------------------------------------------------------------------------------------
# Common helpers

port_of() {
  case $1 in postgres) echo "$pg_port" ;; redis) echo "$redis_port" ;; rabbitmq) echo "$rmq_port" ;; esac
}

# running_pid <component>: pid of the server this state folder runs; fails when none.
running_pid() {
  case $1 in
    postgres) pid_from "$pg_data/postmaster.pid" postgres ;;
    redis) pid_from "$redis_pidfile" redis-server ;;
    # Until the broker writes its pid file, the launcher script stands for it (and forwards SIGTERM).
    rabbitmq) pid_from "$rmq_pidfile" beam.smp || pid_from "$rmq_launcher" rabbitmq-server ;;
  esac
}

ensure_port_free() {   # ensure_port_free <component> <port> <setting>
  ! port_open "$2" || fail "$1: 127.0.0.1:$2 is already taken by another process; choose another $3"
}

ensure_ports_free() {   # ensure_ports_free <component>: the ports it is about to listen on
  case $1 in
    postgres) ensure_port_free postgres "$pg_port" CODEX_PG_PORT ;;
    redis) ensure_port_free redis "$redis_port" CODEX_REDIS_PORT ;;
    rabbitmq)
      ensure_port_free rabbitmq "$rmq_port" CODEX_RABBITMQ_PORT
      ensure_port_free rabbitmq "$rmq_dist_port" CODEX_RABBITMQ_DIST_PORT
      ! rmq_management || ensure_port_free rabbitmq "$rmq_mgmt_port" CODEX_RABBITMQ_MGMT_PORT ;;
  esac
}

# keep_previous_log <file>: the log of the previous run becomes <file>.1, so a failure shows this run's.
keep_previous_log() { [[ ! -s $1 ]] || mv -f "$1" "$1.1"; }

# fail_start <component> <message> <log files...>: the end of the logs, then exit.
fail_start() {
  local c=$1 msg=$2 log
  shift 2
  for log; do
    [[ -s $log ]] || continue
    printf -- '--- last lines of %s\n' "$log" >&2
    tail -n 25 "$log" >&2
  done
  fail "$c: $msg"
}

# ---------------------------------------------------------------------------------------------------
# PostgreSQL

as_postgres() {
  if ((EUID == 0)); then runuser -u postgres -- "$@"; else "$@"; fi
}

# Every folder above the data must be passable for the 'postgres' user (not a given under /root).
ensure_postgres_can_reach() {
  ((EUID == 0)) || return 0
  as_postgres test -w "$pg_dir" && return 0
  local dir=$pg_dir
  while [[ $dir != / ]]; do
    dir=$(dirname -- "$dir")
    if [[ $(stat -c %A "$dir") != *[xt] ]]; then
      say "postgres: chmod o+x $dir, so that the 'postgres' user can reach its data folder"
      chmod o+x "$dir"
    fi
  done
  as_postgres test -w "$pg_dir" || fail "postgres: the 'postgres' user cannot write to $pg_dir"
}

launch_postgres() {
  local bin pwfile
  bin=$(pg_bindir) || fail "postgres: no initdb under /usr/lib/postgresql/*/bin"
  if ((EUID == 0)) && ! id -u postgres > /dev/null 2>&1; then
    fail "postgres: there is no 'postgres' OS user to run the server as"
  fi
  mkdir -p "$pg_dir/run"
  ((EUID)) || chown postgres:postgres "$pg_dir" "$pg_dir/run"
  ensure_postgres_can_reach
  if [[ ! -s $pg_data/PG_VERSION ]]; then
    say "postgres: creating the cluster in $pg_data"
    [[ ! -d $pg_data ]] || rm -rf "$pg_data"   # an earlier initdb that did not finish
    pwfile=$pg_dir/initdb.password
    password postgres > "$pwfile"
    ((EUID)) || chown postgres:postgres "$pwfile"
    if ! (cd "$pg_dir" && as_postgres "$bin/initdb" -D "$pg_data" -U postgres --auth=scram-sha-256 \
          --pwfile="$pwfile" --encoding=UTF8 --locale=C.UTF-8 --no-sync) > "$pg_dir/initdb.log" 2>&1 9>&-; then
      rm -f "$pwfile"
      fail_start postgres "initdb failed" "$pg_dir/initdb.log"
    fi
    rm -f "$pwfile"
  fi
  keep_previous_log "$pg_log"
  # -W: do not wait here; await_postgres does, while the other servers start.
  (cd "$pg_dir" && as_postgres "$bin/pg_ctl" -D "$pg_data" -l "$pg_log" -W -s start -o \
     "-c listen_addresses=127.0.0.1 -c port=$pg_port -c unix_socket_directories=$pg_dir/run -c max_connections=300") 9>&- \
    || fail_start postgres "pg_ctl start failed" "$pg_log"
}

await_postgres() {
  local bin start=$1 pw existing missing=() db args=()
  bin=$(pg_bindir)
  until "$bin/pg_isready" -q -h 127.0.0.1 -p "$pg_port" -t 2; do
    # Generous: on 2 busy cores (test assemblies starting side by side) a fresh cluster can take
    # several seconds to write its pid file, and 5 s once declared a healthy start dead.
    if ! running_pid postgres > /dev/null && (($(now_ms) - start > 30000)); then
      fail_start postgres "the server stopped during start-up" "$pg_log"
    fi
    ((($(now_ms) - start) / 1000 < timeout_s)) || fail_start postgres "not ready after ${timeout_s}s" "$pg_log"
    sleep 0.1
  done
  pw=$(password postgres)
  existing=$(PGPASSWORD=$pw PGCONNECT_TIMEOUT=10 "$bin/psql" -X -q -A -t -h 127.0.0.1 -p "$pg_port" -U postgres \
             -d postgres -c 'SELECT datname FROM pg_database') || fail_start postgres "cannot sign in as postgres" "$pg_log"
  for db in "${DATABASES[@]}"; do
    grep -qx -- "$db" <<< "$existing" || { missing+=("$db"); args+=(-c "CREATE DATABASE $db"); }
  done
  if ((${#missing[@]})); then
    PGPASSWORD=$pw "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pg_port" -U postgres -d postgres "${args[@]}" > /dev/null \
      || fail "postgres: could not create ${missing[*]}"
    say "postgres: created databases ${missing[*]}"
  fi
  say "postgres: ready on 127.0.0.1:$pg_port (pid $(running_pid postgres)) after $(since "$start")"
}

signal_postgres() {   # fast shutdown: open transactions roll back, no wait for clients
  (cd "$pg_dir" && as_postgres "$(pg_bindir)/pg_ctl" -D "$pg_data" -m fast -W -s stop) 9>&- || kill -INT "$1" 2>/dev/null || true
}

# ---------------------------------------------------------------------------------------------------
# Redis (a cache here: nothing is written to disk)

launch_redis() {
  local pw
  pw=$(password redis)
  mkdir -p "$redis_dir"
  cat > "$redis_dir/redis.conf" << EOF
# Written by eng/infra.sh at every start; edits are lost.
bind 127.0.0.1
port $redis_port
protected-mode yes
requirepass $pw
save ""
appendonly no
daemonize yes
pidfile $redis_pidfile
logfile $redis_log
proc-title-template "{title} {listen-addr} {config-file}"
dir $redis_dir
EOF
  rm -f "$redis_pidfile"
  keep_previous_log "$redis_log"
  redis-server "$redis_dir/redis.conf" 9>&- >&2 || fail_start redis "redis-server did not start" "$redis_log"
}

await_redis() {
  local start=$1 pw
  pw=$(password redis)
  until [[ $(REDISCLI_AUTH=$pw redis-cli --no-auth-warning -h 127.0.0.1 -p "$redis_port" ping 2>/dev/null) == PONG ]]; do
    if ! running_pid redis > /dev/null && (($(now_ms) - start > 15000)); then
      fail_start redis "the server stopped during start-up" "$redis_log"
    fi
    ((($(now_ms) - start) / 1000 < timeout_s)) || fail_start redis "not ready after ${timeout_s}s" "$redis_log"
    sleep 0.05
  done
  say "redis: ready on 127.0.0.1:$redis_port (pid $(running_pid redis)) after $(since "$start")"
}

signal_redis() { kill -TERM "$1" 2>/dev/null || true; }   # SIGTERM = SHUTDOWN; with save "" nothing is saved

# ---------------------------------------------------------------------------------------------------
# RabbitMQ: the server script run directly (not Debian's su wrapper), so it runs as the caller, with
# every path in the state folder and a node name of its own. rabbitmqctl needs the same environment
# (node name, HOME with the Erlang cookie).

rmq_node() {
  local base=${state##*/} sum
  sum=$(printf '%s' "$state" | cksum)
  echo "codex-${base//[^A-Za-z0-9_-]/-}-${sum%% *}@localhost"
}

rmq_management() {   # the management plugin is used when installed and not turned off with port 0
  ((rmq_mgmt_port != 0)) && compgen -G "/usr/lib/rabbitmq/lib/rabbitmq_server-*/plugins/rabbitmq_management-*" > /dev/null
}

rmq_env() {
  rmq=(env
    HOME="$rmq_dir/home"
    RABBITMQ_NODENAME="$(rmq_node)"
    RABBITMQ_CONF_ENV_FILE="$rmq_dir/rabbitmq-env.conf"
    RABBITMQ_CONFIG_FILE="$rmq_dir/rabbitmq.conf"
    RABBITMQ_ADVANCED_CONFIG_FILE="$rmq_dir/advanced.config"
    RABBITMQ_ENABLED_PLUGINS_FILE="$rmq_dir/enabled_plugins"
    RABBITMQ_MNESIA_BASE="$rmq_dir/mnesia"
    RABBITMQ_LOG_BASE="$rmq_dir/log"
    RABBITMQ_LOGS="$rmq_log"
    RABBITMQ_PID_FILE="$rmq_pidfile"
    RABBITMQ_DIST_PORT="$rmq_dist_port"
    RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    RABBITMQ_CTL_ERL_ARGS="-kernel inet_dist_use_interface {127,0,0,1}"
    ERL_EPMD_ADDRESS=127.0.0.1)
}

launch_rabbitmq() {
  local cookie=$rmq_dir/home/.erlang.cookie cookie_value rmq pw
  pw=$(password rabbitmq)
  mkdir -p "$rmq_dir/home" "$rmq_dir/mnesia" "$rmq_dir/log"
  if [[ ! -s $cookie ]]; then
    cookie_value=$(LC_ALL=C tr -dc '[:upper:]' < <(head -c 2048 /dev/urandom))
    printf '%s' "${cookie_value:0:32}" > "$cookie"
    chmod 0400 "$cookie"
  fi
  # default_pass only seeds the user database on the first start; the password file stays with it.
  {
    echo "# Written by eng/infra.sh at every start; edits are lost."
    echo "listeners.tcp.1 = 127.0.0.1:$rmq_port"
    echo "default_user = guest"
    echo "default_pass = $pw"
    echo "loopback_users = none"
    if rmq_management; then
      echo "management.tcp.ip = 127.0.0.1"
      echo "management.tcp.port = $rmq_mgmt_port"
    fi
  } > "$rmq_dir/rabbitmq.conf"
  if rmq_management; then echo '[rabbitmq_management].'; else echo '[].'; fi > "$rmq_dir/enabled_plugins"
  : > "$rmq_dir/rabbitmq-env.conf"   # instead of /etc/rabbitmq/rabbitmq-env.conf
  rm -f "$rmq_pidfile"
  keep_previous_log "$rmq_log"
  rmq_env
  # Its own session, so a Ctrl+C in the terminal that ran `up` does not reach it.
  (cd "$rmq_dir" && exec setsid "${rmq[@]}" "$RMQ_BIN/rabbitmq-server") < /dev/null > "$rmq_startlog" 2>&1 9>&- &
  echo "$!" > "$rmq_launcher"
}

# The broker answers an AMQP 0-9-1 protocol header with a connection.start frame (type 1): then it
# takes connections, and the management listener (started before AMQP) is up too.
amqp_ready() {
  local reply
  reply=$( { exec 3<>"/dev/tcp/127.0.0.1/$rmq_port" && printf 'AMQP\x00\x00\x09\x01' >&3 &&
             timeout 5 head -c 1 <&3 | od -An -tx1; } 2>/dev/null ) || return 1
  [[ $reply == *01* ]]
}

await_rabbitmq() {
  local start=$1
  until amqp_ready; do
    # The launcher is this script's child: kill -0 is exact (running_pid may miss it while it execs).
    if ! kill -0 "$(< "$rmq_launcher")" 2>/dev/null && ! running_pid rabbitmq > /dev/null; then
      fail_start rabbitmq "the server stopped during start-up" "$rmq_startlog" "$rmq_log"
    fi
    ((($(now_ms) - start) / 1000 < timeout_s)) || fail_start rabbitmq "not ready after ${timeout_s}s" "$rmq_startlog" "$rmq_log"
    sleep 0.1
  done
  local mgmt=
  ! rmq_management || mgmt=", management http://127.0.0.1:$rmq_mgmt_port"
  say "rabbitmq: ready on 127.0.0.1:$rmq_port$mgmt (node $(rmq_node), pid $(running_pid rabbitmq)) after $(since "$start")"
}

# SIGTERM is RabbitMQ's graceful stop (what `rabbitmqctl stop` does). With the management plugin,
# 3.10 then spends 5 s in rabbit_mgmt_db_handler:terminate/2, on a call that times out once the
# broker is half down; removing that event handler first, while all still runs, makes the stop ~1 s.
signal_rabbitmq() {
  local rmq
  if pid_is "$1" beam.smp && grep -qs rabbitmq_management "$rmq_dir/enabled_plugins"; then
    rmq_env
    timeout 20 "${rmq[@]}" "$RMQ_BIN/rabbitmqctl" -n "$(rmq_node)" -q eval \
      'gen_event:delete_handler(rabbit_event, rabbit_mgmt_db_handler, normal).' > /dev/null 2>&1 9>&- || true
  fi
  kill -TERM "$1" 2>/dev/null || true
}

# ---------------------------------------------------------------------------------------------------
# Commands

cmd_up() {
  local c pid start todo=() launched=()
  local -A launched_at=()
  install_missing "$@"
  ensure_state
  lock_state
  start=$(now_ms)
  # Launch the slowest first, then wait for each in turn: they start side by side.
  for c in rabbitmq postgres redis; do
    [[ " $* " == *" $c "* ]] || continue
    if pid=$(running_pid "$c"); then
      say "$c: already running on 127.0.0.1:$(port_of "$c") (pid $pid)"
    else
      ensure_ports_free "$c"
      todo+=("$c")
    fi
  done
  # A failed start stops what this run started, so nothing is left half up.
  trap 'say "stopping what this run started: ${launched[*]}"; cmd_down "${launched[@]}"' EXIT
  for c in "${todo[@]}"; do
    say "$c: starting on 127.0.0.1:$(port_of "$c")"
    launched_at[$c]=$(now_ms)
    launched+=("$c")
    "launch_$c"
  done
  for c in postgres redis rabbitmq; do
    [[ " ${launched[*]} " != *" $c "* ]] || "await_$c" "${launched_at[$c]}"
  done
  trap - EXIT
  if ((${#launched[@]})); then
    say "up in $(since "$start") (state $state)"
  else
    say "nothing to start: $* already running (state $state)"
  fi
}

cmd_down() {
  local c pid stopping=() family deadline left
  [[ -d $state ]] || { say "nothing to stop: there is no $state"; return 0; }
  lock_state
  for c; do
    if pid=$(running_pid "$c"); then
      say "$c: stopping (pid $pid)"
      stopping+=("$c:$(family "$c" "$pid")")
      "signal_$c" "$pid"
    else
      say "$c: not running"
    fi
  done
  for c in "${stopping[@]}"; do
    read -r -a family <<< "${c#*:}"
    c=${c%%:*}
    deadline=$((SECONDS + 60))
    while left=$(alive_of "${family[@]}") && ((SECONDS < deadline)); do sleep 0.1; done
    if left=$(alive_of "${family[@]}"); then
      mapfile -t family <<< "$left"
      warn "$c: still running after 60s; killing ${family[*]}"
      kill -KILL "${family[@]}" 2>/dev/null || true
      while alive_of "${family[@]}" > /dev/null; do sleep 0.1; done
    fi
    # The daemons are orphans, reaped by pid 1; some sandboxes' pid 1 does that only every few
    # seconds. Wait for it (bounded), so that `down` leaves no trace in /proc.
    deadline=$((SECONDS + 10))
    while listed "${family[@]}" && ((SECONDS < deadline)); do sleep 0.1; done
    [[ $c != rabbitmq ]] || rm -f "$rmq_pidfile" "$rmq_launcher"   # PostgreSQL and Redis remove theirs
    say "$c: stopped"
  done
}

# family <component> <pid>: the server, every process under it, and RabbitMQ's launcher script,
# on one line.
family() {
  local parent members
  mapfile -t members < <(descendants "$2")
  if [[ $1 == rabbitmq ]] && parent=$(parent_of "$2") && pid_is "$parent" rabbitmq-server && [[ $parent != "$2" ]]; then
    members+=("$parent")
  fi
  echo "$2" "${members[@]}"
}

cmd_status() {
  local c pid all=0 line
  for c; do
    line=$(printf '%-9s 127.0.0.1:%-5s' "$c" "$(port_of "$c")")
    if pid=$(running_pid "$c"); then
      line+="  running (pid $pid)"
      [[ $c != rabbitmq ]] || ! rmq_management || line+=", management http://127.0.0.1:$rmq_mgmt_port"
      echo "$line"
    else
      echo "$line  stopped"
      all=3
    fi
  done
  return "$all"
}

export_line() { printf "export %s='%s'\n" "$1" "${2//\'/\'\\\'\'}"; }

cmd_env() {
  local c db pw server
  for c; do
    pw=$(password "$c")
    case $c in
      postgres)
        server="Host=127.0.0.1;Port=$pg_port;Username=postgres;Password=$pw"
        export_line ConnectionStrings__postgres "$server"
        for db in "${DATABASES[@]}"; do export_line "ConnectionStrings__$db" "$server;Database=$db"; done ;;
      redis) export_line ConnectionStrings__cache "127.0.0.1:$redis_port,password=$pw" ;;
      rabbitmq) export_line ConnectionStrings__messaging "amqp://guest:$pw@127.0.0.1:$rmq_port" ;;
    esac
  done
}

cmd_purge() {
  local c
  [[ -d $state ]] || { say "nothing to purge: there is no $state"; return 0; }
  [[ -f $state/.codex-infra ]] || fail "$state was not made by eng/infra.sh; not deleting it"
  cmd_down "$@"
  if (($# == ${#COMPONENTS[@]})); then
    rm -rf "$state"
    say "deleted $state"
  else
    for c; do rm -rf "${state:?}/$c" "$secrets/$c.password"; done
    say "deleted the data and passwords of $* in $state"
  fi
}

usage() {   # usage <exit code>: the comment at the top of this file
  sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
  exit "$1"
}

command=${1:-}
(($#)) && shift
if [[ $command == rabbitmqctl ]]; then
  rmq_env
  exec "${rmq[@]}" "$RMQ_BIN/rabbitmqctl" -n "$(rmq_node)" "$@"
fi
if [[ $command == down && ${1:-} == --purge ]]; then command=purge; shift; fi
for c; do
  [[ " ${COMPONENTS[*]} " == *" $c "* ]] || fail "unknown component '$c' (expected: ${COMPONENTS[*]})" 2
done
(($#)) || set -- "${COMPONENTS[@]}"
case $command in
  up | down | status | env | purge) "cmd_$command" "$@" ;;
  install) install_missing "$@" ;;
  -h | --help | help) usage 0 ;;
  *) usage 2 ;;
esac
