using System.Net.Sockets;
using Codex.Testing;
using Npgsql;
using RabbitMQ.Client;
using StackExchange.Redis;

namespace Codex.AppHost.Tests;

/// <summary>The process-mode servers as the AppHost runs them: Aspire's formats, data that lasts, nothing left behind.</summary>
public sealed class InfrastructureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Connection_strings_have_Aspire_s_formats_and_reach_the_servers()
    {
        await using var servers = new TestServers();
        await servers.InitializeAsync();

        var postgres = new NpgsqlConnectionStringBuilder(servers.ConnectionString(TestServers.Postgres));
        var redis = servers.ConnectionString(TestServers.Redis);
        var rabbit = servers.ConnectionString(TestServers.RabbitMQ);

        Assert.Equal("localhost", postgres.Host);
        Assert.Equal("postgres", postgres.Username);
        Assert.Matches("^[A-Za-z0-9]{32}$", postgres.Password);
        Assert.Matches(@"^localhost:\d+,password=[A-Za-z0-9]{32}$", redis);
        Assert.Matches(@"^amqp://guest:[A-Za-z0-9]{32}@localhost:\d+$", rabbit);
        await using (var connection = new NpgsqlConnection(postgres.ConnectionString))
        {
            await connection.OpenAsync(Ct);
            Assert.StartsWith("15.", connection.PostgreSqlVersion.ToString());
        }
        using (var multiplexer = await ConnectionMultiplexer.ConnectAsync(redis))
        {
            Assert.Equal("PONG", (await multiplexer.GetDatabase().ExecuteAsync("PING")).ToString());
        }
        await using var amqp = await new ConnectionFactory { Uri = new Uri(rabbit) }.CreateConnectionAsync(Ct);
        Assert.True(amqp.IsOpen);
    }

    [Fact]
    public async Task Data_and_passwords_outlive_the_AppHost_and_nothing_keeps_running_after_it_stops()
    {
        var data = CodexStack.NewDataDirectory();
        try
        {
            string first;
            await using (var servers = new TestServers(data, keepData: true))
            {
                await servers.InitializeAsync();
                first = servers.ConnectionString(TestServers.Postgres);
                await ExecuteAsync(first, "CREATE TABLE kept (value text); INSERT INTO kept VALUES ('still here')");
            }
            var stoppedPort = new NpgsqlConnectionStringBuilder(first).Port;

            Assert.Empty(ProcessesUsing(data));
            Assert.False(await AcceptsConnectionsAsync(stoppedPort), $"port {stoppedPort} still answers after the AppHost stopped");

            await using (var again = new TestServers(data, keepData: true))
            {
                await again.InitializeAsync();
                var second = new NpgsqlConnectionStringBuilder(again.ConnectionString(TestServers.Postgres));
                Assert.Equal(new NpgsqlConnectionStringBuilder(first).Password, second.Password);
                await using var connection = new NpgsqlConnection(second.ConnectionString);
                await connection.OpenAsync(Ct);
                await using var read = new NpgsqlCommand("SELECT value FROM kept", connection);
                Assert.Equal("still here", await read.ExecuteScalarAsync(Ct));
            }
            Assert.Empty(ProcessesUsing(data));
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Ct);
    }

    /// <summary>Live processes whose command line or environment names <paramref name="data"/>: the servers of that folder.</summary>
    private static List<string> ProcessesUsing(string data)
    {
        var found = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                var environment = File.ReadAllText(Path.Combine(dir, "environ")).Replace('\0', ' ');
                var state = File.ReadAllText(Path.Combine(dir, "stat")).Split(") ")[1][0];
                if (state != 'Z' && (commandLine.Contains(data, StringComparison.Ordinal) || environment.Contains(data, StringComparison.Ordinal)))
                {
                    found.Add($"{Path.GetFileName(dir)}: {commandLine}");
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Gone, or not ours to read.
            }
        }
        return found;
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, Ct);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
