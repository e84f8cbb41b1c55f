using System.CommandLine;
using System.Globalization;
using MedSeg.Training.Verification;
using MedSeg.Training.Weights;

namespace MedSeg.Cli.Commands;

/// <summary>`medseg model ...`: checks of network implementations.</summary>
public static class ModelCommands
{
    public const int ExitPassed = 0;
    public const int ExitFailed = 1;
    public const int ExitBadInput = 2;

    public static Command Create()
    {
        var model = new Command("model", "Network implementations: verification against reference fixtures.");
        model.Add(CreateVerify());
        return model;
    }

    private static Command CreateVerify()
    {
        // Both are read as text and validated here, so bad input exits with 2 (a parser error would exit with 1).
        var fixture = new Argument<string?>("fixture")
        {
            Description = "Safetensors fixture: state_dict + __input__ + __output__, metadata 'model' and constructor arguments.",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var tolerance = new Option<string>("--tolerance")
        {
            Description = "Largest accepted max-abs difference to __output__ (default 1e-4).",
            DefaultValueFactory = _ => "1e-4",
        };
        var verify = new Command("verify", "Build the model named in a fixture, load its weights strictly, run __input__ and compare with __output__. "
            + "Exit 0 within tolerance, 1 otherwise, 2 for bad input.");
        verify.Add(fixture);
        verify.Add(tolerance);
        verify.SetAction(parseResult => Verify(parseResult.GetValue(fixture), parseResult.GetValue(tolerance),
            parseResult.InvocationConfiguration.Output, parseResult.InvocationConfiguration.Error));
        return verify;
    }

    internal static int Verify(string? fixture, string? toleranceText, TextWriter output, TextWriter error)
    {
        if (string.IsNullOrWhiteSpace(fixture))
        {
            error.WriteLine("error: missing FIXTURE argument (a .safetensors file).");
            return ExitBadInput;
        }
        if (!double.TryParse(toleranceText, NumberStyles.Float, CultureInfo.InvariantCulture, out double tolerance)
            || !(tolerance >= 0) || double.IsInfinity(tolerance))
        {
            error.WriteLine($"error: --tolerance '{toleranceText}' is not a non-negative number.");
            return ExitBadInput;
        }
        FixtureVerification result;
        try
        {
            result = FixtureVerifier.Verify(Path.GetFullPath(fixture), tolerance);
        }
        catch (Exception ex) when (ex is FileNotFoundException or SafetensorsFormatException or InvalidDataException
                                       or ArgumentException or NotSupportedException or IOException)
        {
            error.WriteLine($"error: {ex.Message}");
            return ExitBadInput;
        }
        Print(result, output);
        return result.Passed ? ExitPassed : ExitFailed;
    }

    private static void Print(FixtureVerification r, TextWriter output)
    {
        var c = CultureInfo.InvariantCulture;
        output.WriteLine($"fixture:     {r.FixturePath}");
        output.WriteLine($"model:       {r.ModelName} ({r.ModelType})");
        output.WriteLine($"arguments:   {string.Join(", ", r.Arguments.Select(a => $"{a.Key}={a.Value}"))}");
        output.WriteLine(string.Create(c, $"parameters:  {r.ParameterCount:N0}"));
        output.WriteLine($"load:        {r.LoadReport}");
        output.WriteLine($"input:       [{string.Join(", ", r.InputShape)}]");
        output.WriteLine($"output:      {(r.OutputShape is null ? "(not run)" : $"[{string.Join(", ", r.OutputShape)}]")}, reference [{string.Join(", ", r.ExpectedShape)}]");
        output.WriteLine(string.Create(c, $"forward:     {r.ForwardTime.TotalSeconds:F2} s"));
        foreach (var o in r.Outputs ?? [])
            output.WriteLine(string.Create(c, $"  {o.Name,-16} [{string.Join(", ", o.ExpectedShape)}] max-abs {o.MaxAbsDifference:E3} {(o.Passed(r.Tolerance) ? "ok" : "FAIL")}"));
        output.WriteLine(string.Create(c, $"max-abs:     {r.MaxAbsDifference:E3} (tolerance {r.Tolerance:E1})"));
        output.WriteLine(r.Passed ? "PASS" : "FAIL");
    }
}
