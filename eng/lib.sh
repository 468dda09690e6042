# shellcheck shell=bash
# Helpers shared by the eng/ scripts; sourced, never run. Messages go to stderr so that stdout stays free
# for what a script prints (eng/bench.sh's figures).

# The repository root, wherever the script is called from.
# shellcheck disable=SC2034 # used by the scripts that source this file
CODEX_ROOT=$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/.." && pwd -P)
: "${CODEX_LOG_TAG:=$(basename -- "$0" .sh)}"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say()  { printf '%s: %s\n' "$CODEX_LOG_TAG" "$*" >&2; }
warn() { printf '%s: warning: %s\n' "$CODEX_LOG_TAG" "$*" >&2; }
# fail <message> [exit code]
fail() { printf '%s: error: %s\n' "$CODEX_LOG_TAG" "$1" >&2; exit "${2:-1}"; }

# The Debian packages the process-mode infrastructure runs (the AppHost's Codex:Infrastructure=process).
CODEX_SERVER_PACKAGES=(postgresql redis-server rabbitmq-server)

# missing_packages <package...>: those not installed.
missing_packages() {
  local package
  for package; do
    [[ $(dpkg-query -W -f '${Status}' "$package" 2> /dev/null) == "install ok installed" ]] || echo "$package"
  done
}

# ensure_packages <package...>: installs what is missing with apt-get when root; otherwise fails with the
# command to run. Debian starts a system-wide instance of each server on install; Codex runs its own, so
# a policy-rc.d that denies service starts is in place for the install when none exists.
ensure_packages() {
  local missing guard=/usr/sbin/policy-rc.d added= rc=0
  mapfile -t missing < <(missing_packages "$@")
  ((${#missing[@]})) || return 0
  if ((EUID != 0)); then
    fail "missing Debian packages: ${missing[*]}. Install them with:
  sudo sh -c 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends ${missing[*]}'"
  fi
  say "installing ${missing[*]} with apt-get"
  if [[ ! -e $guard ]]; then
    printf '#!/bin/sh\n# Put here by eng/lib.sh for one apt-get install; remove if left behind.\nexit 101\n' > "$guard"
    chmod 0755 "$guard"
    added=1
  fi
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Use-Pty=0 --no-install-recommends "${missing[@]}"; } >&2 || rc=$?
  [[ -z $added ]] || rm -f "$guard"
  ((rc == 0)) || fail "apt-get install ${missing[*]} failed"
  mapfile -t missing < <(missing_packages "$@")
  ((${#missing[@]} == 0)) || fail "still missing after apt-get install: ${missing[*]}"
}

# run <command...>: in the background, in a process group of its own, and waited for, so that Ctrl+C or
# a SIGTERM sent to the script reaches its traps at once (bash runs traps only between foreground
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
