namespace Codex.Crm.Model;

public sealed class Interaction : ITenantOwned
{
    public Guid Id { get; set; }
    public required string TenantId { get; set; }
    public required string Kind { get; set; }
    public Guid? CustomerId { get; set; }
    public Guid? LeadId { get; set; }
    public string? Subject { get; set; }
    public string? Body { get; set; }
    public DateTimeOffset OccurredAt { get; set; }
    public Guid? UserId { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

public static class InteractionKinds
{
    public static readonly IReadOnlyList<string> All = ["email", "call", "meeting", "note"];
}
