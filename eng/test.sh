#!/usr/bin/env bash
# Runs every test of Codex.Aspire.sln, the AppHost's included, against real PostgreSQL, Redis and RabbitMQ:
# each test assembly starts the AppHost's own infrastructure in process mode (Aspire.Hosting.Testing) on a
# data folder and random ports of its own, so tests and a running eng/dev.sh stack never collide.
#
#   eng/test.sh [dotnet test arguments...]        e.g. eng/test.sh --filter "FullyQualifiedName~Crm"
#
# Installs what the tests need when missing (as root): Debian's postgresql, redis-server and rabbitmq-server,
# and chromium for the browser tests (Playwright drives /usr/bin/chromium; no browser is ever downloaded).
# TRX files and screenshots go to .codex/test-results; the last line counts every test.
set -euo pipefail
# shellcheck disable=SC2034 # read by lib.sh
CODEX_LOG_TAG=test
# shellcheck source-path=SCRIPTDIR
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"
cd "$CODEX_ROOT"
export CODEX_REPO_ROOT=$CODEX_ROOT

ensure_packages "${CODEX_SERVER_PACKAGES[@]}" chromium
forward_signals_to_run

results=$CODEX_ROOT/.codex/test-results
rm -rf "$results"
status=0
say "dotnet test Codex.Aspire.sln"
run dotnet test Codex.Aspire.sln -c Release --logger "console;verbosity=normal" --logger trx --results-directory "$results" "$@" || status=$?

# counter <name>: the sum of that TRX counter over every results file.
counter() {
  local total=0 n
  while read -r n; do total=$((total + n)); done < <(
    grep -ho "<Counters [^>]*" "$results"/*.trx 2> /dev/null | grep -o " $1=\"[0-9]*\"" | grep -o '[0-9]*')
  echo "$total"
}
echo "Tests: $(counter passed) passed, $(counter failed) failed, $(counter notExecuted) skipped"
exit "$status"
