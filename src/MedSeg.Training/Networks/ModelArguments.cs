using System.Globalization;
using MedSeg.Training.Networks.Layers;

namespace MedSeg.Training.Networks;

/// <summary>
/// A model's constructor arguments as MONAI-style strings (as in a fixture's <c>__metadata__</c>), read with typed
/// getters that parse Python literals. Every argument must be read by the builder: <see cref="EnsureAllUsed"/>
/// rejects unknown ones, so a typo never silently falls back to a default.
/// </summary>
public sealed class ModelArguments
{
    private readonly string _model;
    private readonly IReadOnlyDictionary<string, string> _values;
    private readonly HashSet<string> _used = [];

    public ModelArguments(string model, IReadOnlyDictionary<string, string> values)
    {
        _model = model;
        _values = values;
    }

    public IReadOnlyDictionary<string, string> Values => _values;

    public bool Has(string name) => _values.ContainsKey(name);

    public long GetLong(string name, long? fallback = null) => Get(name, fallback.HasValue, fallback.GetValueOrDefault(), literal => literal switch
    {
        long l => l,
        _ => throw new FormatException("expected an integer"),
    });

    public double GetDouble(string name, double? fallback = null) => Get(name, fallback.HasValue, fallback.GetValueOrDefault(), literal => literal switch
    {
        long l => l,
        double d => d,
        _ => throw new FormatException("expected a number"),
    });

    public bool GetBool(string name, bool? fallback = null) => Get(name, fallback.HasValue, fallback.GetValueOrDefault(), literal => literal switch
    {
        bool b => b,
        _ => throw new FormatException("expected True or False"),
    });

    public string GetString(string name, string? fallback = null) => Get(name, fallback is not null, fallback!, literal => literal switch
    {
        string s => s,
        _ => throw new FormatException("expected a name"),
    });

    /// <summary>An integer or a tuple/list of integers, e.g. <c>96</c> or <c>(2, 2, 2, 2)</c>.</summary>
    public long[] GetLongs(string name, long[]? fallback = null) => Get(name, fallback is not null, fallback!, literal => literal switch
    {
        long l => [l],
        List<object?> items when items.All(i => i is long) => items.Cast<long>().ToArray(),
        _ => throw new FormatException("expected an integer or a tuple of integers"),
    });

    /// <summary>A number or a tuple/list of numbers, e.g. <c>0.2</c> or <c>[0, 0, 0.2, 0.2, 0.2]</c>.</summary>
    public double[] GetDoubles(string name, double[]? fallback = null) => Get(name, fallback is not null, fallback!, literal => literal switch
    {
        long l => [l],
        double d => [d],
        List<object?> items when items.All(i => i is long or double) => items.Select(i => i is long l ? l : (double)i!).ToArray(),
        _ => throw new FormatException("expected a number or a tuple of numbers"),
    });

    /// <summary>A layer spec such as <c>instance</c> or <c>("group", {"num_groups": 4})</c>.</summary>
    public LayerSpec GetLayer(string name, LayerSpec? fallback = null) =>
        Get(name, fallback is not null, fallback!, literal => LayerSpec.FromLiteral(literal, _values[name]));

    /// <summary>Marks <paramref name="name"/> as read without parsing it (provenance notes such as a fixture's <c>source</c>).</summary>
    public void Ignore(string name) => _used.Add(name);

    /// <summary>Throws when an argument was given that no getter read.</summary>
    public void EnsureAllUsed()
    {
        var unknown = _values.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0)
            throw new ArgumentException(
                $"{_model} does not take argument(s) {string.Join(", ", unknown.Select(k => $"'{k}'"))} (value(s) {string.Join(", ", unknown.Select(k => $"'{_values[k]}'"))}).");
    }

    private T Get<T>(string name, bool hasFallback, T fallback, Func<object?, T> convert)
    {
        _used.Add(name);
        if (!_values.TryGetValue(name, out var text))
        {
            return hasFallback ? fallback : throw new ArgumentException($"{_model} needs argument '{name}'.");
        }
        try
        {
            return convert(PythonLiteral.Parse(text));
        }
        catch (FormatException ex)
        {
            throw new ArgumentException($"{_model} argument '{name}' = '{text}' is invalid: {ex.Message}", ex);
        }
    }

    public override string ToString() =>
        string.Join(", ", _values.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}={p.Value}")));
}
