using GenomeNode.Host.Cli;

namespace GenomeNode.Host;

public static class Program
{
    public static Task<int> Main(string[] args) => NodeCommandLine.RunAsync(args, Console.Out, Console.Error);
}
