# shellcheck shell=bash
# Helpers shared by the eng/ scripts; sourced, never run. Messages go to stderr so that stdout
# stays free for what a script prints for machines (eng/infra.sh env).

# The repository root, wherever the script is called from.
# shellcheck disable=SC2034 # used by the scripts that source this file
CODEX_ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
: "${CODEX_LOG_TAG:=$(basename -- "$0" .sh)}"

say()  { printf '%s: %s\n' "$CODEX_LOG_TAG" "$*" >&2; }
warn() { printf '%s: warning: %s\n' "$CODEX_LOG_TAG" "$*" >&2; }
# fail <message> [exit code]
fail() { printf '%s: error: %s\n' "$CODEX_LOG_TAG" "$1" >&2; exit "${2:-1}"; }

# Milliseconds since the epoch (EPOCHREALTIME's separator follows the locale).
now_ms() { local t=${EPOCHREALTIME//[!0-9]/}; echo $((t / 1000)); }
# Seconds since <start ms>, one decimal.
since() { local ms=$(($(now_ms) - $1)); printf '%d.%ds' $((ms / 1000)) $((ms % 1000 / 100)); }

# alive <pid>: the process exists and is not a zombie waiting for its parent to reap it.
alive() {
  local stat
  [[ $1 =~ ^[0-9]+$ ]] || return 1
  { stat=$(< "/proc/$1/stat"); } 2>/dev/null || return 1
  stat=${stat##*) }
  [[ ${stat%% *} != Z ]]
}

# alive_of <pid...>: those still alive; fails when none is.
alive_of() {
  local pid found=1
  for pid; do alive "$pid" && { echo "$pid"; found=0; }; done
  return "$found"
}

# listed <pid...>: one of them is still in /proc, be it only as a zombie its parent has not reaped.
listed() {
  local pid
  for pid; do [[ ! -e /proc/$pid ]] || return 0; done
  return 1
}

# parent_of <pid>
parent_of() {
  local stat
  { stat=$(< "/proc/$1/stat"); } 2>/dev/null || return 1
  stat=${stat##*) }
  stat=${stat#* }
  echo "${stat%% *}"
}

# pid_is <pid> <command name>: <pid> is alive and runs <command name> (a recycled pid is not ours).
pid_is() {
  alive "$1" || return 1
  local comm
  { comm=$(< "/proc/$1/comm"); } 2>/dev/null || return 1
  [[ $comm == "$2" ]]
}

# pid_from <pid file> <command name>: the pid in the file, when it is alive and runs <command name>.
pid_from() {
  local pid=
  [[ -r $1 ]] || return 1
  read -r pid < "$1" || [[ -n $pid ]] || return 1   # RabbitMQ writes no final newline
  pid_is "$pid" "$2" && echo "$pid"
}

# descendants <pid>: every process below <pid>, read from /proc (procps is not in every image).
descendants() {
  local stat line pid ppid queue=("$1")
  local -A kids=()
  for stat in /proc/[0-9]*/stat; do
    { line=$(< "$stat"); } 2>/dev/null || continue
    pid=${line%% *}
    line=${line##*) }              # the command name may hold spaces and parentheses
    ppid=${line#* }; ppid=${ppid%% *}
    kids[$ppid]+=" $pid"
  done
  while ((${#queue[@]})); do
    pid=${queue[0]}; queue=("${queue[@]:1}")
    for line in ${kids[$pid]:-}; do
      echo "$line"
      queue+=("$line")
    done
  done
}

# port_open <port>: something accepts TCP connections on 127.0.0.1:<port>.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# http_ok <url path> <port>: GET http://127.0.0.1:<port><path> answers 2xx (bash only, no curl needed).
http_ok() {
  local status
  status=$( { exec 3<>"/dev/tcp/127.0.0.1/$2" &&
              printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n' "$1" >&3 &&
              timeout 5 head -n 1 <&3; } 2>/dev/null ) || return 1
  [[ $status =~ ^HTTP/[0-9.]+\ 2 ]]
}

# run <command...>: in the background, in a process group of its own, and waited for, so that Ctrl+C
# or a SIGTERM sent to the script reaches its traps at once (bash runs traps only between foreground
# commands). forward_signals_to_run: on INT/TERM, pass SIGTERM on to that whole group (dotnet test's
# vstest and test hosts included), wait for it, then exit (130/143), which runs the EXIT trap.
_codex_child=
run() {
  local rc=0
  setsid "$@" &
  _codex_child=$!
  wait "$_codex_child" || rc=$?
  _codex_child=
  return "$rc"
}
# shellcheck disable=SC2317 # called from the traps
_codex_on_signal() {
  if [[ -n $_codex_child ]]; then
    kill -TERM -- "-$_codex_child" 2> /dev/null || true
    wait "$_codex_child" || true
  fi
  exit "$1"
}
forward_signals_to_run() {
  trap '_codex_on_signal 130' INT
  trap '_codex_on_signal 143' TERM
}
