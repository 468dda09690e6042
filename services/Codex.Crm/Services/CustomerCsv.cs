using System.Globalization;
using System.Text.Json;
using Codex.Contracts;
using Codex.Crm.Contracts;
using Codex.Crm.Infrastructure;
using Codex.Crm.Model;
using Codex.Security.Tenancy;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.EntityFrameworkCore;

namespace Codex.Crm.Services;

/// <summary>
/// CSV import and export in one format (export's output imports unchanged). An import is all or
/// nothing per row: every valid row goes in, in one transaction, and every invalid row is reported.
/// </summary>
public sealed class CustomerCsv(CrmDbContext db, CustomerService customers, TenantContext tenant, TimeProvider clock)
{
    public const int MaxRows = 10_000;
    public const long MaxFileBytes = RequestBodyLimits.CustomerImport;

    private static readonly string[] Columns = ["id", "name", "email", "phone", "company", "status", "source", "tags", "custom_fields", "created_at", "updated_at"];
    private static readonly HashSet<string> Ignored = ["id", "created_at", "updated_at"];
    private static readonly CsvConfiguration Format = new(CultureInfo.InvariantCulture)
    {
        PrepareHeaderForMatch = args => args.Header.Trim().ToLowerInvariant(),
        MissingFieldFound = null,
        BadDataFound = null,
        DetectDelimiter = true,
    };

    // A cell a spreadsheet would run as a formula (=, +, -, @, tab, CR first) is prefixed with ' (OWASP's advice),
    // so an exported customer named "=HYPERLINK(…)" stays text.
    private static readonly CsvConfiguration ExportFormat = new(CultureInfo.InvariantCulture) { InjectionOptions = InjectionOptions.Escape };

    public async Task<ImportReport> ImportAsync(Stream csv, CancellationToken cancellationToken)
    {
        var rows = await ReadAsync(csv, cancellationToken);
        var now = clock.GetUtcNow();
        var errors = new List<ImportRowError>();
        var valid = new List<(int Line, Customer Customer)>();
        var emailsInFile = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (line, request, hasNul) in rows)
        {
            if (hasNul)
            {
                errors.Add(new ImportRowError(line, new Dictionary<string, string[]> { ["row"] = ["The row contains a NUL character, which cannot be stored."] }));
                continue;
            }
            var customer = new Customer { Id = Guid.CreateVersion7(), TenantId = tenant.RequiredTenantId, Name = "", CreatedAt = now, UpdatedAt = now };
            var fieldErrors = new FieldErrors();
            CustomerRules.Apply(request, customer, fieldErrors);
            if (!fieldErrors.Any && customer.Email is { } email && !emailsInFile.Add(email))
            {
                fieldErrors.Add("email", $"email '{email}' appears on an earlier line of this file.");
            }
            if (fieldErrors.Any)
            {
                errors.Add(new ImportRowError(line, fieldErrors.ToDictionary()));
                continue;
            }
            valid.Add((line, customer));
        }
        var taken = await TakenEmailsAsync(emailsInFile, cancellationToken);
        foreach (var (line, customer) in valid.Where(v => v.Customer.Email is { } e && taken.Contains(e)))
        {
            errors.Add(new ImportRowError(line, new Dictionary<string, string[]> { ["email"] = [$"a customer with email '{customer.Email}' already exists."] }));
        }
        var imported = valid.Where(v => v.Customer.Email is not { } e || !taken.Contains(e)).Select(v => v.Customer).ToList();
        db.Customers.AddRange(imported);
        await customers.SaveAsync(imported.Select(c => new CustomerCreated(c.TenantId, c.Id, c.Name, c.Email, c.Source)), cancellationToken);
        return new ImportReport(imported.Count, errors.Count, [.. errors.OrderBy(e => e.Line)]);
    }
    public async Task ExportAsync(CustomerQuery query, Stream output, CancellationToken cancellationToken)
    {
        // The filter is checked and the query started before a byte is written: a bad filter is then a 400
        // problem, not a reset connection half-way through a 200.
        await using var rows = customers.StreamAsync(query).GetAsyncEnumerator(cancellationToken);
        var more = await rows.MoveNextAsync();
        await using var writer = new StreamWriter(output, leaveOpen: true);
        await using var csv = new CsvWriter(writer, ExportFormat);
        foreach (var column in Columns)
        {
            csv.WriteField(column);
        }
        await csv.NextRecordAsync();
        for (; more; more = await rows.MoveNextAsync())
        {
            var c = rows.Current;
            csv.WriteField(c.Id);
            csv.WriteField(c.Name);
            csv.WriteField(c.Email);
            csv.WriteField(c.Phone);
            csv.WriteField(c.Company);
            csv.WriteField(c.Status);
            csv.WriteField(c.Source);
            csv.WriteField(string.Join(';', c.Tags));
            csv.WriteField(c.CustomFields.RootElement.GetRawText());
            csv.WriteField(c.CreatedAt.ToString("O", CultureInfo.InvariantCulture));
            csv.WriteField(c.UpdatedAt.ToString("O", CultureInfo.InvariantCulture));
            await csv.NextRecordAsync();
        }
    }

    /// <summary>The file's rows as requests with their line numbers; a 400 for a file that is not a customer CSV at all.</summary>
    private static async Task<List<(int Line, CustomerRequest Request, bool HasNul)>> ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream);
        using var csv = new CsvReader(reader, Format);
        if (!await csv.ReadAsync() || !csv.ReadHeader())
        {
            throw new ValidationException("file", "The file is empty; its first line names the columns (name is required).");
        }
        var header = csv.HeaderRecord!.Select(h => h.Trim().ToLowerInvariant()).ToList();
        var unknown = header.Where(h => !Columns.Contains(h)).ToList();
        if (unknown.Count > 0 || !header.Contains("name"))
        {
            throw new ValidationException("file", unknown.Count > 0
                ? $"Unknown column(s) {string.Join(", ", unknown)}; the columns are {string.Join(", ", Columns.Where(c => !Ignored.Contains(c)))}."
                : "The file has no 'name' column.");
        }
        var rows = new List<(int, CustomerRequest, bool)>();
        while (await csv.ReadAsync())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (rows.Count == MaxRows)
            {
                throw new ValidationException("file", $"An import takes at most {MaxRows} rows; split the file.");
            }
            rows.Add((csv.Parser.RawRow, ToRequest(csv), csv.Parser.Record?.Any(field => field.Contains('\0')) == true));
        }
        return rows;
    }

    private static CustomerRequest ToRequest(CsvReader row)
    {
        string? Field(string name) => row.TryGetField<string>(name, out var value) && !string.IsNullOrWhiteSpace(value) ? Unescaped(value) : null;
        var tags = Field("tags")?.Split([';', '|'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        JsonElement? customFields = null;
        if (Field("custom_fields") is { } json)
        {
            try
            {
                customFields = JsonSerializer.Deserialize<JsonElement>(json);
            }
            catch (JsonException)
            {
                customFields = JsonSerializer.SerializeToElement(json);   // not an object: CustomerRules reports it
            }
        }
        return new CustomerRequest(Field("name") ?? "", Field("email"), Field("phone"), Field("company"), Field("status"), Field("source"), tags, customFields);
    }

    /// <summary>Undoes the export's formula escape ('=…), so an export imports back unchanged.</summary>
    private static string Unescaped(string value) =>
        value.Length > 1 && value[0] == ExportFormat.InjectionEscapeCharacter && ExportFormat.InjectionCharacters.Contains(value[1]) ? value[1..] : value;

    private async Task<HashSet<string>> TakenEmailsAsync(HashSet<string> emails, CancellationToken cancellationToken)
    {
        var list = emails.ToList();
        return list.Count == 0 ? [] : (await db.Customers.Where(c => c.Email != null && list.Contains(c.Email)).Select(c => c.Email!).ToListAsync(cancellationToken)).ToHashSet();
    }
}
