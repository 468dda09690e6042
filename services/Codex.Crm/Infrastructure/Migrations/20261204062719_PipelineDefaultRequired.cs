using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Codex.Crm.Infrastructure.Migrations
{
    /// <inheritdoc />
    public partial class PipelineDefaultRequired : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // At least one default pipeline per tenant that has any, checked at commit (a swap of defaults inside
            // one transaction passes); the unique partial index ix_pipelines_one_default_per_tenant holds "at most one".
            migrationBuilder.Sql("""
                CREATE FUNCTION crm_pipelines_require_default() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                  tenants text[];
                BEGIN
                  IF TG_OP = 'INSERT' THEN tenants := ARRAY[NEW.tenant_id];
                  ELSIF TG_OP = 'DELETE' THEN tenants := ARRAY[OLD.tenant_id];
                  ELSE tenants := ARRAY[OLD.tenant_id, NEW.tenant_id];
                  END IF;
                  IF EXISTS (
                    SELECT 1 FROM unnest(tenants) AS t(id)
                    WHERE EXISTS (SELECT 1 FROM pipelines p WHERE p.tenant_id = t.id)
                      AND NOT EXISTS (SELECT 1 FROM pipelines p WHERE p.tenant_id = t.id AND p.is_default)) THEN
                    RAISE EXCEPTION 'every tenant with pipelines has exactly one default pipeline'
                      USING ERRCODE = 'check_violation', CONSTRAINT = 'ck_pipelines_default_per_tenant';
                  END IF;
                  RETURN NULL;
                END $$;

                CREATE CONSTRAINT TRIGGER ck_pipelines_default_per_tenant
                  AFTER INSERT OR UPDATE OR DELETE ON pipelines
                  DEFERRABLE INITIALLY DEFERRED
                  FOR EACH ROW EXECUTE FUNCTION crm_pipelines_require_default();
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("""
                DROP TRIGGER ck_pipelines_default_per_tenant ON pipelines;
                DROP FUNCTION crm_pipelines_require_default();
                """);
        }
    }
}
