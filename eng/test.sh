#!/usr/bin/env bash
# Runs every test against real PostgreSQL, Redis and RabbitMQ: its own infra.sh instance (own state
# folder and ports, so a running eng/dev.sh stack is left alone), started here and stopped on exit.
#
#   eng/test.sh [dotnet test arguments...]        e.g. eng/test.sh --filter "FullyQualifiedName~Crm"
#
# 1. dotnet test Codex.Aspire.slnf (everything that builds without the Aspire packages; the console's
#    browser tests need /usr/bin/chromium, installed here with apt-get when missing);
# 2. the AppHost tests, when the Aspire packages can be restored here; otherwise one line says so.
# The exit status is non-zero when either test run failed.
#
# Settings: CODEX_TEST_INFRA_STATE (default <repo>/.codex/test-infra), CODEX_TEST_PG_PORT (55532),
# CODEX_TEST_REDIS_PORT (56479), CODEX_TEST_RABBITMQ_PORT (55772), CODEX_TEST_RABBITMQ_MGMT_PORT
# (55773), CODEX_TEST_RABBITMQ_DIST_PORT (25772). Separate names from infra.sh's CODEX_* on purpose:
# a shell that exports the dev settings still gets the test instance.
set -euo pipefail
# shellcheck disable=SC2034 # read by lib.sh
CODEX_LOG_TAG='test'
# shellcheck source-path=SCRIPTDIR
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

export CODEX_INFRA_STATE=${CODEX_TEST_INFRA_STATE:-$CODEX_ROOT/.codex/test-infra}
export CODEX_PG_PORT=${CODEX_TEST_PG_PORT:-55532}
export CODEX_REDIS_PORT=${CODEX_TEST_REDIS_PORT:-56479}
export CODEX_RABBITMQ_PORT=${CODEX_TEST_RABBITMQ_PORT:-55772}
export CODEX_RABBITMQ_MGMT_PORT=${CODEX_TEST_RABBITMQ_MGMT_PORT:-55773}
export CODEX_RABBITMQ_DIST_PORT=${CODEX_TEST_RABBITMQ_DIST_PORT:-25772}
export CODEX_REPO_ROOT=$CODEX_ROOT
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

infra=$CODEX_ROOT/eng/infra.sh
# On exit: the servers of this run, and any private set a test started (PrivateInfrastructure) but
# could not stop because the run was interrupted; those stop by their pid files, whatever their ports.
# shellcheck disable=SC2317 # called from the EXIT trap
stop_all() {
  "$infra" down || warn "eng/infra.sh down failed; see $CODEX_INFRA_STATE"
  local private
  for private in "$CODEX_ROOT"/.codex/test-private-*; do
    [[ -d $private ]] || continue
    CODEX_INFRA_STATE=$private "$infra" purge > /dev/null 2>&1 || warn "could not stop the servers of $private"
  done
}
trap stop_all EXIT

forward_signals_to_run

# The console's browser tests drive Debian's Chromium through Playwright; no browser is ever downloaded.
if [[ ! -x /usr/bin/chromium ]]; then
  ((EUID == 0)) || fail "the browser tests need Debian's chromium. Install it with:
  sudo sh -c 'apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium'"
  say "installing chromium with apt-get"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Use-Pty=0 --no-install-recommends chromium; } >&2 \
    || fail "apt-get install chromium failed"
fi

"$infra" up
eval "$("$infra" env)"
cd "$CODEX_ROOT"

# TRX files let the last line count every test of both runs.
results=$CODEX_ROOT/.codex/test-results
rm -rf "$results"
loggers=(--logger "console;verbosity=normal" --logger trx --results-directory "$results")

status=0
say "dotnet test Codex.Aspire.slnf"
run dotnet test Codex.Aspire.slnf -c Release "${loggers[@]}" "$@" || status=$?

apphost=Codex.AppHost/Codex.AppHost.csproj
apphost_tests=tests/Codex.AppHost.Tests/Codex.AppHost.Tests.csproj
if [[ ! -f $apphost || ! -f $apphost_tests ]]; then
  echo "AppHost tests skipped: $apphost or $apphost_tests does not exist yet"
else
  restore_log=$(mktemp)
  if run timeout 120 dotnet restore "$apphost" -v quiet > "$restore_log" 2>&1; then
    rm -f "$restore_log"
    say "dotnet test $apphost_tests"
    run dotnet test "$apphost_tests" -c Release "${loggers[@]}" "$@" || { rc=$?; ((status)) || status=$rc; }
  else
    rc=$?
    reason=$(grep -m 1 -E '(^|[^A-Za-z])error( |:)' "$restore_log" || true)
    reason=${reason%% \[/*}                              # the trailing [/path/project.csproj]
    reason=$(sed -E 's/^[[:space:]]*//; s/^[^ ]+\.csproj ?: //' <<< "$reason")
    ((rc != 124)) || reason="dotnet restore did not finish within 120s"
    rm -f "$restore_log"
    echo "AppHost tests skipped: the Aspire packages cannot be restored on this machine (${reason:-dotnet restore exited with $rc})"
  fi
fi
# counter <name>: the sum of that TRX counter over every results file.
counter() {
  local total=0 n
  while read -r n; do total=$((total + n)); done < <(
    grep -ho "<Counters [^>]*" "$results"/*.trx 2> /dev/null | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*')
  echo "$total"
}
echo "Tests: $(counter passed) passed, $(counter failed) failed, $(counter notExecuted) skipped"
exit "$status"
