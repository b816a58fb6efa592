using System.Text.Json;

namespace GenomeNode.Host.Admin;

/// <summary>Where a serving node takes CLI commands: its loopback URL and secret, as written in the data directory.</summary>
public sealed record AdminChannel(string Url, string Secret, int ProcessId, IReadOnlyList<string> PublicUrls)
{
    public const string FileName = "admin.json";
    public const string SecretHeader = "X-Genome-Node-Admin-Secret";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static string PathIn(string dataDirectory) => Path.Combine(dataDirectory, FileName);

    /// <summary>Writes the channel file readable by its owner only, replacing any stale one atomically.</summary>
    public void WriteTo(string dataDirectory)
    {
        var target = PathIn(dataDirectory);
        var temporary = $"{target}.{ProcessId}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
            JsonSerializer.Serialize(stream, this, Json);
        }

        File.Move(temporary, target, overwrite: true);
    }

    /// <summary>The channel recorded in <paramref name="dataDirectory"/>, or null when there is none or it is unreadable.</summary>
    public static AdminChannel? ReadFrom(string dataDirectory)
    {
        try
        {
            using var stream = File.OpenRead(PathIn(dataDirectory));
            return JsonSerializer.Deserialize<AdminChannel>(stream, Json);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }

    /// <summary>Removes the channel file if it is still this node's (a newer node may have replaced it).</summary>
    public void RemoveFrom(string dataDirectory)
    {
        if (ReadFrom(dataDirectory) is { } current && current.Secret == Secret)
        {
            File.Delete(PathIn(dataDirectory));
        }
    }
}
