using MedSeg.Training.Networks.Nets;
using MedSeg.Training.Networks.Nets.Context;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks;

/// <summary>
/// Builds a network from its MONAI class name and MONAI-style string arguments (a fixture's <c>__metadata__</c>:
/// <c>{"model": "UNETR", "img_size": "32", "feature_size": "8", ...}</c>). Names are case-insensitive.
/// </summary>
public static class ModelFactory
{
    /// <summary>Builds one architecture from its arguments; must read every argument it accepts.</summary>
    public delegate nn.Module<Tensor, Tensor> Builder(ModelArguments args);

    /// <summary>The metadata key naming the model class.</summary>
    public const string ModelKey = "model";

    // The registry: one entry per architecture. Add new networks here (or call Register at start-up).
    private static readonly Dictionary<string, Builder> Builders = new(StringComparer.OrdinalIgnoreCase)
    {
        ["UNETR"] = BuildUnetr,
        ["BasicUNet"] = BuildBasicUNet,
        ["SwinUNETR"] = BuildSwinUnetr,
        ["PCTNet"] = BuildPctNet,
        // Blendowski et al. 2019 (2.5D context features, 3D Doersch): the notebook's class names.
        ["ConvNet"] = a => ContextNet(a, () => new ContextConvNet()),
        ["DoerschNet"] = a => ContextNet(a, () => new DoerschNet()),
        ["ContextDescriptorNet"] = a => ContextNet(a, () => new ContextDescriptorNet()),
    };

    /// <summary>Networks of two inputs (heads over a pair of descriptors); fixtures give the second as <c>__input2__</c>.</summary>
    public delegate nn.Module<Tensor, Tensor, Tensor> PairBuilder(ModelArguments args);

    private static readonly Dictionary<string, PairBuilder> PairBuilders = new(StringComparer.OrdinalIgnoreCase)
    {
        ["HeatNet"] = a => ContextNet(a, () => new HeatNet()),
        ["OffNet"] = a => ContextNet(a, () => new OffNet()),
        ["DoerschDecodeNet"] = a => ContextNet(a, () => new DoerschDecodeNet()),
    };

    private static readonly Lock Gate = new();

    public static IReadOnlyCollection<string> Names
    {
        get { lock (Gate) return Builders.Keys.ToList(); }
    }

    /// <summary>Adds or replaces the builder for <paramref name="name"/>.</summary>
    public static void Register(string name, Builder builder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(builder);
        lock (Gate) Builders[name] = builder;
    }

    /// <summary>Builds under <see cref="Randomness.GlobalTorchRandom"/>'s lock: initialisation draws from the process-wide generator.</summary>
    public static nn.Module<Tensor, Tensor> Create(string name, IReadOnlyDictionary<string, string> arguments) =>
        Randomness.GlobalTorchRandom.Exclusive(() => Build(name, arguments));

    private static nn.Module<Tensor, Tensor> Build(string name, IReadOnlyDictionary<string, string> arguments)
    {
        Builder? builder;
        lock (Gate) Builders.TryGetValue(name, out builder);
        if (builder is null)
            throw new ArgumentException($"Unknown model '{name}'; known: {string.Join(", ", Names)}.", nameof(name));
        return BuildChecked(name, arguments, builder.Invoke);
    }

    /// <summary>Builds with <paramref name="builder"/>, then refuses (and disposes) a model that left an argument unused.</summary>
    private static TModule BuildChecked<TModule>(string name, IReadOnlyDictionary<string, string> arguments, Func<ModelArguments, TModule> builder)
        where TModule : nn.Module
    {
        var args = new ModelArguments(name, arguments);
        var model = builder(args);
        try
        {
            args.EnsureAllUsed();
        }
        catch
        {
            model.Dispose();
            throw;
        }
        return model;
    }

    /// <summary>Whether <paramref name="name"/> is a two-input network (build it with <see cref="CreatePair"/>).</summary>
    public static bool IsPair(string name) => PairBuilders.ContainsKey(name);

    /// <summary>Builds a two-input network under the same lock as <see cref="Create"/>.</summary>
    public static nn.Module<Tensor, Tensor, Tensor> CreatePair(string name, IReadOnlyDictionary<string, string> arguments) =>
        Randomness.GlobalTorchRandom.Exclusive(() =>
        {
            if (!PairBuilders.TryGetValue(name, out var builder))
                throw new ArgumentException($"Unknown two-input model '{name}'; known: {string.Join(", ", PairBuilders.Keys)}.", nameof(name));
            return BuildChecked(name, arguments, builder.Invoke);
        });

    /// <summary>The authors' networks take no arguments; their fixtures' provenance entry <c>source</c> is ignored.</summary>
    private static T ContextNet<T>(ModelArguments a, Func<T> build)
    {
        a.Ignore("source");
        return build();
    }

    /// <summary>Builds from a metadata map whose <c>model</c> entry names the class and whose other entries are arguments.</summary>
    public static nn.Module<Tensor, Tensor> FromMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(ModelKey, out var name) || string.IsNullOrWhiteSpace(name))
            throw new ArgumentException($"Metadata has no '{ModelKey}' entry naming the model class.", nameof(metadata));
        return Create(name, ArgumentsOf(metadata));
    }

    /// <summary>The metadata without its <c>model</c> entry.</summary>
    public static IReadOnlyDictionary<string, string> ArgumentsOf(IReadOnlyDictionary<string, string> metadata) =>
        metadata.Where(p => p.Key != ModelKey).ToDictionary(p => p.Key, p => p.Value);

    private static Unetr BuildUnetr(ModelArguments a)
    {
        if (a.GetBool("save_attn", false))
            throw new NotSupportedException("UNETR save_attn=True is not implemented.");
        return new Unetr(
            inChannels: a.GetLong("in_channels"),
            outChannels: a.GetLong("out_channels"),
            imgSize: a.GetLongs("img_size"),
            featureSize: a.GetLong("feature_size", 16),
            hiddenSize: a.GetLong("hidden_size", 768),
            mlpDim: a.GetLong("mlp_dim", 3072),
            numHeads: a.GetLong("num_heads", 12),
            projType: a.GetString("proj_type", "conv"),
            normName: a.GetLayer("norm_name", "instance"),
            convBlock: a.GetBool("conv_block", true),
            resBlock: a.GetBool("res_block", true),
            dropoutRate: a.GetDouble("dropout_rate", 0.0),
            spatialDims: (int)a.GetLong("spatial_dims", 3),
            qkvBias: a.GetBool("qkv_bias", false));
    }

    private static BasicUNet BuildBasicUNet(ModelArguments a) => new(
        spatialDims: (int)a.GetLong("spatial_dims", 3),
        inChannels: a.GetLong("in_channels", 1),
        outChannels: a.GetLong("out_channels", 2),
        features: a.GetLongs("features", BasicUNet.DefaultFeatures),
        act: a.GetLayer("act", BasicUNet.DefaultAct),
        norm: a.GetLayer("norm", BasicUNet.DefaultNorm),
        bias: a.GetBool("bias", true),
        dropout: a.GetDouble("dropout", 0.0),
        upsample: a.GetString("upsample", "deconv"));

    /// <summary>MONAI 1.5 <c>SwinUNETR</c> arguments; <c>legacy_patch_merging</c> is this port's own (MONAI ≤ 1.4 weights).</summary>
    private static SwinUnetr BuildSwinUnetr(ModelArguments a)
    {
        if (a.Has("img_size"))
            throw new ArgumentException("SwinUNETR: img_size was removed in MONAI 1.5 (inputs only need sizes divisible by patch_size**5); drop the argument.");
        return new SwinUnetr(
            inChannels: a.GetLong("in_channels"),
            outChannels: a.GetLong("out_channels"),
            patchSize: a.GetLong("patch_size", 2),
            depths: a.GetLongs("depths", [2, 2, 2, 2]).Select(v => (int)v).ToArray(),
            numHeads: a.GetLongs("num_heads", [3, 6, 12, 24]).Select(v => (int)v).ToArray(),
            windowSize: a.GetLongs("window_size", [7]),
            qkvBias: a.GetBool("qkv_bias", true),
            mlpRatio: a.GetDouble("mlp_ratio", 4.0),
            featureSize: a.GetLong("feature_size", 24),
            normName: a.GetLayer("norm_name", "instance"),
            dropRate: a.GetDouble("drop_rate", 0.0),
            attnDropRate: a.GetDouble("attn_drop_rate", 0.0),
            dropoutPathRate: a.GetDouble("dropout_path_rate", 0.0),
            normalize: a.GetBool("normalize", true),
            patchNorm: a.GetBool("patch_norm", false),
            useCheckpoint: a.GetBool("use_checkpoint", false),
            spatialDims: (int)a.GetLong("spatial_dims", 3),
            downsample: a.GetString("downsample", "merging"),
            useV2: a.GetBool("use_v2", false),
            legacyPatchMerging: a.GetBool("legacy_patch_merging", false));
    }

    /// <summary>MIS-FM <c>PCTNet(params)</c>: the authors' dictionary keys as arguments.</summary>
    private static PctNet BuildPctNet(ModelArguments a) => new(
        inChannels: a.GetLong("in_chns"),
        classes: a.GetLong("class_num"),
        inputSize: a.GetLongs("input_size"),
        features: a.GetLongs("feature_chns", PctNet.CodeDefaultFeatures),
        dropout: a.GetDoubles("dropout", [0, 0, 0.2, 0.2, 0.2]),
        depths: a.GetLongs("depths", [2, 2, 2]).Select(v => (int)v).ToArray(),
        heads: a.GetLongs("num_heads", [4, 8, 16]),
        windows: a.GetLongs("window_sizes", [6, 6, 6]).Select(v => (int)v).ToArray(),
        resolutionMode: (int)a.GetLong("resolution_mode", 0),
        multiscalePred: a.GetBool("multiscale_pred", false));
}
