using System.Diagnostics;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using GenomeNode.Tests;

namespace GenomeNode.Node.Host.Tests;

/// <summary>
/// The Dockerfile (parsed as Docker reads it: no engine on this machine), its .dockerignore and the systemd unit:
/// what they promise (two stages, a non-root user, the data volume, a health check) and that what they name exists.
/// </summary>
public sealed partial class PackagingTests
{
    private static readonly string Root = HostEndpointsTests.RepositoryRoot();

    private static readonly List<Instruction> Dockerfile = Instruction.Parse(File.ReadAllText(Path.Combine(Root, "Dockerfile")));

    [Fact]
    public void The_image_is_built_in_an_sdk_stage_and_runs_in_an_aspnet_stage_of_the_sdk_version_global_json_names()
    {
        var froms = Dockerfile.Where(i => i.Keyword == "FROM").ToList();
        Assert.Equal(3, froms.Count);
        Assert.Matches(@"^node:\$\{NODE_VERSION\}-bookworm-slim AS web$", froms[0].Arguments);
        Assert.Matches(@"^mcr\.microsoft\.com/dotnet/sdk:\$\{DOTNET_VERSION\} AS build$", froms[1].Arguments);
        Assert.Matches(@"^mcr\.microsoft\.com/dotnet/aspnet:\$\{DOTNET_VERSION\} AS runtime$", froms[2].Arguments);
        var version = Dockerfile.Single(i => i.Keyword == "ARG" && i.Arguments.StartsWith("DOTNET_VERSION=", StringComparison.Ordinal)).Arguments.Split('=')[1];
        var sdk = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "global.json"))).RootElement.GetProperty("sdk").GetProperty("version").GetString()!;
        Assert.StartsWith(version + ".", sdk, StringComparison.Ordinal);
        Assert.Contains("net" + version, File.ReadAllText(Path.Combine(Root, "Directory.Build.props")), StringComparison.Ordinal);
    }

    [Fact]
    public void The_runtime_stage_runs_as_a_user_that_is_not_root_after_its_last_root_step()
    {
        var runtime = Stage("runtime");
        var user = runtime.Last(i => i.Keyword == "USER");
        Assert.DoesNotMatch(@"^(root|0)(:|$)", user.Arguments);
        Assert.True(runtime.IndexOf(user) > runtime.FindLastIndex(i => i.Keyword is "RUN" or "COPY"),
            "USER must come after the last RUN and COPY of the runtime stage");
        Assert.DoesNotContain(runtime, i => i.Keyword is "ENTRYPOINT" or "CMD" && i.Arguments.Contains("sudo", StringComparison.Ordinal));
    }

    [Fact]
    public void The_data_directory_is_the_volume_and_the_node_is_pointed_at_it()
    {
        var runtime = Stage("runtime");
        var volume = runtime.Single(i => i.Keyword == "VOLUME");
        var data = Env(runtime)["GENOMENODE_DATA"];
        Assert.Equal($"[\"{data}\"]", volume.Arguments);
        // Owned by the runtime user, owner-only, as the node wants its data directory.
        var user = runtime.Last(i => i.Keyword == "USER").Arguments;
        Assert.Contains(runtime, i => i.Keyword == "RUN" && i.Arguments.Contains($"chown {user} {data}", StringComparison.Ordinal)
            && i.Arguments.Contains($"chmod 0700 {data}", StringComparison.Ordinal));
    }

    [Fact]
    public void The_health_check_asks_the_node_itself_on_the_port_it_listens_on_and_exposes()
    {
        var runtime = Stage("runtime");
        var check = runtime.Single(i => i.Keyword == "HEALTHCHECK");
        var port = Regex.Match(Env(runtime)["ASPNETCORE_URLS"], @":(\d+)$").Groups[1].Value;
        Assert.Contains($"\"health\", \"--url\", \"http://127.0.0.1:{port}/health\"", check.Arguments, StringComparison.Ordinal);
        Assert.Contains("\"/app/genome-node.dll\"", check.Arguments, StringComparison.Ordinal);
        Assert.Equal(port, runtime.Single(i => i.Keyword == "EXPOSE").Arguments);
        Assert.Equal("[\"dotnet\", \"/app/genome-node.dll\"]", runtime.Single(i => i.Keyword == "ENTRYPOINT").Arguments);
        Assert.Equal("[\"serve\"]", runtime.Single(i => i.Keyword == "CMD").Arguments);
    }

    [Fact]
    public async Task The_health_command_of_the_check_passes_on_a_serving_node_and_fails_without_one()
    {
        using var data = new TemporaryDirectory("genome-node-health");
        await using var node = await ServingNode.StartAsync(data.Path);

        // A generous timeout: the first request of a node on a loaded machine may take seconds.
        var healthy = await GenomeNodeProcess.RunAsync("health", "--url", new Uri(node.BaseAddress, "/health").ToString(), "--timeout", "60");
        await node.StopAsync();
        var stopped = await GenomeNodeProcess.RunAsync("health", "--url", new Uri(node.BaseAddress, "/health").ToString(), "--timeout", "2");

        Assert.True(healthy.ExitCode == 0, healthy.ToString());
        Assert.Equal("Healthy", healthy.Output);
        Assert.Equal(1, stopped.ExitCode);
        Assert.StartsWith("error: no answer from", stopped.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_build_stage_copies_every_project_the_node_is_built_from_and_publishes_it()
    {
        var build = Stage("build");
        var copied = build.Where(i => i.Keyword == "COPY" && !i.Arguments.StartsWith("--from", StringComparison.Ordinal))
            .SelectMany(i => Sources(i.Arguments)).Select(source => source.TrimEnd('/')).ToHashSet(StringComparer.Ordinal);
        foreach (var source in copied)
        {
            Assert.True(File.Exists(Path.Combine(Root, source)) || Directory.Exists(Path.Combine(Root, source)), $"COPY names {source}, which does not exist");
            Assert.DoesNotContain(source, DockerIgnored());
        }

        // Node.Host and every project it references, and whatever those projects compile or embed from outside their folder.
        foreach (var project in ProjectClosure(Path.Combine(Root, "Node.Host", "Node.Host.csproj")))
        {
            var folder = Path.GetRelativePath(Root, Path.GetDirectoryName(project)!);
            Assert.True(copied.Contains(folder), $"the Dockerfile does not copy {folder}/, which the node is built from");
            foreach (var outside in OutsideIncludes(project))
            {
                Assert.True(copied.Contains(outside), $"{folder} includes files from {outside}/, which the Dockerfile does not copy");
            }
        }

        var publish = build.Single(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet publish", StringComparison.Ordinal)).Arguments;
        Assert.Contains("dotnet publish Node.Host/Node.Host.csproj -c Release", publish, StringComparison.Ordinal);
        Assert.Matches(@"-o /app(\s|$)", publish);
        var fromBuild = Stage("runtime").Single(i => i.Keyword == "COPY" && i.Arguments.StartsWith("--from=build", StringComparison.Ordinal));
        Assert.EndsWith(" /app /app", fromBuild.Arguments, StringComparison.Ordinal);
        Assert.Equal("genome-node", XDocument.Load(Path.Combine(Root, "Node.Host", "Node.Host.csproj")).Descendants("AssemblyName").Single().Value);

        // The pages' npm scripts: installed from the lockfile in their own stage, embedded by the build without npm.
        var web = Stage("web");
        Assert.Contains(web, i => i.Keyword == "COPY" && Sources(i.Arguments).SequenceEqual(["Node.Host/Web/package.json", "Node.Host/Web/package-lock.json"]));
        Assert.Contains(web, i => i.Keyword == "RUN" && i.Arguments.StartsWith("npm ci", StringComparison.Ordinal));
        Assert.Contains(build, i => i.Keyword == "COPY" && i.Arguments == "--from=web /web/node_modules Node.Host/Web/node_modules");
        Assert.Contains("-p:InstallWebScripts=false", publish, StringComparison.Ordinal);
    }

    [Fact]
    public void The_dockerfile_passes_a_dockerfile_linter_that_refuses_a_broken_one()
    {
        // dockerfile-utils (npm, pinned in tests/docker-lint) parses the file as Docker does and checks every
        // instruction's arguments and flags; run with the machine's Node.js.
        using var lint = new TemporaryDirectory("genome-node-docker-lint");
        foreach (var file in new[] { "package.json", "package-lock.json" })
        {
            File.Copy(Path.Combine(Root, "tests", "docker-lint", file), lint.Combine(file));
        }

        var install = ExternalTools.RunWithExitCode("npm", null, "ci", "--prefix", lint.Path, "--ignore-scripts", "--no-audit", "--no-fund");
        Assert.True(install.ExitCode == 0, install.Error);
        var linter = lint.Combine("node_modules", "dockerfile-utils", "bin", "dockerfile-utils");

        var clean = ExternalTools.RunWithExitCode("node", null, linter, "lint", Path.Combine(Root, "Dockerfile"));
        var broken = lint.Combine("Dockerfile");
        File.WriteAllText(broken, File.ReadAllText(Path.Combine(Root, "Dockerfile")).Replace("HEALTHCHECK --interval", "HEALTHCHECK --intervall", StringComparison.Ordinal));
        var refused = ExternalTools.RunWithExitCode("node", null, linter, "lint", broken);

        Assert.True(clean.ExitCode == 0, System.Text.Encoding.UTF8.GetString(clean.Output) + clean.Error);
        Assert.Equal("", System.Text.Encoding.UTF8.GetString(clean.Output).Trim());
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("Unknown flag: intervall", System.Text.Encoding.UTF8.GetString(refused.Output), StringComparison.Ordinal);
    }

    [Fact]
    public void The_build_context_leaves_out_build_output_tests_and_local_data()
    {
        var ignored = DockerIgnored();
        foreach (var pattern in new[] { "**/bin/", "**/obj/", ".git/", "tests/", "data/" })
        {
            Assert.Contains(pattern, ignored);
        }
    }

    [Fact]
    public void The_systemd_unit_is_valid_to_systemd_and_hardened()
    {
        var unit = Path.Combine(Root, "packaging", "genome-node.service");
        var text = File.ReadAllText(unit);
        foreach (var setting in new[]
                 {
                     "NoNewPrivileges=yes", "ProtectSystem=strict", "ReadWritePaths=/var/lib/genome-node", "PrivateTmp=yes", "ProtectHome=yes",
                     "User=genome-node", "StateDirectory=genome-node", "StateDirectoryMode=0700", "UMask=0077", "CapabilityBoundingSet=\n",
                     "Environment=GENOMENODE_DATA=/var/lib/genome-node", "KillSignal=SIGTERM",
                 })
        {
            Assert.Contains(setting, text, StringComparison.Ordinal);
        }

        if (!File.Exists("/usr/bin/systemd-analyze"))
        {
            return;
        }

        // systemd-analyze verify exits 0 on unknown keys and malformed lines, but names them on standard error.
        using var process = Process.Start(new ProcessStartInfo("systemd-analyze", ["verify", unit])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        })!;
        var error = process.StandardError.ReadToEnd() + process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var complaints = error.Split('\n').Where(line => line.Contains("genome-node.service", StringComparison.Ordinal)).ToList();
        Assert.True(process.ExitCode == 0 && complaints.Count == 0, error);
    }

    private static List<Instruction> Stage(string name)
    {
        var start = Dockerfile.ToList().FindIndex(i => i.Keyword == "FROM" && i.Arguments.EndsWith($" AS {name}", StringComparison.Ordinal));
        Assert.True(start >= 0, $"no stage {name}");
        var end = Dockerfile.ToList().FindIndex(start + 1, i => i.Keyword == "FROM");
        return [.. Dockerfile.Skip(start).Take((end < 0 ? Dockerfile.Count : end) - start)];
    }

    private static Dictionary<string, string> Env(List<Instruction> stage)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var env in stage.Where(i => i.Keyword == "ENV"))
        {
            foreach (Match pair in EnvPair().Matches(env.Arguments))
            {
                values[pair.Groups[1].Value] = pair.Groups[2].Value;
            }
        }

        return values;
    }

    /// <summary>A COPY's sources: every argument but the options and the last (the destination).</summary>
    private static IEnumerable<string> Sources(string arguments)
    {
        var words = arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(word => !word.StartsWith("--", StringComparison.Ordinal)).ToList();
        return words.Take(words.Count - 1);
    }

    private static List<string> DockerIgnored() =>
        [.. File.ReadAllLines(Path.Combine(Root, ".dockerignore")).Select(line => line.Trim()).Where(line => line.Length > 0 && !line.StartsWith('#'))];

    private static HashSet<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([Path.GetFullPath(project)]);
        while (pending.TryPop(out var next))
        {
            if (!seen.Add(next))
            {
                continue;
            }

            foreach (var reference in XDocument.Load(next).Descendants("ProjectReference"))
            {
                pending.Push(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(next)!, reference.Attribute("Include")!.Value)));
            }
        }

        return seen;
    }

    /// <summary>The top folders (relative to the repository) of items a project includes from outside its own folder.</summary>
    private static IEnumerable<string> OutsideIncludes(string project) =>
        XDocument.Load(project).Descendants()
            .Where(element => element.Name.LocalName is "Compile" or "EmbeddedResource" or "Content" or "None")
            .Select(element => element.Attribute("Include")?.Value)
            .OfType<string>()
            .Where(include => include.StartsWith("../", StringComparison.Ordinal))
            .Select(include => include["../".Length..].Split('/')[0])
            .Distinct(StringComparer.Ordinal);

    [GeneratedRegex(@"([A-Za-z_][A-Za-z0-9_]*)=(\S*)")]
    private static partial Regex EnvPair();

    /// <summary>One Dockerfile instruction: its keyword (upper case) and its arguments, continuation lines joined.</summary>
    private sealed record Instruction(string Keyword, string Arguments)
    {
        public static List<Instruction> Parse(string text)
        {
            var instructions = new List<Instruction>();
            var current = "";
            foreach (var raw in text.Split('\n'))
            {
                var line = raw.TrimEnd('\r');
                if (line.TrimStart().StartsWith('#'))
                {
                    // Comments (and the syntax directive) inside or between instructions are not part of them.
                    continue;
                }

                if (line.EndsWith('\\'))
                {
                    current += line[..^1].Trim() + " ";
                    continue;
                }

                current += line.Trim();
                if (current.Trim().Length > 0)
                {
                    var trimmed = current.Trim();
                    var space = trimmed.IndexOf(' ', StringComparison.Ordinal);
                    Assert.True(space > 0, $"malformed instruction: {trimmed}");
                    var keyword = trimmed[..space];
                    Assert.Contains(keyword.ToUpperInvariant(), Known);
                    instructions.Add(new Instruction(keyword.ToUpperInvariant(), Regex.Replace(trimmed[(space + 1)..].Trim(), @"\s+", " ")));
                }

                current = "";
            }

            Assert.Equal("", current.Trim());
            return instructions;
        }

        private static readonly string[] Known =
            ["FROM", "ARG", "WORKDIR", "COPY", "ADD", "RUN", "ENV", "USER", "VOLUME", "EXPOSE", "HEALTHCHECK", "ENTRYPOINT", "CMD", "LABEL", "SHELL", "STOPSIGNAL", "ONBUILD"];
    }
}
