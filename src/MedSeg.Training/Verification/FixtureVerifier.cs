using System.Diagnostics;
using MedSeg.Training.Networks;
using MedSeg.Training.Weights;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Verification;

/// <summary>
/// Checks a network implementation against a reference fixture: a safetensors file holding a model's full
/// state_dict, <c>__input__</c>, the reference <c>__output__</c>, and metadata naming the model class and its
/// constructor arguments (as in tests/fixtures/monai). Builds the model through
/// <see cref="ModelFactory"/>, loads the weights strictly, runs the input in eval mode without gradients and
/// measures the max-abs difference to the reference output.
/// </summary>
public static class FixtureVerifier
{
    public const string InputName = "__input__";
    public const string OutputName = "__output__";

    /// <summary>The second input of a two-input network (e.g. HeatNet's second descriptor).</summary>
    public const string SecondInputName = "__input2__";

    /// <exception cref="FileNotFoundException">The fixture does not exist.</exception>
    /// <exception cref="SafetensorsFormatException">The file is not valid safetensors.</exception>
    /// <exception cref="InvalidDataException">Input/output tensors are missing.</exception>
    /// <exception cref="ArgumentException">The metadata names no known model or has invalid arguments.</exception>
    public static FixtureVerification Verify(string fixturePath, double tolerance = 1e-4)
    {
        if (!File.Exists(fixturePath)) throw new FileNotFoundException($"Fixture '{fixturePath}' does not exist.", fixturePath);
        if (!(tolerance >= 0)) throw new ArgumentOutOfRangeException(nameof(tolerance), $"Tolerance must be ≥ 0, got {tolerance}.");

        using var content = SafetensorsFile.Read(fixturePath);
        foreach (var name in new[] { InputName, OutputName })
        {
            if (!content.Tensors.ContainsKey(name))
                throw new InvalidDataException($"Fixture '{fixturePath}' has no '{name}' tensor.");
        }
        if (!content.Metadata.TryGetValue(ModelFactory.ModelKey, out var modelName))
            throw new InvalidDataException($"Fixture '{fixturePath}' metadata has no '{ModelFactory.ModelKey}' entry naming the model class.");

        var arguments = ModelFactory.ArgumentsOf(content.Metadata);
        bool pair = content.Tensors.ContainsKey(SecondInputName);
        if (pair != ModelFactory.IsPair(modelName))
            throw new InvalidDataException(pair
                ? $"Fixture '{fixturePath}' has a second input '{SecondInputName}' but '{modelName}' takes one input."
                : $"Fixture '{fixturePath}' has no second input '{SecondInputName}' but '{modelName}' takes two.");
        using nn.Module model = pair ? ModelFactory.CreatePair(modelName, arguments) : ModelFactory.Create(modelName, arguments);
        long parameterCount = model.parameters().Sum(p => p.numel());
        var weights = content.Tensors.Where(p => !StateDictLoader.IsFixtureSample(p.Key))
            .ToDictionary(p => p.Key, p => p.Value);

        var input = content[InputName];
        var expected = content[OutputName];
        StateDictLoadReport report;
        try
        {
            report = StateDictLoader.Load(model, weights, strict: true, source: fixturePath);
        }
        catch (StateDictMismatchException ex)
        {
            return new FixtureVerification(fixturePath, modelName, model.GetType().Name, arguments, parameterCount, ex.Report,
                input.shape, expected.shape, null, double.PositiveInfinity, tolerance, TimeSpan.Zero);
        }

        model.eval();
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var clock = Stopwatch.StartNew();
        // Deep-supervision fixtures hold __output__ plus __output_ds1__, __output_ds2__, ...: every one is compared.
        var names = content.Tensors.Keys.Where(n => n != InputName && n != SecondInputName && StateDictLoader.IsFixtureSample(n))
            .OrderBy(n => n == OutputName ? 0 : 1).ThenBy(n => n, StringComparer.Ordinal).ToList();
        Tensor[] actuals = model switch
        {
            nn.Module<Tensor, Tensor, Tensor> two => [two.call(input, content[SecondInputName])],
            IMultiscaleSegmentation multi when names.Count > 1 => multi.ForwardMultiscale(input),
            nn.Module<Tensor, Tensor> one => [one.call(input)],
            _ => throw new InvalidOperationException($"'{modelName}' is not a network of one or two tensors."),
        };
        clock.Stop();
        var comparisons = new List<OutputComparison>();
        for (int i = 0; i < names.Count; i++)
        {
            var reference = content[names[i]];
            var actual = i < actuals.Length ? actuals[i] : null;
            double diff = actual is not null && actual.shape.SequenceEqual(reference.shape)
                ? (actual.to(ScalarType.Float64) - reference.to(ScalarType.Float64)).abs().max().item<double>()
                : double.PositiveInfinity;
            comparisons.Add(new OutputComparison(names[i], reference.shape, actual?.shape, diff));
        }
        var main = comparisons[0];
        return new FixtureVerification(fixturePath, modelName, model.GetType().Name, arguments, parameterCount, report,
            input.shape, expected.shape, main.ActualShape, comparisons.Max(c => c.MaxAbsDifference), tolerance, clock.Elapsed,
            comparisons.Count > 1 ? comparisons : null);
    }
}
