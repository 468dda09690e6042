using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace Codex.Crm.Contracts;

/// <summary>Create and update (PUT replaces every field) take the same body.</summary>
public sealed record CustomerRequest(
    [property: Required, StringLength(200, MinimumLength = 1)] string Name,
    [property: EmailAddress, StringLength(320)] string? Email = null,
    [property: StringLength(50)] string? Phone = null,
    [property: StringLength(200)] string? Company = null,
    string? Status = null,
    [property: StringLength(50)] string? Source = null,
    [property: MaxLength(50)] IReadOnlyList<string>? Tags = null,
    JsonElement? CustomFields = null);

public sealed record CustomerDto(
    Guid Id, string Name, string? Email, string? Phone, string? Company, string Status, string? Source,
    IReadOnlyList<string> Tags, JsonElement CustomFields, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, DateTimeOffset? DeletedAt);

/// <summary><c>GET /customers</c>: all filters optional; <c>deleted=true</c> lists the trash instead.</summary>
public sealed record CustomerQuery(string? Search, string? Status, string? Source, string? Tag, bool Deleted, string? Cursor, int Limit);

/// <summary>What an import did: every valid row is in, every invalid row is listed with its errors.</summary>
public sealed record ImportReport(int Imported, int Failed, IReadOnlyList<ImportRowError> Errors);

/// <summary>A rejected row: its line in the file (the header is line 1) and its field errors.</summary>
public sealed record ImportRowError(int Line, IDictionary<string, string[]> Errors);
