using MedSeg.Testing;
using MedSeg.Training.Optimization;
using MedSeg.Training.Tests.Support;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MedSeg.Training.Tests.Optimization;

/// <summary>
/// The scalar-safe Adam and AdamW step exactly as TorchSharp's own (the same aten ops in the same order), share its
/// checkpoint format, and survive garbage collections forced from another thread during every step.
/// </summary>
public class ScalarSafeAdamTests
{
    private static Sequential Net(int seed)
    {
        using var _ = NewDisposeScope();
        manual_seed(seed);
        var net = nn.Sequential(nn.Linear(6, 5), nn.Tanh(), nn.Linear(5, 3));
        return net;
    }

    private static void Step(Sequential net, optim.Optimizer optimizer, int seed, double lr)
    {
        using var _ = NewDisposeScope();
        manual_seed(seed);
        var x = randn(4, 6);
        var y = randn(4, 3);
        foreach (var g in optimizer.ParamGroups) g.LearningRate = lr;
        optimizer.zero_grad();
        nn.functional.mse_loss(net.call(x), y).backward();
        optimizer.step();
    }

    private static void AssertSameParameters(Sequential a, Sequential b)
    {
        var pa = a.parameters().ToArray();
        var pb = b.parameters().ToArray();
        Assert.Equal(pa.Length, pb.Length);
        for (int i = 0; i < pa.Length; i++)
            Assert.True(TensorAssert.Same(pa[i], pb[i]), $"parameter {i} differs by {TensorAssert.MaxAbsDifference(pa[i], pb[i])}");
    }

    [Theory]
    [InlineData(true, 1e-2)]
    [InlineData(true, 0.0)]
    [InlineData(false, 1e-2)]
    [InlineData(false, 0.0)]
    public void Ten_steps_equal_TorchSharp_bit_for_bit(bool decoupled, double weightDecay)
    {
        using var ours = Net(3);
        using var theirs = Net(3);
        using optim.Optimizer a = decoupled
            ? new MedSeg.Training.Optimization.AdamW(ours.parameters(), 1e-2, 0.9, 0.999, 1e-8, weightDecay)
            : new MedSeg.Training.Optimization.Adam(ours.parameters(), 1e-2, 0.9, 0.999, 1e-8, weightDecay);
        using optim.Optimizer b = decoupled
            ? optim.AdamW(theirs.parameters(), 1e-2, 0.9, 0.999, 1e-8, weightDecay)
            : optim.Adam(theirs.parameters(), 1e-2, 0.9, 0.999, 1e-8, weightDecay);
        for (int s = 0; s < 10; s++)
        {
            double lr = 1e-2 * (1 + s % 3); // a schedule changes the rate between steps
            Step(ours, a, 100 + s, lr);
            Step(theirs, b, 100 + s, lr);
        }
        AssertSameParameters(ours, theirs);
        using var untouched = Net(3);
        Assert.False(TensorAssert.Same(ours.parameters().First(), untouched.parameters().First())); // it did step
    }

    [Fact]
    public void Checkpoint_of_either_resumes_in_the_other()
    {
        using var tmp = new TempDirectory();
        using var ours = Net(5);
        using var theirs = Net(5);
        using var a = new MedSeg.Training.Optimization.AdamW(ours.parameters(), 1e-2, 0.9, 0.999, 1e-8, 1e-3);
        using var b = optim.AdamW(theirs.parameters(), 1e-2, 0.9, 0.999, 1e-8, 1e-3);
        for (int s = 0; s < 3; s++) { Step(ours, a, s, 1e-2); Step(theirs, b, s, 1e-2); }
        var ourState = Path.Combine(tmp.Path, "ours.bin");
        var theirState = Path.Combine(tmp.Path, "theirs.bin");
        a.save_state_dict(ourState);
        b.save_state_dict(theirState);
        Assert.Equal(File.ReadAllBytes(theirState), File.ReadAllBytes(ourState));

        // Swap: each continues from the other's file.
        a.load_state_dict(theirState);
        b.load_state_dict(ourState);
        for (int s = 3; s < 6; s++) { Step(ours, a, s, 1e-2); Step(theirs, b, s, 1e-2); }
        AssertSameParameters(ours, theirs);
    }

    [Fact]
    public void Steps_hold_their_scalars_while_other_threads_collect()
    {
        using var net = Net(7);
        using var optimizer = new MedSeg.Training.Optimization.AdamW(net.parameters(), 1e-3, 0.9, 0.999, 1e-8, 1e-5);
        using (new CollectionPressure())
            for (int s = 0; s < 3000; s++) Step(net, optimizer, s, 1e-3);
        Assert.All(net.parameters(), p => Assert.True(p.isfinite().all().item<bool>()));
    }
}
