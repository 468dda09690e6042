#!/usr/bin/env bash
# eng/ef.sh migrations add <Name> <service folder>
# Scaffolds an EF Core migration for the service's DbContext into <service>/Infrastructure/Migrations.
# Stands in for `dotnet ef migrations add`, which needs a package the mirror here cannot restore.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

[[ $# == 4 && $1 == migrations && $2 == add ]] || fail "usage: eng/ef.sh migrations add <Name> <service folder, e.g. services/Codex.Auth>"
name=$3
service=$(cd "$4" && pwd)
project=$(ls "$service"/*.csproj | head -n 1)
assembly=$(basename "$project" .csproj)
tool="$(dirname "$0")/ef/Codex.EfMigrations.csproj"

say "scaffolding migration $name for $assembly"
dotnet run --project "$tool" -c Debug -p:ServiceProject="$project" -- "$name" "$service" "$assembly"
