using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;

namespace GenomeNode.Host.Admin;

/// <summary>Hands a CLI operation to the node serving a data directory, if one does.</summary>
internal static class AdminClient
{
    /// <summary>
    /// The operation's result from the serving node, or null when no node serves <paramref name="dataDirectory"/>
    /// (no channel file, or a stale one left by a node that died).
    /// </summary>
    public static async Task<OperationResult?> TryExecuteAsync(
        string dataDirectory, string operation, object arguments, CancellationToken cancellationToken)
    {
        if (AdminChannel.ReadFrom(dataDirectory) is not { } channel || !IsAlive(channel.ProcessId))
        {
            return null;
        }

        using var http = new HttpClient { BaseAddress = new Uri(channel.Url), Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Add(AdminChannel.SecretHeader, channel.Secret);
        HttpResponseMessage response;
        try
        {
            response = await http.PostAsJsonAsync(
                $"admin/operations/{Uri.EscapeDataString(operation)}", arguments, NodeOperations.Json, cancellationToken);
        }
        catch (HttpRequestException ex) when (ex.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused })
        {
            return null; // the process id was reused by something else; the node is gone
        }

        using (response)
        {
            if (response.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
            {
                return OperationResult.Fail(
                    $"the node serving {dataDirectory} refused the admin request ({(int)response.StatusCode}); " +
                    $"run the command as the user that runs the node");
            }

            try
            {
                return await response.Content.ReadFromJsonAsync<OperationResult>(NodeOperations.Json, cancellationToken)
                    ?? OperationResult.Fail("the serving node sent an empty answer");
            }
            catch (JsonException)
            {
                return OperationResult.Fail($"the serving node answered {(int)response.StatusCode} without a result");
            }
        }
    }

    private static bool IsAlive(int processId)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
