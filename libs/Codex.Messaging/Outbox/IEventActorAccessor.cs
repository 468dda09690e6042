using Microsoft.AspNetCore.Http;

namespace Codex.Messaging.Outbox;

/// <summary>Names who causes the events written now, for the envelope's <c>actor</c>.</summary>
public interface IEventActorAccessor
{
    string? Actor { get; }
}

/// <summary>The <c>sub</c> claim of the request being served; null outside a request or for anonymous calls.</summary>
internal sealed class HttpContextEventActor(IHttpContextAccessor http) : IEventActorAccessor
{
    public string? Actor => http.HttpContext?.User.FindFirst(Codex.Security.CodexClaims.Subject)?.Value;
}
