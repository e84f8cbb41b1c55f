using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Evaluation;

/// <summary>
/// Makes a feature extractor (image [1, C, D, H, W] → features [1, F, D, H, W]) out of any network: its
/// output or a named submodule's input/output, caught with a forward hook, trilinearly upsampled to the
/// image size when coarser. Runs the model in eval mode under no_grad.
/// </summary>
/// <remarks>
/// TorchSharp runs forward hooks only when the parent invokes the submodule with <c>call</c>, not
/// <c>forward</c>; a submodule reached through <c>forward</c> never reports, and the extractor then says so
/// instead of returning nothing.
/// </remarks>
public static class ModuleFeatureExtractor
{
    public static Func<Tensor, Tensor> Create(nn.Module<Tensor, Tensor> model, FeatureSource source, bool upsampleToImage = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(source);
        return source switch
        {
            FeatureSource.Output => image => Run(model, image, m => m.call(image), upsampleToImage),
            FeatureSource.OutputOf o => image => RunHooked(model, FindModule(model, o.ModuleName), image, takeInput: false, upsampleToImage),
            FeatureSource.InputOf i => image => RunHooked(model, FindModule(model, i.ModuleName), image, takeInput: true, upsampleToImage),
            FeatureSource.HiddenStateOf h => image => RunEncoder(model, h, image, upsampleToImage),
            _ => throw new ArgumentException($"Unknown feature source {source}."),
        };
    }

    /// <summary>Trilinear (align_corners = false) resize of [B, F, d, h, w] to the given spatial size; no-op when equal.</summary>
    public static Tensor UpsampleTo(Tensor features, long[] spatialSize)
    {
        if (features.dim() != 2 + spatialSize.Length)
            throw new ArgumentException($"Feature map [{string.Join(", ", features.shape)}] is not [B, F, *spatial] with {spatialSize.Length} spatial axes.");
        if (features.shape.Skip(2).SequenceEqual(spatialSize)) return features.alias();
        var mode = spatialSize.Length switch
        {
            1 => InterpolationMode.Linear,
            2 => InterpolationMode.Bilinear,
            3 => InterpolationMode.Trilinear,
            _ => throw new ArgumentException($"Cannot resize {spatialSize.Length} spatial axes."),
        };
        return nn.functional.interpolate(features, spatialSize, mode: mode, align_corners: false);
    }

    private static nn.Module<Tensor, Tensor> FindModule(nn.Module<Tensor, Tensor> model, string name) =>
        FindModule<nn.Module<Tensor, Tensor>>(model, name, "take and return one tensor");

    private static T FindModule<T>(nn.Module<Tensor, Tensor> model, string name, string shape) where T : nn.Module
    {
        foreach (var (moduleName, module) in model.named_modules())
        {
            if (moduleName != name) continue;
            return module as T ?? throw new ArgumentException($"Submodule '{name}' ({module.GetType().Name}) does not {shape}.");
        }
        var names = model.named_modules().Select(m => m.name).Where(n => n.Length > 0 && !n.Contains('.')).Take(20);
        throw new ArgumentException($"The model has no submodule '{name}'; top-level submodules: {string.Join(", ", names)}.");
    }

    private static Tensor RunEncoder(nn.Module<Tensor, Tensor> model, FeatureSource.HiddenStateOf source, Tensor image, bool upsample)
    {
        var encoder = FindModule<nn.Module<Tensor, Tensor[]>>(model, source.ModuleName, "take one tensor and return several");
        return Run(model, image, _ =>
        {
            var hidden = encoder.call(image);
            if (source.Index >= hidden.Length)
                throw new ArgumentException($"Submodule '{source.ModuleName}' returns {hidden.Length} tensors; index {source.Index} does not exist.");
            return hidden[source.Index];
        }, upsample);
    }

    private static Tensor RunHooked(nn.Module<Tensor, Tensor> model, nn.Module<Tensor, Tensor> target, Tensor image, bool takeInput, bool upsample)
    {
        Tensor? captured = null;
        // The network disposes its intermediates when its forward returns, so keep our own handle out of every scope.
        var remover = target.register_forward_hook((_, input, output) =>
        {
            captured?.Dispose();
            captured = (takeInput ? input : output).detach().alias().DetachFromDisposeScope();
            return null!;
        });
        try
        {
            return Run(model, image, m =>
            {
                using var result = m.call(image);
                if (captured is null)
                    throw new InvalidOperationException(
                        $"Submodule '{target.GetName()}' never ran through call(); its parent invokes it with forward(), which skips hooks. "
                        + "Use FeatureSource.Output or a submodule the network calls with call().");
                var features = captured.alias();
                captured.Dispose();
                captured = null;
                return features;
            }, upsample);
        }
        finally
        {
            remover.remove();
            captured?.Dispose();
        }
    }

    private static Tensor Run(nn.Module<Tensor, Tensor> model, Tensor image, Func<nn.Module<Tensor, Tensor>, Tensor> forward, bool upsample)
    {
        bool wasTraining = model.training;
        model.eval();
        try
        {
            using var noGrad = no_grad();
            using var scope = NewDisposeScope();
            var features = forward(model);
            if (features.dim() != image.dim())
                throw new InvalidOperationException(
                    $"Features [{string.Join(", ", features.shape)}] are not a feature map like the image [{string.Join(", ", image.shape)}] (token sequences must be reshaped first).");
            var result = upsample ? UpsampleTo(features, image.shape.Skip(2).ToArray()) : features;
            return result.MoveToOuterDisposeScope();
        }
        finally
        {
            if (wasTraining) model.train();
        }
    }
}
