using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Codex.Crm.Infrastructure.Migrations
{
    /// <summary>Row-level security on every tenant table: CRM's role sees and writes only the session's tenant's rows.</summary>
    public partial class TenantRowSecurity : Migration
    {
        private static readonly string[] TenantTables = ["customers", "leads", "lead_stage_history", "pipelines", "interactions"];

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            foreach (var table in TenantTables)
            {
                migrationBuilder.EnableTenantRowSecurity(table);
            }
            // Stages carry no tenant: they are visible through their pipeline.
            migrationBuilder.EnableTenantRowSecurity("pipeline_stages", "pipelines", "pipeline_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DisableTenantRowSecurity("pipeline_stages");
            foreach (var table in TenantTables.Reverse())
            {
                migrationBuilder.DisableTenantRowSecurity(table);
            }
        }
    }
}
