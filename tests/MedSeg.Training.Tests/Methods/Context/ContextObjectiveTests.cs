using MedSeg.Core.ContextFeatures;
using MedSeg.Training.Methods;
using MedSeg.Training.Methods.Context;
using MedSeg.Training.Methods.Doersch;
using MedSeg.Training.Networks.Nets.Context;
using MedSeg.Training.Tests.FineTune;
using Xunit.Abstractions;
using static TorchSharp.torch;
using MedSeg.Testing;

namespace MedSeg.Training.Tests.Methods.Context;

/// <summary>
/// The objectives learn: 60 Adam steps on phantom volumes (a test harness standing in for the shared loop) lower the loss.
/// </summary>
public class ContextObjectiveTests(ITestOutputHelper output)
{
    /// <summary>Mean loss on the batches of steps 0–4 before and after 60 Adam steps (lr 1e-3) over steps 0–59.</summary>
    private static (double Before, double After) Train(nn.Module<Tensor, Tensor> backbone, IMethodObjective objective, Func<long, BatchTensors> batches, int steps = 60)
    {
        var parameters = backbone.parameters().Concat(objective.Heads!.parameters()).ToList();
        using var adam = new MedSeg.Training.Optimization.Adam(parameters, 1e-3, 0.9, 0.99, 1e-8, 0);
        backbone.train();
        objective.Heads!.train();
        double Probe()
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            return Enumerable.Range(0, 5).Average(s => objective.Compute(backbone, batches(s)).Total.item<float>());
        }
        double before = Probe();
        for (long step = 0; step < steps; step++)
        {
            using var scope = NewDisposeScope();
            adam.zero_grad();
            var terms = objective.Compute(backbone, batches(step));
            Assert.True(float.IsFinite(terms.Total.item<float>()), $"step {step}: loss {terms.Total.item<float>()}");
            terms.Total.backward();
            adam.step();
        }
        return (before, Probe());
    }

    [Theory]
    [InlineData(ContextTask.Heatmap)]
    [InlineData(ContextTask.Reg2d)]
    public void Context_Task_Loss_Falls_In_60_Steps(ContextTask task)
    {
        using var temp = new TempDirectory();
        var source = ContextVolumeSource.Open(TinyPhantomDataset.Create(temp.Path));
        Assert.Equal(5, source.Count);                                  // train + val, never the test case
        var sampler = new ContextPairSampler(source.Get, source.Count, new ContextPairSamplerSettings { Seed = 2, BatchSize = 2, TotalSteps = 60 });
        using var backbone = MedSeg.Training.Randomness.GlobalTorchRandom.Seeded(1, () => NotebookInit.Apply(new ContextDescriptorNet()));
        using var objective = MedSeg.Training.Randomness.GlobalTorchRandom.Seeded(2, () => new ContextObjective(task));
        var (first, last) = Train(backbone, objective, step =>
        {
            var b = sampler.Build(step);
            return new BatchTensors(zeros(1), null, ContextBatchArrays.ToTensors(b, CPU));
        });
        output.WriteLine($"{task}: loss on steps 0–4 before {first:F4}, after 60 steps {last:F4}");
        Assert.True(last < 0.9 * first, $"{task}: loss {first:F4} → {last:F4} did not fall by 10%");
    }

    [Fact]
    public void Context_Objective_Reports_One_Term_Per_Axis_And_Refuses_Other_Backbones()
    {
        var sampler = new ContextPairSampler(_ => new SamplingVolume(Enumerable.Range(0, 8 * 8 * 8).Select(i => (float)Math.Cos(i)).ToArray(), 8, 8, 8), 1,
            new ContextPairSamplerSettings { BatchSize = 2 });
        var batch = new BatchTensors(zeros(1), null, ContextBatchArrays.ToTensors(sampler.Build(0), CPU));
        using var backbone = new ContextDescriptorNet();
        using var objective = new ContextObjective(ContextTask.Heatmap);
        var terms = objective.Compute(backbone, batch);
        Assert.Equal(["loss_axis0", "loss_axis1", "loss_axis2"], terms.Terms.Keys.Order());
        Assert.True(float.IsFinite(terms.Total.item<float>()), "a freshly built network must give a finite loss");
        double sum = terms.Terms.Values.Sum(t => t.item<float>());
        Assert.Equal(sum, terms.Total.item<float>(), 4);
        Assert.Contains(objective.Heads!.state_dict().Keys, k => k == "axis2.norm4_1.running_mean");
        using var wrong = new DoerschNet();
        Assert.Throws<ArgumentException>(() => objective.Compute(wrong, batch));
    }

    [Fact]
    public void Doersch_Loss_Falls_In_60_Steps()
    {
        using var temp = new TempDirectory();
        var source = ContextVolumeSource.Open(TinyPhantomDataset.Create(temp.Path));
        var sampler = new DoerschPairSampler(source.Get, source.Count, seed: 3, batchSize: 2);
        using var backbone = MedSeg.Training.Randomness.GlobalTorchRandom.Seeded(1, () => new DoerschNet());
        using var objective = MedSeg.Training.Randomness.GlobalTorchRandom.Seeded(2, () => new DoerschObjective());
        var (first, last) = Train(backbone, objective, step =>
            new BatchTensors(zeros(1), null, DoerschBatchArrays.ToTensors(sampler.Build(step), CPU)));
        output.WriteLine($"Doersch: loss on steps 0–4 before {first:F4}, after 60 steps {last:F4}");
        Assert.True(last < 0.95 * first, $"Doersch: loss {first:F4} → {last:F4} did not fall by 5%");
    }
}
