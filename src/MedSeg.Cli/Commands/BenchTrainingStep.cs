using System.Globalization;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Losses;
using MedSeg.Training.Networks;
using MedSeg.Training.Optimization;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Cli.Commands;

/// <summary>
/// One benchmark training step on random data, batch B: forward, Dice loss (deep-supervised Dice + CE for a multiscale
/// PCT-Net), backward, gradient clipping to 1, AdamW; every temporary dies with the step's dispose scope, then
/// <see cref="NativeRuntime.ReleaseFreedMemory"/> as in the training loop. Shared by `bench train` (speed, memory) and
/// `bench threads`.
/// </summary>
internal sealed class BenchTrainingStep : IDisposable
{
    private readonly nn.Module<Tensor, Tensor> _net;
    private readonly optim.Optimizer _optimizer;
    private readonly Func<Tensor, Tensor, Tensor> _loss;
    private readonly long[] _shape;
    private readonly int _classes;
    private readonly Device _device;

    /// <summary>Parameter count, for headers.</summary>
    public long Parameters { get; }

    /// <summary>Resident memory after building the network, before the optimiser (start-up footprint).</summary>
    public long RssAfterNetwork { get; }

    private BenchTrainingStep(nn.Module<Tensor, Tensor> net, Func<Tensor, Tensor, Tensor> loss, long[] shape, int classes, Device device)
    {
        _net = net;
        _loss = loss;
        _shape = shape;
        _classes = classes;
        _device = device;
        net.to(device);
        net.train();
        Parameters = net.parameters().Sum(p => p.numel());
        RssAfterNetwork = MemoryProbe.WorkingSetBytes();
        _optimizer = optim.AdamW(net.parameters(), 1e-4, 0.9, 0.999, 1e-8, 1e-5);
    }

    /// <param name="model">UNETR, SwinUNETR, BasicUNet or PCTNet (released channels, mode 1, deep supervision).</param>
    /// <param name="size">crop D,H,W (UNETR's img_size and PCT-Net's input_size follow it).</param>
    public static BenchTrainingStep Create(string model, int feature, int[] size, int batch, int classes, Device device)
    {
        var c = CultureInfo.InvariantCulture;
        var extra = new Dictionary<string, string>();
        bool pct = model.Equals("PCTNet", StringComparison.OrdinalIgnoreCase);
        if (pct)
        {
            extra["input_size"] = string.Create(c, $"[{size[0]}, {size[1]}, {size[2]}]");
            extra["multiscale_pred"] = "True";
        }
        else if (model.Equals("UNETR", StringComparison.OrdinalIgnoreCase))
            extra["img_size"] = string.Create(c, $"({size[0]}, {size[1]}, {size[2]})");
        var choice = ModelChoice.For(model, feature, size[0], classes, extra);
        var net = ModelFactory.Create(choice.Name, choice.Args);
        long[] shape = [batch, 1, size[0], size[1], size[2]];
        if (pct && net is IMultiscaleSegmentation multiscale)
        {
            var deep = new DeepSupervisionLoss(new PymicDiceCeLoss());
            return new BenchTrainingStep(net, (x, y) => deep.Compute(multiscale.ForwardMultiscale(x), y), shape, classes, device);
        }
        var dice = new DiceLoss(new DiceLossOptions { Softmax = true, ToOnehotY = true });
        return new BenchTrainingStep(net, (x, y) => dice.Compute(net.call(x), y), shape, classes, device);
    }

    /// <summary>One step; returns the loss (reading it synchronises CUDA).</summary>
    public float Run()
    {
        float value;
        using (NewDisposeScope())
        {
            var x = randn(_shape).to(_device);
            var y = randint(0L, _classes, _shape, ScalarType.Int64).to(_device);
            _optimizer.zero_grad();
            var loss = _loss(x, y);
            loss.backward();
            nn.utils.clip_grad_norm_(_net.parameters(), 1.0);
            _optimizer.step();
            value = loss.item<float>();
        }
        NativeRuntime.ReleaseFreedMemory();
        return value;
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _net.Dispose();
    }
}
