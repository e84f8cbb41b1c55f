using System.Globalization;

namespace MedSeg.Training.Networks.Layers;

/// <summary>
/// A MONAI layer argument such as <c>"instance"</c> or <c>("LeakyReLU", {"negative_slope": 0.1})</c>:
/// a case-insensitive layer name plus keyword arguments.
/// </summary>
public sealed record LayerSpec(string Name, IReadOnlyDictionary<string, object?> Args)
{
    public LayerSpec(string name) : this(name, new Dictionary<string, object?>()) { }

    /// <summary>Parses MONAI text: <c>instance</c>, <c>'batch'</c>, <c>("group", {"num_groups": 4})</c>.</summary>
    public static LayerSpec Parse(string text) => FromLiteral(PythonLiteral.Parse(text), text);

    /// <summary>Builds from a parsed literal: a name, or a (name, {args}) tuple.</summary>
    public static LayerSpec FromLiteral(object? literal, string? source = null) => literal switch
    {
        string name => new LayerSpec(name),
        List<object?> { Count: 1 } list when list[0] is string name => new LayerSpec(name),
        List<object?> { Count: 2 } list when list[0] is string name && list[1] is Dictionary<string, object?> args =>
            new LayerSpec(name, args),
        _ => throw new FormatException($"\"{source ?? literal?.ToString()}\" is not a layer spec: expected a name or (name, {{args}})."),
    };

    public static implicit operator LayerSpec(string name) => new(name);

    public bool Is(string name) => string.Equals(Name, name, StringComparison.OrdinalIgnoreCase);

    public double GetDouble(string key, double fallback) => Args.TryGetValue(key, out var v) ? v switch
    {
        long l => l,
        double d => d,
        _ => throw Invalid(key, v),
    } : fallback;

    public long GetLong(string key, long fallback) => Args.TryGetValue(key, out var v) ? v switch
    {
        long l => l,
        _ => throw Invalid(key, v),
    } : fallback;

    public bool GetBool(string key, bool fallback) => Args.TryGetValue(key, out var v) ? v switch
    {
        bool b => b,
        _ => throw Invalid(key, v),
    } : fallback;

    /// <summary>Throws when an argument is present that the layer factory does not understand.</summary>
    public void EnsureOnly(params string[] known)
    {
        var unknown = Args.Keys.Where(k => !known.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException($"Layer '{Name}' does not take argument(s) {string.Join(", ", unknown)}; known: {string.Join(", ", known)}.");
    }

    private ArgumentException Invalid(string key, object? value) =>
        new($"Layer '{Name}' argument '{key}' has invalid value '{Convert.ToString(value, CultureInfo.InvariantCulture)}'.");

    public override string ToString() => Args.Count == 0
        ? Name
        : $"({Name}, {{{string.Join(", ", Args.Select(a => $"{a.Key}: {Convert.ToString(a.Value, CultureInfo.InvariantCulture)}"))}}})";
}
