namespace Codex;

/// <summary>
/// The names of every resource in the stack: Aspire resource names, connection names and service
/// discovery names. The AppHost links this file, so the AppHost, the services and the tests all use
/// the same strings.
/// </summary>
public static class ResourceNames
{
    /// <summary>PostgreSQL server that holds every service database.</summary>
    public const string Postgres = "postgres";

    /// <summary>Redis: caches and counters.</summary>
    public const string Cache = "cache";

    /// <summary>RabbitMQ: integration events.</summary>
    public const string Messaging = "messaging";

    /// <summary>
    /// The connection name of a service's own RabbitMQ login (<c>messaging-&lt;service&gt;</c>, a user named after
    /// the service); the service gets it as <see cref="Messaging"/>.
    /// </summary>
    public static string MessagingLogin(string service) => $"{Messaging}-{service}";

    /// <summary>Database names, one per service that owns data.</summary>
    public static class Databases
    {
        public const string Auth = "authdb";
        public const string Crm = "crmdb";
        public const string Cms = "cmsdb";
        public const string Billing = "billingdb";
        public const string Analytics = "analyticsdb";
        public const string Notifications = "notifydb";
        public const string Platform = "cdxdb";

        /// <summary>All seven, one per service that owns data.</summary>
        public static readonly IReadOnlyList<string> All = [Auth, Crm, Cms, Billing, Analytics, Notifications, Platform];

        /// <summary>
        /// The connection name of the login a service runs as (<c>&lt;db&gt;-app</c>). The service gets it as its
        /// database's own name; the migrate step, which signs in as the owner, gets it under this one to make the role.
        /// </summary>
        public static string AppLogin(string database) => $"{database}-app";

        /// <summary>The connection name of the login the migrate step runs as, the database's owner (<c>&lt;db&gt;-owner</c>).</summary>
        public static string OwnerLogin(string database) => $"{database}-owner";
    }

    /// <summary>Service names: Aspire project resource names and <c>http://&lt;name&gt;</c> discovery hosts.</summary>
    public static class Services
    {
        public const string Gateway = "gateway";
        public const string Auth = "auth";
        public const string Crm = "crm";
        public const string Cms = "cms";
        public const string Billing = "billing";
        public const string Analytics = "analytics";
        public const string Notifications = "notifications";
        public const string Platform = "platform";
        public const string Web = "web";
    }
}
