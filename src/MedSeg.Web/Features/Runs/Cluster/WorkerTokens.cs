using System.Security.Cryptography;
using System.Text;
using MedSeg.Web.Features.Runs.Execution;
using MedSeg.Web.Infrastructure;

namespace MedSeg.Web.Features.Runs.Cluster;

/// <summary>
/// Per-run worker tokens: 32 random bytes (base64url) given to the job in a 0600 file of the run folder; the run row keeps
/// only the SHA-256 (<c>TrainingRuns.WorkerTokenHash</c>), set at submission and cleared when the run stops running.
/// </summary>
public static class WorkerTokens
{
    public static string Create() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    /// <summary>True when <paramref name="token"/> hashes to <paramref name="storedHash"/> (compared in constant time).</summary>
    public static bool Matches(string? storedHash, string? token) =>
        storedHash is { Length: 64 } && !string.IsNullOrEmpty(token)
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(storedHash), Encoding.ASCII.GetBytes(Hash(token)));

    /// <summary>Writes the token readable by its owner only (the job runs as the submitting user).</summary>
    public static void WriteFile(string path, string token)
    {
        File.Delete(path);
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using var stream = new FileStream(path, options);
        stream.Write(Encoding.ASCII.GetBytes(token));
    }
}
