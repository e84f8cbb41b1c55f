using MedSeg.Training.Fdsl;

namespace MedSeg.Training.Methods;

/// <summary>
/// The pretraining methods a host offers, by <see cref="IPretrainingMethod.Name"/>. <see cref="Default"/> holds the
/// built-in methods; a host (or a test) adds its own with <see cref="Register"/> on its own catalogue
/// (<see cref="WithBuiltIns"/>), so registering never changes what other hosts in the process see.
/// </summary>
public sealed class MethodCatalog
{
    private readonly List<IPretrainingMethod> _methods = [];
    private readonly Lock _gate = new();

    /// <summary>The built-in methods (read-only use: register on a catalogue of your own).</summary>
    public static MethodCatalog Default { get; } = WithBuiltIns();

    /// <summary>A new catalogue holding the built-in methods: FDSL on the fly from an AVS-DB spec, FDSL on a stored dataset folder.</summary>
    public static MethodCatalog WithBuiltIns()
    {
        var catalog = new MethodCatalog();
        catalog.Register(FdslAvsDbMethod.Instance);
        catalog.Register(FdslDatasetMethod.Instance);
        return catalog;
    }

    /// <summary>Adds a method; its name must be new, lower-case letters, digits and '-' (it is stored with every run).</summary>
    public MethodCatalog Register(IPretrainingMethod method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var name = method.Name;
        if (string.IsNullOrEmpty(name) || name.Length > 40 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            throw new ArgumentException($"Method name '{name}' must be 1–40 lower-case letters, digits or '-'.", nameof(method));
        if (!typeof(IMethodOptions).IsAssignableFrom(method.OptionsType))
            throw new ArgumentException($"Method '{name}': options type {method.OptionsType.Name} does not implement {nameof(IMethodOptions)}.", nameof(method));
        lock (_gate)
        {
            if (_methods.Any(m => m.Name == name))
                throw new ArgumentException($"A method named '{name}' is already registered.", nameof(method));
            _methods.Add(method);
        }
        return this;
    }

    /// <summary>Every method in registration order (what the run form lists).</summary>
    public IReadOnlyList<IPretrainingMethod> All
    {
        get { lock (_gate) return _methods.ToArray(); }
    }

    public bool TryGet(string name, out IPretrainingMethod method)
    {
        lock (_gate) method = _methods.FirstOrDefault(m => m.Name == name)!;
        return method is not null;
    }

    /// <summary>The method called <paramref name="name"/>; an unknown name is refused with the known ones listed.</summary>
    public IPretrainingMethod Get(string name) => TryGet(name, out var method)
        ? method
        : throw new KeyNotFoundException($"Unknown method '{name}'; known methods: {string.Join(", ", All.Select(m => m.Name))}.");
}
