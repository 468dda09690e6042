using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Codex.Auth.Infrastructure.Migrations
{
    /// <summary>
    /// Row-level security on every tenant table: Auth's role sees and writes only the session's tenant's rows, but
    /// for its declared cross-tenant lookups (refresh token, API key, email verification by secret). System roles
    /// (no tenant) are visible to all and written by the migrate step only; a user's claims, logins and tokens
    /// are visible through their user.
    /// </summary>
    public partial class TenantRowSecurity : Migration
    {
        private static readonly string[] TenantTables = ["users", "sessions", "refresh_tokens", "user_roles", "api_keys", "auth_events"];
        private static readonly string[] UserTables = ["user_claims", "user_logins", "user_tokens"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var table in TenantTables)
            {
                migrationBuilder.EnableTenantRowSecurity(table, lookupsAcrossTenants: true);
            }
            migrationBuilder.EnableTenantRowSecurity("roles", lookupsAcrossTenants: true, sharedRows: true);
            foreach (var table in UserTables)
            {
                migrationBuilder.EnableTenantRowSecurity(table, "users", "user_id");
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in UserTables.Concat(["roles"]).Concat(TenantTables.Reverse()))
            {
                migrationBuilder.DisableTenantRowSecurity(table);
            }
        }
    }
}
