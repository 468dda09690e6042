using System.Net.Sockets;
using Codex.ServiceDefaults.Tests.Support;
using Codex.Testing;
using Npgsql;
using RabbitMQ.Client;
using StackExchange.Redis;

namespace Codex.ServiceDefaults.Tests;

/// <summary>eng/infra.sh against a state folder and ports of its own.</summary>
public sealed class InfraScriptTests
{
    [Fact]
    public async Task Up_twice_then_status_then_down_is_idempotent_and_leaves_no_process_behind()
    {
        await using var infra = new PrivateInfrastructure();

        var first = await infra.RunAsync("up");
        var second = await infra.RunAsync("up");
        var running = await infra.RunAsync("status");
        var ours = infra.OwnProcesses().ToList();
        var connectionStrings = await infra.ConnectionStringsAsync();
        await AssertServersAnswerAsync(connectionStrings);
        var down = await infra.RunAsync("down");
        var downAgain = await infra.RunAsync("down");
        var stopped = await infra.RunAsync("status");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.True(running.ExitCode == 0, running.ToString());
        Assert.True(ours.Count >= 3, $"expected postgres, redis and rabbitmq processes, found {ours.Count}");
        Assert.True(down.ExitCode == 0, down.ToString());
        Assert.True(downAgain.ExitCode == 0, downAgain.ToString());
        Assert.True(stopped.ExitCode != 0, $"status should fail once everything is down: {stopped}");
        Assert.DoesNotContain(ours, pid => Directory.Exists($"/proc/{pid}"));
        Assert.Empty(infra.OwnProcesses());
        foreach (var port in infra.Ports)
        {
            Assert.False(await AcceptsConnectionsAsync(port), $"port {port} still accepts connections after down");
        }
    }

    [Fact]
    public async Task Env_prints_every_connection_string_in_Aspire_formats()
    {
        await using var infra = new PrivateInfrastructure();

        var connectionStrings = await infra.ConnectionStringsAsync();

        foreach (var database in ResourceNames.Databases.All)
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionStrings[database]);
            Assert.Equal(database, builder.Database);
            Assert.Equal(infra.PostgresPort, builder.Port);
            Assert.Equal("postgres", builder.Username);
            Assert.False(string.IsNullOrEmpty(builder.Password));
        }
        Assert.Matches(@"^127\.0\.0\.1:\d+,password=[A-Za-z0-9]{22,}$", connectionStrings[ResourceNames.Cache]);
        Assert.Matches(@"^amqp://guest:[A-Za-z0-9]{22,}@127\.0\.0\.1:\d+$", connectionStrings[ResourceNames.Messaging]);
        Assert.Equal(connectionStrings, await infra.ConnectionStringsAsync());
    }

    private static async Task AssertServersAnswerAsync(Dictionary<string, string> connectionStrings)
    {
        var ct = TestContext.Current.CancellationToken;
        foreach (var database in ResourceNames.Databases.All)
        {
            await using var connection = new NpgsqlConnection(connectionStrings[database]);
            await connection.OpenAsync(ct);
            Assert.Equal(database, connection.Database);
        }

        var options = ConfigurationOptions.Parse(connectionStrings[ResourceNames.Cache]);
        using var redis = await ConnectionMultiplexer.ConnectAsync(options);
        Assert.True(redis.IsConnected);

        var factory = new ConnectionFactory { Uri = new Uri(connectionStrings[ResourceNames.Messaging]) };
        await using var rabbit = await factory.CreateConnectionAsync(ct);
        Assert.True(rabbit.IsOpen);
    }

    private static async Task<bool> AcceptsConnectionsAsync(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(System.Net.IPAddress.Loopback, port, TestContext.Current.CancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
