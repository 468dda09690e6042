namespace Codex.AppHost.Infrastructure;

/// <summary>
/// What the process-mode servers share with each other and with Aspire's container resources: one <c>tcp</c>
/// endpoint the server listens on itself, a password, and the connection properties (<c>&lt;NAME&gt;_HOST</c>,
/// <c>_PORT</c>, <c>_USERNAME</c>, <c>_PASSWORD</c>) a referencing service gets beside its connection string.
/// </summary>
public abstract class ProcessServerResource(string name, string command, string workingDirectory, ParameterResource password)
    : ExecutableResource(name, command, workingDirectory), IResourceWithConnectionString
{
    internal const string PrimaryEndpointName = "tcp";
    private EndpointReference? _primaryEndpoint;

    public EndpointReference PrimaryEndpoint => _primaryEndpoint ??= new(this, PrimaryEndpointName);

    public ParameterResource PasswordParameter { get; } = password;

    /// <summary>The user a connection signs in as, or none (Redis).</summary>
    protected virtual string? UserName => null;

    protected EndpointReferenceExpression Host => PrimaryEndpoint.Property(EndpointProperty.Host);

    protected EndpointReferenceExpression Port => PrimaryEndpoint.Property(EndpointProperty.Port);

    public abstract ReferenceExpression ConnectionStringExpression { get; }

    IEnumerable<KeyValuePair<string, ReferenceExpression>> IResourceWithConnectionString.GetConnectionProperties()
    {
        yield return new("Host", ReferenceExpression.Create($"{Host}"));
        yield return new("Port", ReferenceExpression.Create($"{Port}"));
        if (UserName is { } user)
        {
            yield return new("Username", ReferenceExpression.Create($"{user}"));
        }
        yield return new("Password", ReferenceExpression.Create($"{PasswordParameter}"));
    }
}
