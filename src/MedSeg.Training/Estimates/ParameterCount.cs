using System.Collections.Concurrent;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Networks;

namespace MedSeg.Training.Estimates;

/// <summary>
/// Trainable parameters of a network, counted on the real module (built once per signature, then cached): no formula to
/// keep in step with the networks. Building SwinUNETR f48 takes about a second and its weights for that moment.
/// </summary>
public static class ParameterCount
{
    private static readonly ConcurrentDictionary<string, Lazy<long>> Cache = new(StringComparer.Ordinal);

    public static long Of(ModelChoice model) =>
        Cache.GetOrAdd(model.Signature, _ => new Lazy<long>(() => Count(model))).Value;

    private static long Count(ModelChoice model)
    {
        using var net = ModelFactory.Create(model.Name, model.Args);
        long n = 0;
        foreach (var p in net.parameters())
            if (p.requires_grad) n += p.numel();
        return n;
    }
}
