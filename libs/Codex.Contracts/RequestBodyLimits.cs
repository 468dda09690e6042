namespace Codex;

/// <summary>
/// Request body limits, one list for the gateway and the services: each service sets Kestrel's limit from
/// <see cref="For"/>, and the gateway refuses a larger body itself with 413. Were the gateway's limit higher,
/// it would stream the body into a service that cuts the connection at its own limit, and answer 502.
/// </summary>
public static class RequestBodyLimits
{
    /// <summary>What a service allows unless it is named below: 1 MiB of JSON.</summary>
    public const long Default = 1024 * 1024;

    /// <summary>CRM's customer CSV import (10 MiB), set on that endpoint.</summary>
    public const long CustomerImport = 10 * 1024 * 1024;

    /// <summary>CMS's media uploads: the most any tenant may set (each tenant's own limit is checked by CMS).</summary>
    public const long MediaUpload = 100 * 1024 * 1024;

    /// <summary>A service's limit for every route that is not an upload.</summary>
    public static long For(string service) => service switch
    {
        ResourceNames.Services.Auth => 64 * 1024,
        ResourceNames.Services.Platform => 256 * 1024,
        _ => Default,
    };

    /// <summary>Endpoints with a larger limit than their service's, by gateway path.</summary>
    public static readonly IReadOnlyList<(string Service, string Path, long Limit)> Uploads =
    [
        (ResourceNames.Services.Crm, "/api/v1/crm/customers/import", CustomerImport),
        (ResourceNames.Services.Cms, "/api/v1/cms/media", MediaUpload),
    ];
}
