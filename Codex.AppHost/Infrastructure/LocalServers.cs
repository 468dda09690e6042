using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Codex.AppHost.Infrastructure;

/// <summary>
/// What the process-mode servers share: where their data lives (<c>Codex:DataDirectory</c>, default
/// <c>.codex/</c> at the repository root), a password per server kept beside its data, and how to run a
/// Debian server binary as its own user (PostgreSQL and RabbitMQ refuse root).
/// </summary>
internal static class LocalServers
{
    /// <summary>The root of every process-mode server's data: <c>Codex:DataDirectory</c> or <c>.codex/</c>.</summary>
    public static string DataRoot(IDistributedApplicationBuilder builder) =>
        Path.GetFullPath(builder.Configuration["Codex:DataDirectory"] is { Length: > 0 } configured
            ? configured
            : Path.Combine(builder.AppHostDirectory, "..", ".codex"));

    /// <summary>
    /// The port a server listens on itself (no DCP proxy in front, so a stopped server refuses connections at
    /// once instead of the proxy holding them): fixed in run mode, so psql and redis-cli find it
    /// (<c>Codex:Ports:&lt;name&gt;</c> overrides), and a free one when tests randomize ports.
    /// </summary>
    public static int Port(IDistributedApplicationBuilder builder, string name, int port) =>
        builder.Configuration.GetValue<bool>("DcpPublisher:RandomizePorts")
            ? FreePorts.Tcp()
            : builder.Configuration.GetValue<int?>($"Codex:Ports:{name}") ?? port;


    /// <summary>
    /// The server's password: made on first use and kept in <c>&lt;data&gt;/secrets/&lt;name&gt;.password</c>
    /// (mode 0600), because the data it protects outlives one AppHost run.
    /// </summary>
    public static IResourceBuilder<ParameterResource> Password(IDistributedApplicationBuilder builder, string name)
    {
        var file = Path.Combine(DataRoot(builder), "secrets", $"{name}.password");
        return builder.AddParameter($"{name}-password", () => ReadOrCreate(file), secret: true);
    }

    private static string ReadOrCreate(string file)
    {
        if (File.Exists(file))
        {
            return File.ReadAllText(file).Trim();
        }
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var password = RandomNumberGenerator.GetString("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 32);
        File.WriteAllText(file, password);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return password;
    }

    /// <summary>True when the AppHost runs as root: servers that refuse root then run under their own user.</summary>
    public static bool IsRoot => Environment.UserName == "root";

    /// <summary>
    /// The command and leading arguments that run <paramref name="program"/> as <paramref name="user"/> when the
    /// AppHost is root (<c>setpriv</c> execs, so the server keeps the pid DCP watches), else as it is.
    /// </summary>
    public static (string Command, string[] Args) RunAs(string user, string program) => IsRoot
        ? ("/usr/bin/setpriv", [$"--reuid={user}", $"--regid={user}", "--clear-groups", "--", program])
        : (program, []);

    /// <summary>Makes <paramref name="directory"/> (and its parents) and gives it to <paramref name="user"/> when root.</summary>
    public static void Own(string directory, string user)
    {
        Directory.CreateDirectory(directory);
        if (IsRoot && !OperatingSystem.IsWindows())
        {
            Run("chown", ["-R", $"{user}:{user}", directory]);
            // The user must pass through every folder above its data (not a given under /root).
            for (var dir = Path.GetDirectoryName(directory); dir is { Length: > 1 }; dir = Path.GetDirectoryName(dir))
            {
                var mode = File.GetUnixFileMode(dir);
                if (!mode.HasFlag(UnixFileMode.OtherExecute))
                {
                    File.SetUnixFileMode(dir, mode | UnixFileMode.OtherExecute);
                }
            }
        }
    }

    /// <summary>Runs a command to completion; its output goes to <paramref name="logger"/>; fails loudly.</summary>
    public static void Run(string command, IEnumerable<string> arguments, ILogger? logger = null)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {command}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        foreach (var line in $"{output.Result}{errors.Result}".Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            logger?.LogInformation("{Line}", line);
        }
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', start.ArgumentList)} exited with {process.ExitCode}: {errors.Result.Trim()}");
        }
    }

    /// <summary>The newest installed PostgreSQL's bin folder (Debian: /usr/lib/postgresql/&lt;version&gt;/bin).</summary>
    public static string PostgresBinDirectory() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(dir => Path.Combine(dir, "bin"))
                .Where(bin => File.Exists(Path.Combine(bin, "initdb")))
                .OrderByDescending(bin => Version.TryParse(Path.GetFileName(Path.GetDirectoryName(bin)), out var v) ? v : new Version(0, 0))
                .FirstOrDefault() ?? throw Missing("postgresql")
            : throw Missing("postgresql");

    /// <summary>A program's full path, or a clear error naming the Debian package to install.</summary>
    public static string Program(string path, string package) => File.Exists(path) ? path : throw Missing(package);

    private static InvalidOperationException Missing(string package) => new(
        $"Codex:Infrastructure is 'process' but Debian's {package} is not installed. Run eng/dev.sh (it installs it as root), " +
        $"or: sudo apt-get install {package}. With Docker or Podman running, Codex:Infrastructure=containers uses containers instead.");
}
