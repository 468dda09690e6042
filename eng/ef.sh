#!/usr/bin/env bash
# `dotnet ef` for a service (the dotnet-ef tool, restored from .config/dotnet-tools.json), with its
# migrations where Codex keeps them:
#
#   eng/ef.sh migrations add <Name> <service folder>      e.g. eng/ef.sh migrations add AddTags services/Codex.Crm
#   eng/ef.sh <any dotnet ef command> <service folder>     e.g. eng/ef.sh migrations list services/Codex.Auth
#
# At design time the service's host is built without running; a missing connection string is then a
# placeholder (CodexDbContextDefaults), so no server is needed.
set -euo pipefail
# shellcheck disable=SC2034 # read by lib.sh
CODEX_LOG_TAG=ef
# shellcheck source-path=SCRIPTDIR
source "$(dirname -- "${BASH_SOURCE[0]}")/lib.sh"

(($# >= 2)) || fail "usage: eng/ef.sh migrations add <Name> <service folder, e.g. services/Codex.Auth>" 2
service=${*: -1}
[[ -n $(compgen -G "$service/*.csproj") ]] || fail "$service holds no project" 2
arguments=("${@:1:$#-1}")
[[ "${arguments[*]:0:2}" != "migrations add" ]] || arguments+=(--output-dir Infrastructure/Migrations)

cd "$CODEX_ROOT"
dotnet tool restore > /dev/null
dotnet ef "${arguments[@]}" --project "$service"
