using GenomeNode.Host.Cli;

namespace GenomeNode.Host;

/// <summary>The entry point; a class (not static) so that WebApplicationFactory&lt;Program&gt; can name it.</summary>
public sealed class Program
{
    private Program()
    {
    }

    public static Task<int> Main(string[] args) => NodeCommandLine.RunAsync(args, Console.Out, Console.Error);
}
