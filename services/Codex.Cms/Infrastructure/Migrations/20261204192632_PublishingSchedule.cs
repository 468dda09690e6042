using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Codex.Cms.Infrastructure.Migrations
{
    /// <summary>Scheduled publish and unpublish; the scheduler may look for due items across tenants (a declared lookup).</summary>
    public partial class PublishingSchedule : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "publish_at",
                table: "content_items",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "unpublish_at",
                table: "content_items",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_content_items_publish_at",
                table: "content_items",
                column: "publish_at",
                filter: "publish_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_content_items_unpublish_at",
                table: "content_items",
                column: "unpublish_at",
                filter: "unpublish_at IS NOT NULL");

            migrationBuilder.DisableTenantRowSecurity("content_items");
            migrationBuilder.EnableTenantRowSecurity("content_items", lookupsAcrossTenants: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DisableTenantRowSecurity("content_items");
            migrationBuilder.EnableTenantRowSecurity("content_items");

            migrationBuilder.DropIndex(
                name: "ix_content_items_publish_at",
                table: "content_items");

            migrationBuilder.DropIndex(
                name: "ix_content_items_unpublish_at",
                table: "content_items");

            migrationBuilder.DropColumn(
                name: "publish_at",
                table: "content_items");

            migrationBuilder.DropColumn(
                name: "unpublish_at",
                table: "content_items");
        }
    }
}
