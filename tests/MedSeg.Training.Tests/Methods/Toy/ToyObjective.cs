using MedSeg.Training.Methods;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Tests.Methods.Toy;

/// <summary>
/// Two terms: reconstruct the unflipped volume from the backbone's first channel ("loss_rec") and tell from the pooled
/// features, through a linear head, whether it was flipped ("loss_order").
/// </summary>
public sealed class ToyObjective(int channels) : IMethodObjective
{
    public const double OrderWeight = 0.5;
    private readonly Linear _head = nn.Linear(channels, 2);

    public nn.Module? Heads => _head;

    public LossTerms Compute(nn.Module<Tensor, Tensor> backbone, BatchTensors batch)
    {
        var features = backbone.call(batch.Images);
        var rec = nn.functional.mse_loss(features.narrow(1, 0, 1), batch.Extra("target"));
        var logits = _head.call(features.mean([2L, 3L, 4L]));
        var order = nn.functional.cross_entropy(logits, batch.Extra("order"));
        return new LossTerms(rec + OrderWeight * order, new Dictionary<string, Tensor> { ["loss_rec"] = rec, ["loss_order"] = order });
    }

    public void Dispose() => _head.Dispose();
}
