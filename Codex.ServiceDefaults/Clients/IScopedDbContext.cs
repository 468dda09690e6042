namespace Microsoft.Extensions.Hosting;

/// <summary>
/// A pooled DbContext that takes state from the scope it is leased into (the caller's tenant, say).
/// Pooled contexts cannot take scoped services in their constructor; this is called on every lease.
/// </summary>
public interface IScopedDbContext
{
    /// <summary>Called with the scope's services each time the context is handed out.</summary>
    void AttachScope(IServiceProvider services);
}
