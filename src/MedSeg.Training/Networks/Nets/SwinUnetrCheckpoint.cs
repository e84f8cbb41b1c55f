using MedSeg.Training.Weights;
using static TorchSharp.torch;

namespace MedSeg.Training.Networks.Nets;

/// <summary>
/// Loads the Swin encoder of published SwinUNETR self-supervised checkpoints (Tang et al., "Self-Supervised
/// Pre-Training of Swin Transformers for 3D Medical Image Analysis", https://arxiv.org/abs/2111.14791;
/// MONAI's <c>SwinUNETR.load_from</c>) into a <see cref="SwinUnetr"/>, after converting the checkpoint
/// to safetensors.
/// </summary>
/// <remarks>
/// Those checkpoints name the encoder without the <c>swinViT.</c> prefix (<c>module.layers1.0.…</c>, or
/// <c>swin_vit.…</c> / <c>module.swinViT.…</c>) and use timm's MLP names <c>mlp.fc1</c>/<c>mlp.fc2</c> where
/// MONAI has <c>mlp.linear1</c>/<c>mlp.linear2</c>. They were trained with MONAI ≤ 1.4, so build the
/// model with <c>legacyPatchMerging: true</c> (see <see cref="PatchMerging"/>). Heads of the pretraining
/// task (rotation, contrastive, reconstruction) are ignored; the decoder stays as initialised.
/// </remarks>
public static class SwinUnetrCheckpoint
{
    /// <summary>Maps one checkpoint key to SwinUNETR's name, or returns it unchanged when it is not an encoder key.</summary>
    public static string MapKey(string key)
    {
        if (key.StartsWith("module.", StringComparison.Ordinal)) key = key["module.".Length..];
        if (key.StartsWith("swin_vit.", StringComparison.Ordinal)) key = "swinViT." + key["swin_vit.".Length..];
        if (key.StartsWith("patch_embed.", StringComparison.Ordinal) || key.StartsWith("layers", StringComparison.Ordinal))
            key = "swinViT." + key;
        if (key.StartsWith("swinViT.", StringComparison.Ordinal))
            key = key.Replace(".mlp.fc1.", ".mlp.linear1.", StringComparison.Ordinal)
                     .Replace(".mlp.fc2.", ".mlp.linear2.", StringComparison.Ordinal);
        return key;
    }

    /// <summary>
    /// Copies every <c>swinViT.*</c> tensor (after <see cref="MapKey"/>) into <paramref name="model"/>.
    /// Strict over the encoder: a missing, unexpected or mis-shaped encoder key throws
    /// <see cref="StateDictMismatchException"/> before anything is copied; non-encoder keys are skipped.
    /// </summary>
    public static StateDictLoadReport LoadEncoder(SwinUnetr model, IReadOnlyDictionary<string, Tensor> checkpoint, string? source = null)
    {
        var mapped = new Dictionary<string, Tensor>();
        foreach (var (key, tensor) in checkpoint)
        {
            string name = MapKey(key);
            if (!mapped.TryAdd(name, tensor))
                throw new ArgumentException($"Checkpoint keys map to the same name '{name}' (second: '{key}').", nameof(checkpoint));
        }
        return StateDictLoader.Load(model, mapped, strict: true, new StateDictKeyMapping { SelectPrefix = "swinViT." }, source);
    }

    /// <summary>Reads a safetensors checkpoint and loads its encoder (see <see cref="LoadEncoder(SwinUnetr, IReadOnlyDictionary{string, Tensor}, string?)"/>).</summary>
    public static StateDictLoadReport LoadEncoderFile(SwinUnetr model, string path)
    {
        using var content = SafetensorsFile.Read(path, name => !StateDictLoader.IsFixtureSample(name));
        return LoadEncoder(model, content.Tensors, path);
    }
}
