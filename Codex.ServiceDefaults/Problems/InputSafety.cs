using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Codex.ServiceDefaults.Problems;

/// <summary>
/// Text PostgreSQL cannot store, refused as a 400 before any handler runs: a NUL character in a JSON string
/// (the body is refused while it is read), in the path or in the query. What slips past these (a CSV cell) is
/// mapped to the same 400 when the database refuses it (<see cref="ProblemDetailsExceptionHandler"/>).
/// </summary>
public static class InputSafety
{
    public const string Code = "invalid_characters";

    /// <summary>Refuses a request whose path (decoded) or query (still escaped) carries a NUL character.</summary>
    public static Task RejectNulInTargetAsync(HttpContext context, RequestDelegate next) =>
        context.Request.Path.Value?.Contains('\0') == true || context.Request.QueryString.Value?.Contains("%00", StringComparison.Ordinal) == true
            ? context.WriteProblemAsync(StatusCodes.Status400BadRequest, Code, "The request is invalid.", "The path or query contains a NUL character.")
            : next(context);

    /// <summary>Reads JSON strings as usual, but refuses one that contains NUL (minimal APIs answer 400).</summary>
    internal sealed class NulFreeStringConverter : JsonConverter<string>
    {
        public override bool HandleNull => false;

        public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var value = reader.GetString();
            return value is not null && value.Contains('\0')
                ? throw new JsonException("A string contains a NUL character, which cannot be stored.")
                : value;
        }

        public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) => writer.WriteStringValue(value);
    }
}
