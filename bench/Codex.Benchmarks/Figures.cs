using System.Globalization;

namespace Codex.Benchmarks;

/// <summary>Formatting and settings shared by the areas.</summary>
internal static class Figures
{
    private static readonly NumberFormatInfo Grouped = new() { NumberGroupSeparator = " ", NumberGroupSizes = [3], NumberDecimalSeparator = "." };

    /// <summary>Rounded, thousands grouped with a space: <c>14 200</c>.</summary>
    public static string N(double value) => Math.Round(value).ToString("#,0", Grouped);

    public static string Met(bool met) => met ? "met" : "NOT met";

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    public static double Percentile(double[] sorted, double fraction) =>
        sorted[Math.Clamp((int)Math.Ceiling(fraction * sorted.Length) - 1, 0, sorted.Length - 1)];

    /// <summary>Progress on stderr; stdout carries only the figures.</summary>
    public static void Progress(string message) => Console.Error.WriteLine($"bench: {message}");

    /// <summary>The benchmark servers (Program starts them): the AppHost's own infrastructure, as tests use it.</summary>
    public static Codex.Testing.TestServers Servers { get; set; } = null!;

    /// <summary>A connection string of the benchmark servers: <c>postgres</c>, <c>cache</c>, <c>messaging</c>.</summary>
    public static string ConnectionString(string name) => Servers.ConnectionString(name);

    /// <summary>An integer setting from the environment, at least <paramref name="minimum"/>.</summary>
    public static int Setting(string name, int fallback, int minimum)
    {
        var text = Environment.GetEnvironmentVariable(name);
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value >= minimum
            ? value
            : throw new BenchmarkException($"{name}={text} is not a whole number of at least {minimum}");
    }
}
