using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Devices;

/// <summary>
/// bf16 mixed precision without autocast: a bfloat16 working copy of the backbone that the objective calls like the
/// backbone (inputs cast to bf16, logits back to fp32 so losses, softmax and Dice sums stay fp32). Each step the loop
/// copies the fp32 master weights in (<see cref="LoadFrom"/>), back-propagates through the copy, and hands its gradients
/// to the master parameters in fp32 (<see cref="CopyGradientsTo"/>); the optimizer, its state, the checkpoints and
/// validation only ever see the fp32 master network, so a bf16 run resumes, validates and exports like an fp32 one.
/// </summary>
public sealed class Bf16Backbone : nn.Module<Tensor, Tensor>
{
    private readonly nn.Module<Tensor, Tensor> working;

    /// <param name="working">A second instance of the backbone (same architecture as the master); it is cast to bf16 here.</param>
    public Bf16Backbone(nn.Module<Tensor, Tensor> working) : base(nameof(Bf16Backbone))
    {
        this.working = working;
        RegisterComponents();
        working.to(ScalarType.BFloat16);
    }

    public override Tensor forward(Tensor input) => working.call(input.to(ScalarType.BFloat16)).to(ScalarType.Float32);

    /// <summary>The master's weights and buffers, rounded to bf16, into the working copy.</summary>
    public void LoadFrom(nn.Module master)
    {
        ArgumentNullException.ThrowIfNull(master);
        using var _ = no_grad();
        foreach (var ((_, w), (_, m)) in Pairs(working.named_parameters(), master.named_parameters(), "parameter"))
            w.copy_(m);
        foreach (var ((_, w), (_, m)) in Pairs(working.named_buffers(), master.named_buffers(), "buffer"))
            w.copy_(m);
    }

    /// <summary>The working copy's gradients, as fp32, onto the master parameters (a parameter without a gradient keeps the master's, which the loop cleared).</summary>
    public void CopyGradientsTo(nn.Module master)
    {
        ArgumentNullException.ThrowIfNull(master);
        foreach (var ((_, w), (_, m)) in Pairs(working.named_parameters(), master.named_parameters(), "parameter"))
        {
            if (w.grad is not { } g) continue;
            m.grad = g.to(ScalarType.Float32).detach(); // the parameter keeps the native tensor; the step's scope frees the handle
        }
    }

    /// <summary>Clears the working copy's gradients before a step's backward pass.</summary>
    public void ZeroGradients()
    {
        working.zero_grad();
    }

    private static IEnumerable<((string, T), (string, T))> Pairs<T>(IEnumerable<(string, T)> working, IEnumerable<(string, T)> master, string what)
    {
        var w = working.ToList();
        var m = master.ToList();
        if (w.Count != m.Count) throw new InvalidOperationException($"bf16 working copy has {w.Count} {what}s, the master network {m.Count}.");
        for (int i = 0; i < w.Count; i++)
        {
            if (w[i].Item1 != m[i].Item1) throw new InvalidOperationException($"bf16 working copy {what} '{w[i].Item1}' does not match the master's '{m[i].Item1}'.");
            yield return (w[i], m[i]);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) working.Dispose();
        base.Dispose(disposing);
    }
}
