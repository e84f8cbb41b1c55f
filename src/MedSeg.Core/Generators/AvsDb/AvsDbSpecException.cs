namespace MedSeg.Core.Generators.AvsDb;

/// <summary>An invalid <see cref="AvsDbSpec"/>: lists every problem, prefixed with the source file when known.</summary>
public sealed class AvsDbSpecException : Exception
{
    public AvsDbSpecException(string? source, IReadOnlyList<string> errors, Exception? inner = null)
        : base(Format(source, errors), inner)
    {
        Source = source;
        Errors = errors;
    }

    public new string? Source { get; }
    public IReadOnlyList<string> Errors { get; }

    private static string Format(string? source, IReadOnlyList<string> errors)
    {
        string prefix = source is null ? "Invalid AVS-DB spec" : $"Invalid AVS-DB spec {source}";
        return errors.Count == 1 ? $"{prefix}: {errors[0]}" : $"{prefix}:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", errors);
    }
}
