using MedSeg.Training.Networks;
using MedSeg.Training.Networks.Layers;
using MedSeg.Training.Randomness;
using static TorchSharp.torch;
using MedSeg.Training.Networks.Blocks;
using MedSeg.Training.Tests.Randomness;

namespace MedSeg.Training.Tests.Networks.Layers;

public class RunDropoutTests
{
    private static Tensor Draw(nn.Module<Tensor, Tensor> layer, long seed)
    {
        using var generator = new RunGenerator(seed);
        using var input = ones(new long[] { 4, 3, 5, 5, 5 });
        using var active = generator.Activate();
        // Someone else drawing from (and re-seeding) the process-wide generator must not matter.
        manual_seed(seed + 1000);
        using var first = layer.call(input);
        using (rand(100)) { }
        return cat([first, layer.call(input)], 0);
    }

    [Fact]
    public void Dropout_Masks_Come_From_The_Run_Generator_Only()
    {
        using var dropout = new RunDropout(0.4);
        dropout.train();
        using var a = Draw(dropout, 7);
        using var b = Draw(dropout, 7);
        using var c = Draw(dropout, 8);
        Assert.True(TensorAssert.Same(a, b));
        Assert.False(TensorAssert.Same(a, c));
        // Inverted dropout: kept entries are 1/(1-p), the rest 0, about p of them dropped.
        var values = a.data<float>().ToArray();
        Assert.All(values, v => Assert.True(v == 0f || Math.Abs(v - 1 / 0.6f) < 1e-6, $"value {v}"));
        double dropped = values.Count(v => v == 0f) / (double)values.Length;
        Assert.InRange(dropped, 0.3, 0.5);
    }

    [Fact]
    public void DropPath_Masks_Come_From_The_Run_Generator_Only()
    {
        using var path = new DropPath(0.5);
        path.train();
        using var a = Draw(path, 3);
        using var b = Draw(path, 3);
        Assert.True(TensorAssert.Same(a, b));
        // Whole samples are dropped or kept (scaled by 2).
        for (int s = 0; s < a.shape[0]; s++)
        {
            var sample = a[s].data<float>().ToArray();
            Assert.True(sample.All(v => v == 0f) || sample.All(v => v == 2f), $"sample {s} is not all 0 or all 2");
        }
    }

    [Fact]
    public void Eval_Mode_And_Zero_Rate_Are_Identity()
    {
        using var input = arange(24, ScalarType.Float32).reshape(1, 1, 2, 3, 4);
        using var dropout = new RunDropout(0.5);
        dropout.eval();
        using (var y = dropout.call(input)) Assert.True(TensorAssert.Same(input, y));
        using var none = new RunDropout(0);
        none.train();
        using (var y = none.call(input)) Assert.True(TensorAssert.Same(input, y));
    }

    [Fact]
    public void Generator_State_Round_Trips_Through_Its_Text_Form()
    {
        using var g = new RunGenerator(5);
        using var input = ones(1000);
        using var dropout = new RunDropout(0.5);
        dropout.train();
        using (g.Activate()) dropout.call(input).Dispose();
        var saved = g.SaveState();
        Tensor first;
        using (g.Activate()) first = dropout.call(input);
        using var restored = new RunGenerator(99);
        restored.RestoreState(saved, "test");
        using (restored.Activate())
        using (var again = dropout.call(input))
            Assert.True(TensorAssert.Same(first, again));
        first.Dispose();
        var e = Assert.Throws<InvalidDataException>(() => restored.RestoreState("not base64!", "Checkpoint 'x'"));
        Assert.Contains("Checkpoint 'x'", e.Message);
    }
}
