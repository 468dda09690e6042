#!/usr/bin/env bash
# The whole stack on this machine, from one orchestrator: the AppHost. Where no container engine answers,
# it runs PostgreSQL, Redis and RabbitMQ as local processes of Debian's packages, so those are installed
# first when missing (as root; otherwise the command to run is printed). Then `dotnet run` of the AppHost:
#
#   eng/dev.sh [AppHost arguments...]      e.g. eng/dev.sh --Codex:Infrastructure=process
#
# Fixed addresses: dashboard http://localhost:15000 (the login link with its token is printed), gateway
# http://127.0.0.1:5100, admin console http://127.0.0.1:5200; in process mode PostgreSQL 55432, Redis 56379,
# RabbitMQ 55672, their data and passwords under .codex/. Ctrl+C stops everything it started.
# The first superadmin: CODEX_ADMIN_EMAIL / CODEX_ADMIN_PASSWORD (admin@codex.local / Codex-Dev-Admin-2026!).
set -euo pipefail
# shellcheck disable=SC2034 # read by lib.sh
CODEX_LOG_TAG=dev
# shellcheck source-path=SCRIPTDIR
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"
cd "$CODEX_ROOT"

engine_answers() { timeout 2 "${ASPIRE_CONTAINER_RUNTIME:-docker}" info --format '{{.ServerVersion}}' > /dev/null 2>&1; }

case " $* ${Codex__Infrastructure:-} " in
  *containers*) ;;
  *process*) ensure_packages "${CODEX_SERVER_PACKAGES[@]}" ;;
  *) engine_answers || ensure_packages "${CODEX_SERVER_PACKAGES[@]}" ;;
esac

say "building the AppHost and every service"
dotnet build Codex.AppHost/Codex.AppHost.csproj -nologo -v quiet -clp:NoSummary ||
  fail "the build failed; see the errors above"

cat >&2 << EOF2

  dashboard       http://localhost:15000   (the login link with its token follows)
  gateway         http://127.0.0.1:5100    (API reference: /scalar)
  admin console   http://127.0.0.1:5200
  superadmin      ${CODEX_ADMIN_EMAIL:-admin@codex.local} / ${CODEX_ADMIN_PASSWORD:-Codex-Dev-Admin-2026!}

  Ctrl+C stops everything eng/dev.sh started.

EOF2
# exec: Ctrl+C reaches the AppHost itself, which stops every resource it started (DCP cleans up).
exec dotnet run --project Codex.AppHost/Codex.AppHost.csproj --no-build --launch-profile http -- "$@"
