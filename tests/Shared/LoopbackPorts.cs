using System.Net;
using System.Net.Sockets;

namespace GenomeNode.Tests;

/// <summary>Ports for the processes a test starts on 127.0.0.1 (a node, a proxy) when it must name them in advance.</summary>
public static class LoopbackPorts
{
    /// <summary>A port nothing listens on right now (the system's pick, released at once).</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
