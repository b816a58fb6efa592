using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace GenomeNode.Storage;

/// <summary>One versioned SQL script of a module.</summary>
public sealed record Migration(string Module, int Version, string Name, string Sql)
{
    /// <summary>SHA-256 of the script with line endings normalised, to notice a script edited after it was applied.</summary>
    public string Checksum => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Sql.ReplaceLineEndings("\n"))));

    public string Label => $"{Module}/{Version:D4}_{Name}";
}

/// <summary>
/// A module's migrations: the embedded resources named <c>Migrations/NNNN_name.sql</c> in its assembly,
/// numbered 1, 2, 3... without gaps.
/// </summary>
public sealed partial record ModuleMigrations(string Module, IReadOnlyList<Migration> Migrations)
{
    [GeneratedRegex(@"^Migrations/(?<version>[0-9]{4})_(?<name>[a-z0-9_]+)\.sql\z", RegexOptions.CultureInvariant)]
    private static partial Regex ResourceName();

    public int LatestVersion => Migrations.Count == 0 ? 0 : Migrations[^1].Version;

    public static ModuleMigrations FromAssembly(string module, Assembly assembly)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var migrations = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            var match = ResourceName().Match(resource);
            if (!match.Success)
            {
                continue;
            }

            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream, Encoding.UTF8);
            migrations.Add(new Migration(
                module,
                int.Parse(match.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture),
                match.Groups["name"].Value,
                reader.ReadToEnd()));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException(
                    $"the migrations of module '{module}' must be numbered 1, 2, 3... without gaps; found {migrations[i].Label}");
            }
        }

        return new ModuleMigrations(module, migrations);
    }
}
