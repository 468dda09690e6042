using System.Text.RegularExpressions;
using Npgsql;

namespace Codex;

/// <summary>
/// Least privilege in PostgreSQL. Each service's database belongs to an owner role, which the migrate step
/// signs in as (it changes the schema), and the service itself signs in as an app role that may read and
/// write rows and nothing else: it cannot change the schema, reach another service's database, create
/// roles or databases, or bypass row-level security. Neither role is a superuser.
/// </summary>
/// <remarks>
/// The roles are named by the connection strings the migrate step is given (<c>ConnectionStrings:&lt;db&gt;</c>
/// for the owner, <c>ConnectionStrings:&lt;db&gt;-app</c> for the service) and are made with the server's admin
/// connection (<c>ConnectionStrings:postgres</c>), idempotently: every run sets the passwords it is given, and
/// what an earlier run made as another role is handed to the owner. No package does this: Aspire's PostgreSQL
/// integration makes databases, not roles, and EF Core's migrations run as whoever connects.
/// </remarks>
public static partial class DatabaseRoles
{
    /// <summary>
    /// As the server's admin: both roles (with the passwords of their connection strings), the database owned by
    /// the owner, and only the app role besides it allowed to connect.
    /// </summary>
    public static async Task ProvisionAsync(string adminConnectionString, string ownerConnectionString, string appConnectionString, CancellationToken cancellationToken)
    {
        var owner = Login.From(ownerConnectionString);
        var app = Login.From(appConnectionString);
        if (owner.Database != app.Database || owner.User == app.User)
        {
            throw new InvalidOperationException($"The owner ({owner.User}) and app ({app.User}) logins must be two roles of one database.");
        }
        var admin = new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = "postgres", Pooling = false };
        await using (var server = new NpgsqlConnection(admin.ConnectionString))
        {
            await server.OpenAsync(cancellationToken);
            await ExecuteAsync(server, $"{Role(owner)} {Role(app)}", cancellationToken);
            try
            {
                await ExecuteAsync(server, $"CREATE DATABASE \"{owner.Database}\" OWNER \"{owner.User}\"", cancellationToken);
            }
            catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                await ExecuteAsync(server, $"ALTER DATABASE \"{owner.Database}\" OWNER TO \"{owner.User}\"", cancellationToken);
            }
            await ExecuteAsync(server, $"""
                REVOKE ALL ON DATABASE "{owner.Database}" FROM PUBLIC;
                GRANT CONNECT, TEMPORARY ON DATABASE "{owner.Database}" TO "{app.User}";
                """, cancellationToken);
        }

        admin.Database = owner.Database;
        await using var database = new NpgsqlConnection(admin.ConnectionString);
        await database.OpenAsync(cancellationToken);
        await ExecuteAsync(database, HandOver(owner.User), cancellationToken);
    }

    /// <summary>
    /// As the owner, after migrations: the app role may read and write the rows of every table and use every
    /// sequence, now and in what later migrations make; the migration history is the owner's alone.
    /// </summary>
    public static async Task GrantAsync(string ownerConnectionString, string appConnectionString, CancellationToken cancellationToken)
    {
        var app = Login.From(appConnectionString);
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(ownerConnectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, $"""
            GRANT USAGE ON SCHEMA public TO "{app.User}";
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "{app.User}";
            GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO "{app.User}";
            ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO "{app.User}";
            ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO "{app.User}";
            DO $$ BEGIN
              IF to_regclass('public."__EFMigrationsHistory"') IS NOT NULL THEN
                REVOKE ALL ON public."__EFMigrationsHistory" FROM "{app.User}";
              END IF;
            END $$;
            """, cancellationToken);
    }

    // A login role without any power beyond its grants; its password set on every run.
    private static string Role(Login login) => $"""
        DO $$ BEGIN
          IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{login.User}') THEN CREATE ROLE "{login.User}"; END IF;
        END $$;
        ALTER ROLE "{login.User}" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD '{login.Password.Replace("'", "''", StringComparison.Ordinal)}';
        """;

    // The public schema and whatever an earlier run made in it as another role (the admin, before roles
    // existed) go to the owner; objects of extensions stay with the extension.
    // Row-level security evaluates an operator that is not LEAKPROOF only after the policy, so a LIKE search
    // could not use its trigram index: every search would scan all of a tenant's rows. LIKE raises errors for a
    // malformed pattern only, never for a row's value, so it reveals nothing of rows a policy hides; marking it
    // (in this database's catalog, which takes the admin) lets the planner use the index again.
    private static string HandOver(string owner) => $$"""
        ALTER FUNCTION pg_catalog.textlike(text, text) LEAKPROOF;
        ALTER FUNCTION pg_catalog.texticlike(text, text) LEAKPROOF;
        ALTER SCHEMA public OWNER TO "{{owner}}";
        REVOKE ALL ON SCHEMA public FROM PUBLIC;
        DO $$
        DECLARE r record;
        BEGIN
          FOR r IN SELECT c.oid::regclass AS name, c.relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'v', 'm') AND c.relowner <> '{{owner}}'::regrole
                AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
          LOOP
            EXECUTE format('ALTER %s %s OWNER TO %I',
              CASE r.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END, r.name, '{{owner}}');
          END LOOP;
          FOR r IN SELECT c.oid::regclass AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
              WHERE n.nspname = 'public' AND c.relkind = 'S' AND c.relowner <> '{{owner}}'::regrole
                AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i', 'e'))
          LOOP
            EXECUTE format('ALTER SEQUENCE %s OWNER TO %I', r.name, '{{owner}}');
          END LOOP;
          FOR r IN SELECT p.oid::regprocedure AS name FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
              WHERE n.nspname = 'public' AND p.proowner <> '{{owner}}'::regrole
                AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e')
          LOOP
            EXECUTE format('ALTER ROUTINE %s OWNER TO %I', r.name, '{{owner}}');
          END LOOP;
        END $$;
        """;

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A role and its database from a connection string; names are plain identifiers, so they can be quoted safely.</summary>
    private sealed record Login(string User, string Password, string Database)
    {
        public static Login From(string connectionString)
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            var user = builder.Username ?? "";
            var database = builder.Database ?? "";
            if (!Identifier().IsMatch(user) || !Identifier().IsMatch(database))
            {
                throw new InvalidOperationException($"Role '{user}' and database '{database}' must be plain names (a-z, 0-9 and _, at most 63 characters).");
            }
            if (string.IsNullOrEmpty(builder.Password) || builder.Password.Contains('\0'))
            {
                throw new InvalidOperationException($"The login {user} has no usable password.");
            }
            return new(user, builder.Password, database);
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]{0,62}$")]
    private static partial Regex Identifier();
}
