using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using GenomeNode.Host.Hosting;
using GenomeNode.Storage;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace GenomeNode.Host.Admin;

/// <summary>
/// A second, loopback-only Kestrel server through which CLI commands reach a serving node, so that they work while
/// the node holds the database lock. It never listens on the public addresses; its secret sits in the data
/// directory readable by the node's owner only.
/// </summary>
internal sealed class AdminServer(
    IServiceProvider nodeServices,
    NodeDatabase database,
    NodeOperations operations,
    IServer publicServer,
    ILogger<AdminServer> logger) : IHostedLifecycleService, IAsyncDisposable
{
    private WebApplication? app;
    private AdminChannel? channel;

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>After every hosted service, the public server included, has started: its addresses are known then.</summary>
    public async Task StartedAsync(CancellationToken cancellationToken)
    {
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        // An empty builder reads no appsettings or environment: the operator's Kestrel endpoints are not bound twice.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseKestrelCore().UseUrls("http://127.0.0.1:0");
        builder.Services.AddRoutingCore();
        app = builder.Build();
        app.MapGet("/admin/status", (HttpContext context) =>
            Authorize(context, secret) ?? Results.Json(new { processId = Environment.ProcessId, version = NodeComposition.Version }));
        app.MapPost("/admin/operations/{name}", async (string name, HttpContext context) =>
            Authorize(context, secret) ?? await RunOperationAsync(name, context));
        await app.StartAsync(cancellationToken);

        var adminUrl = app.Urls.First();
        var publicUrls = publicServer.Features.Get<IServerAddressesFeature>()?.Addresses.ToArray() ?? [];
        channel = new AdminChannel(adminUrl, secret, Environment.ProcessId, publicUrls);
        channel.WriteTo(database.DataDirectory);
        Log.AdminListening(logger, adminUrl);
    }

    private IResult? Authorize(HttpContext context, string secret)
    {
        var remote = context.Connection.RemoteIpAddress;
        if (remote is null || !IPAddress.IsLoopback(remote))
        {
            Log.AdminRequestRefused(logger, remote?.ToString(), "not from loopback");
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        // The CLI sends no Origin; a browser always does on a cross-origin request (a page on any site may aim at loopback).
        if (context.Request.Headers.Origin.Count > 0)
        {
            Log.AdminRequestRefused(logger, remote.ToString(), "sent by a browser (Origin header)");
            return Results.StatusCode(StatusCodes.Status403Forbidden);
        }

        var presented = Encoding.UTF8.GetBytes(context.Request.Headers[AdminChannel.SecretHeader].ToString());
        if (!CryptographicOperations.FixedTimeEquals(presented, Encoding.UTF8.GetBytes(secret)))
        {
            Log.AdminRequestRefused(logger, remote.ToString(), "wrong or missing secret");
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        return null;
    }

    private async Task<IResult> RunOperationAsync(string name, HttpContext context)
    {
        if (!operations.Exists(name))
        {
            return Results.Json(OperationResult.Fail($"this node does not know the operation '{name}'"),
                statusCode: StatusCodes.Status404NotFound);
        }

        OperationResult result;
        try
        {
            using var arguments = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            result = await operations.ExecuteAsync(name, arguments.RootElement, nodeServices, context.RequestAborted);
        }
        catch (JsonException ex)
        {
            result = OperationResult.Fail($"malformed arguments for {name}: {ex.Message}");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Log.AdminOperationCrashed(logger, name, ex);
            result = OperationResult.Fail($"{name} failed inside the node: {ex.Message}");
        }

        Log.AdminOperationFinished(logger, name, result.ExitCode);
        return Results.Json(result);
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        channel?.RemoveFrom(database.DataDirectory);
        channel = null;
        if (app is not null)
        {
            await app.StopAsync(cancellationToken);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (app is not null)
        {
            await app.DisposeAsync();
            app = null;
        }
    }
}
