namespace GenomeNode.Tests;

/// <summary>Runs crypt4gh_reference.py: the independent Crypt4GH implementation over Debian's python3-nacl.</summary>
internal static class Crypt4ghReference
{
    private const string Python = "/usr/bin/python3";

    private static string Script => Path.Combine(AppContext.BaseDirectory, "Crypt4gh", "crypt4gh_reference.py");

    public static void KeyGen(string secretKeyFile, string publicKeyFile) => Run("keygen", secretKeyFile, publicKeyFile);

    public static void Encrypt(string publicKeyFile, string plaintext, string crypt4gh, IReadOnlyList<long>? editList = null)
    {
        if (editList is null)
        {
            Run("encrypt", publicKeyFile, plaintext, crypt4gh);
        }
        else
        {
            Run("encrypt", publicKeyFile, plaintext, crypt4gh, string.Join(',', editList));
        }
    }

    public static void Decrypt(string secretKeyFile, string crypt4gh, string plaintext) => Run("decrypt", secretKeyFile, crypt4gh, plaintext);

    /// <summary>Exit code and standard error of a decryption expected to fail.</summary>
    public static (int ExitCode, string Error) TryDecrypt(string secretKeyFile, string crypt4gh, string plaintext)
    {
        var (exitCode, _, error) = ExternalTools.RunWithExitCode(Python, null, Script, "decrypt", secretKeyFile, crypt4gh, plaintext);
        return (exitCode, error);
    }

    private static void Run(params string[] arguments)
    {
        if (!File.Exists(Python) || ExternalTools.RunWithExitCode(Python, null, "-c", "import nacl").ExitCode != 0)
        {
            throw new InvalidOperationException("The Crypt4GH tests need Debian's python3-nacl: apt-get install python3-nacl");
        }

        ExternalTools.RunBytes(Python, [Script, .. arguments]);
    }
}
