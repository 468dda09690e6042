using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Codex.Cms.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class Localisation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_content_items_tenant_id_content_type_id_slug",
                table: "content_items");

            migrationBuilder.AddColumn<Guid>(
                name: "entry_id",
                table: "content_items",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<string>(
                name: "locale",
                table: "content_items",
                type: "character varying(16)",
                maxLength: 16,
                nullable: false,
                defaultValue: "en");

            // Items written before locales are each their own item, in the locale every unconfigured tenant has.
            migrationBuilder.Sql("""
                UPDATE content_items SET entry_id = id;
                ALTER TABLE content_items ALTER COLUMN entry_id DROP DEFAULT, ALTER COLUMN locale DROP DEFAULT;
                """);

            migrationBuilder.CreateTable(
                name: "locales",
                columns: table => new
                {
                    tenant_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    fallback = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    is_default = table.Column<bool>(type: "boolean", nullable: false),
                    position = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_locales", x => new { x.tenant_id, x.code });
                });

            migrationBuilder.CreateIndex(
                name: "ix_content_items_entry_id_locale",
                table: "content_items",
                columns: new[] { "entry_id", "locale" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_content_items_tenant_id_content_type_id_slug_locale",
                table: "content_items",
                columns: new[] { "tenant_id", "content_type_id", "slug", "locale" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_locales_one_default",
                table: "locales",
                column: "tenant_id",
                unique: true,
                filter: "is_default");

            migrationBuilder.EnableTenantRowSecurity("locales");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "locales");

            migrationBuilder.DropIndex(
                name: "ix_content_items_entry_id_locale",
                table: "content_items");

            migrationBuilder.DropIndex(
                name: "ix_content_items_tenant_id_content_type_id_slug_locale",
                table: "content_items");

            migrationBuilder.DropColumn(
                name: "entry_id",
                table: "content_items");

            migrationBuilder.DropColumn(
                name: "locale",
                table: "content_items");

            migrationBuilder.CreateIndex(
                name: "ix_content_items_tenant_id_content_type_id_slug",
                table: "content_items",
                columns: new[] { "tenant_id", "content_type_id", "slug" },
                unique: true);
        }
    }
}
