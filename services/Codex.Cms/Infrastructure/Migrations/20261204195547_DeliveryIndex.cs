using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Codex.Cms.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class DeliveryIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_content_items_published",
                table: "content_items",
                columns: new[] { "tenant_id", "content_type_id", "published_at", "id" },
                filter: "published_version IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_content_items_published",
                table: "content_items");
        }
    }
}
