using System.CommandLine;
using MedSeg.Core.Nifti;

namespace MedSeg.Cli.Commands;

/// <summary>
/// Runs a command body and turns expected failures (bad files, bad arguments) into one "error: …" line on
/// the error writer and exit code 1, instead of a stack trace. Unexpected exceptions still propagate.
/// </summary>
internal static class CommandFailures
{
    public const int ExitFailure = 1;

    public static int Run(ParseResult parseResult, Func<TextWriter, int> body)
    {
        var config = parseResult.InvocationConfiguration;
        try
        {
            return body(config.Output);
        }
        catch (Exception e) when (e is NiftiFormatException or IOException or UnauthorizedAccessException
                                      or ArgumentException or NotSupportedException or UsageException)
        {
            config.Error.WriteLine($"error: {e.Message}");
            return ExitFailure;
        }
    }
}

/// <summary>A combination of options that parses but makes no sense; the message says which.</summary>
internal sealed class UsageException(string message) : Exception(message);
