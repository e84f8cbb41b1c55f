using MedSeg.Training.Methods;
using MedSeg.Training.Methods.Lwi;
using MedSeg.Training.Methods.SwinSsl;
using MedSeg.Training.Networks;
using MedSeg.Training.Networks.Nets;
using MedSeg.Training.Randomness;
using static TorchSharp.torch;
using MedSeg.Training.Tests.Methods;

namespace MedSeg.Training.Tests.Methods.Lwi;

public class PretextObjectiveTests
{
    private static Unetr TinyUnetr() => GlobalTorchRandom.Seeded(1, () =>
        new Unetr(1, 1, [32, 32, 32], featureSize: 4, hiddenSize: 24, mlpDim: 48, numHeads: 2));

    [Fact]
    public void Lwi_On_Unetr_Reports_Both_Terms_And_Trains_Every_Order_Head()
    {
        using var net = TinyUnetr();
        using var objective = new LwiObjective(LwiObjective.HeadsFor(net, 2), poolAxis: 0);
        var heads = (LwiOrderHeads)objective.Heads!;
        Assert.Equal(4, heads.Count);
        var x = rand(new long[] { 2, 1, 32, 32, 32 });
        var batch = new BatchTensors(x, null, new Dictionary<string, Tensor>
        {
            [LwiBatch.TargetName] = rand(new long[] { 2, 1, 32, 32, 32 }),
            [LwiBatch.OrderName] = tensor(new long[] { 1, 0, 0, 1 }, [2, 2]),
        });
        var terms = objective.Compute(net, batch);
        Assert.Equal(new[] { "loss_order", "loss_rec" }, terms.Terms.Keys.Order());
        Assert.Equal(terms.Terms["loss_rec"].item<float>() + terms.Terms["loss_order"].item<float>(), terms.Total.item<float>(), 5);
        // Four heads of 2 classes at initialisation: each CE near log 2.
        Assert.InRange(terms.Terms["loss_order"].item<float>(), 4 * Math.Log(2) * 0.5, 4 * Math.Log(2) * 2);
        terms.Total.backward();
        Assert.All(heads.parameters(), p => Assert.True(p.grad is not null && p.grad.abs().sum().item<float>() > 0));
    }

    [Fact]
    public void Lwi_Order_Loss_Falls_When_Trained_On_A_Learnable_Order()
    {
        // The order of two chunks (one bright, one dark) is learnable from the pooled features.
        using var net = TinyUnetr();
        using var objective = new LwiObjective(LwiObjective.HeadsFor(net, 2), poolAxis: 0);
        var parameters = net.parameters().Concat(objective.Heads!.parameters()).ToArray();
        using var opt = new MedSeg.Training.Optimization.AdamW(parameters, 1e-3, 0.9, 0.99, 1e-8, 0);
        var losses = new List<float>();
        for (int step = 0; step < 30; step++)
        {
            using var scope = NewDisposeScope();
            bool swapped = step % 2 == 1;
            var x = zeros(new long[] { 1, 1, 32, 32, 32 });
            x.narrow(2, swapped ? 16 : 0, 16).fill_(1f);
            var batch = new BatchTensors(x, null, new Dictionary<string, Tensor>
            {
                [LwiBatch.TargetName] = x,
                [LwiBatch.OrderName] = tensor(swapped ? new long[] { 1, 0 } : new long[] { 0, 1 }, [1, 2]),
            });
            opt.zero_grad();
            var terms = objective.Compute(net, batch);
            terms.Total.backward();
            opt.step();
            losses.Add(terms.Terms["loss_order"].item<float>());
        }
        Assert.True(losses.TakeLast(6).Average() < 0.5 * losses.Take(6).Average(),
            $"order loss did not fall: {string.Join(", ", losses.Select(l => l.ToString("F3")))}");
    }

    [Fact]
    public void Lwi_On_SwinUnetr_Uses_The_Four_Encoder_Stages()
    {
        using var net = GlobalTorchRandom.Seeded(1, () => new SwinUnetr(1, 1, featureSize: 12, depths: [1, 1, 1, 1]));
        using var objective = new LwiObjective(LwiObjective.HeadsFor(net, 2), poolAxis: 0);
        Assert.Equal(new long[] { 24, 48, 96, 192 },
            objective.Heads!.named_parameters().Where(p => p.name.EndsWith("weight")).Select(p => p.parameter.shape[1]).ToArray());
        var batch = new BatchTensors(rand(new long[] { 1, 1, 64, 64, 64 }), null, new Dictionary<string, Tensor>
        {
            [LwiBatch.TargetName] = rand(new long[] { 1, 1, 64, 64, 64 }),
            [LwiBatch.OrderName] = tensor(new long[] { 1, 0 }, [1, 2]),
        });
        var terms = objective.Compute(net, batch);
        Assert.True(float.IsFinite(terms.Total.item<float>()));
    }

    [Fact]
    public void SwinSsl_Reports_Three_Terms_That_Sum_To_The_Total()
    {
        using var net = GlobalTorchRandom.Seeded(1, () => new SwinUnetr(1, 1, featureSize: 12, depths: [1, 1, 1, 1]));
        using var objective = new SwinSslObjective(SwinSslObjective.HeadsFor(net));
        var batch = new BatchTensors(rand(new long[] { 4, 1, 64, 64, 64 }), null, new Dictionary<string, Tensor>
        {
            [SwinSslObjective.TargetName] = rand(new long[] { 4, 1, 64, 64, 64 }),
            [SwinSslObjective.RotationName] = tensor(new long[] { 0, 1, 2, 3 }),
        });
        var terms = objective.Compute(net, batch);
        Assert.Equal(new[] { "loss_contrast", "loss_rec", "loss_rot" }, terms.Terms.Keys.Order());
        Assert.Equal(terms.Terms.Values.Sum(t => t.item<float>()), terms.Total.item<float>(), 4);
        terms.Total.backward();
        Assert.All(objective.Heads!.parameters(), p => Assert.NotNull(p.grad));
        Assert.Throws<ArgumentException>(() => objective.Compute(net, batch with { Images = rand(new long[] { 3, 1, 64, 64, 64 }) }));
    }
}
