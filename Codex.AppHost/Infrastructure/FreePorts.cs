namespace Codex.AppHost.Infrastructure;

/// <summary>Ports for servers started on this machine: the process-mode servers' and the tests' own listeners.</summary>
public static class FreePorts
{
    /// <summary>
    /// A port nothing listens on now, below Linux's ephemeral range (32768 and up): a port from that range can
    /// be taken by an outgoing connection between now and the server binding it ("Address already in use").
    /// </summary>
    public static int Tcp()
    {
        for (var attempt = 0; attempt < 100; attempt++)
        {
            var port = Random.Shared.Next(20000, 32768);
            try
            {
                using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, port);
                listener.Start();
                return port;
            }
            catch (System.Net.Sockets.SocketException)
            {
                // Taken: try another.
            }
        }
        using var any = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        any.Start();
        return ((System.Net.IPEndPoint)any.LocalEndpoint).Port;
    }
}
