using System.Globalization;
using System.Text.Json;
using MedSeg.Training.Fdsl;
using MedSeg.Training.Networks;
using MedSeg.Training.Runs;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Checkpoints;

/// <summary>
/// Checkpoints as folders under run/checkpoints: step-000000100/ and best/, each holding model.bin
/// (TorchSharp module state, used for exact resume), optimizer.bin (AdamW exp_avg, exp_avg_sq, step per
/// parameter), state.json, and model.safetensors — the weights under MONAI key names with the model class and
/// arguments as metadata (<see cref="ModelCheckpoint"/>), for fine-tuning here or in MONAI. A folder is written under a temporary name and renamed when complete, so a crash never
/// leaves a half checkpoint under a real name; temporary leftovers are ignored and cleaned up.
/// </summary>
public sealed class CheckpointStore
{
    public const string ModelFile = "model.bin";
    public const string OptimizerFile = "optimizer.bin";
    /// <summary>A method's own trainable heads (<see cref="Methods.IMethodObjective.Heads"/>), when it has any.</summary>
    public const string HeadsFile = "heads.bin";
    public const string StateFile = "state.json";
    public const string WeightsFile = "model.safetensors";
    /// <summary>Metadata keys added to model.safetensors besides the model arguments.</summary>
    public static readonly IReadOnlyCollection<string> ExtraMetadataKeys = ["fdsl_step", "fdsl_val_mean_dice", Layout.AxisOrders.MetadataKey];
    private const string StepPrefix = "step-";

    public CheckpointStore(string directory)
    {
        Directory = System.IO.Directory.CreateDirectory(directory).FullName;
        foreach (var leftover in System.IO.Directory.GetDirectories(Directory, ".tmp-*"))
            System.IO.Directory.Delete(leftover, recursive: true);
    }

    public string Directory { get; }
    public string BestPath => Path.Combine(Directory, "best");

    public string StepPath(long step) => Path.Combine(Directory, $"{StepPrefix}{step.ToString("D9", CultureInfo.InvariantCulture)}");

    /// <summary>Complete step checkpoints, oldest first.</summary>
    public IReadOnlyList<(long Step, string Path)> List() =>
        System.IO.Directory.GetDirectories(Directory, StepPrefix + "*")
            .Select(p => (Ok: long.TryParse(Path.GetFileName(p)[StepPrefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out var s), Step: s, Path: p))
            .Where(x => x.Ok && File.Exists(Path.Combine(x.Path, StateFile)))
            .OrderBy(x => x.Step)
            .Select(x => (x.Step, x.Path))
            .ToList();

    public string? Latest() => List().LastOrDefault().Path;

    /// <summary>
    /// Writes one checkpoint folder. <paramref name="heads"/> (a method's extra trainable parts) go to heads.bin beside
    /// model.bin; model.safetensors holds the backbone alone, under MONAI names, as downstream fine-tuning expects.
    /// </summary>
    public string Save(string target, nn.Module model, optim.Optimizer optimizer, CheckpointState state, ModelChoice choice, nn.Module? heads = null)
    {
        var tmp = Path.Combine(Directory, $".tmp-{Path.GetFileName(target)}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(tmp);
        try
        {
            model.save(Path.Combine(tmp, ModelFile));
            heads?.save(Path.Combine(tmp, HeadsFile));
            ((TorchSharp.Modules.OptimizerHelper)optimizer).save_state_dict(Path.Combine(tmp, OptimizerFile));
            var extra = new Dictionary<string, string> { ["fdsl_step"] = state.Step.ToString(CultureInfo.InvariantCulture) };
            if (state.ValidationMeanDice is double dice) extra["fdsl_val_mean_dice"] = dice.ToString("R", CultureInfo.InvariantCulture);
            extra[Layout.AxisOrders.MetadataKey] = state.EffectiveAxisOrder.ToString();
            ModelCheckpoint.Save(model, Path.Combine(tmp, WeightsFile), choice.Name, choice.Args, extra);
            // state.json last: its presence marks a complete folder (see List).
            File.WriteAllText(Path.Combine(tmp, StateFile), JsonSerializer.Serialize(state, JsonDefaults.Indented));
            if (System.IO.Directory.Exists(target))
            {
                // Replace: move the old one aside first so `target` is never a mix of both.
                var old = Path.Combine(Directory, $".tmp-old-{Guid.NewGuid():N}");
                System.IO.Directory.Move(target, old);
                System.IO.Directory.Move(tmp, target);
                System.IO.Directory.Delete(old, recursive: true);
            }
            else System.IO.Directory.Move(tmp, target);
            return target;
        }
        catch
        {
            if (System.IO.Directory.Exists(tmp)) System.IO.Directory.Delete(tmp, recursive: true);
            throw;
        }
    }

    public static CheckpointState ReadState(string checkpoint)
    {
        var path = Path.Combine(checkpoint, StateFile);
        if (!File.Exists(path)) throw new FileNotFoundException($"Checkpoint '{checkpoint}' has no {StateFile}.", path);
        return JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText(path), JsonDefaults.Indented)
            ?? throw new InvalidDataException($"Checkpoint state '{path}' is empty.");
    }

    /// <summary>Loads tensors into an already-built model (and heads) and optimizer of the same architecture.</summary>
    public static void LoadInto(string checkpoint, nn.Module model, optim.Optimizer optimizer, nn.Module? heads = null)
    {
        model.load(Path.Combine(checkpoint, ModelFile), strict: true);
        if (heads is not null)
        {
            var headsPath = Path.Combine(checkpoint, HeadsFile);
            if (!File.Exists(headsPath))
                throw new TrainingException($"Checkpoint '{checkpoint}' has no {HeadsFile}, but this run's method trains heads beside the network.");
            heads.load(headsPath, strict: true);
        }
        ((TorchSharp.Modules.OptimizerHelper)optimizer).load_state_dict(Path.Combine(checkpoint, OptimizerFile));
    }

    /// <summary>Deletes all but the newest <paramref name="keep"/> step checkpoints (best/ is separate).</summary>
    public void Prune(int keep)
    {
        var all = List();
        foreach (var (_, path) in all.Take(Math.Max(0, all.Count - keep)))
            System.IO.Directory.Delete(path, recursive: true);
    }

    public static string EncodeRng(Tensor state) => Convert.ToBase64String(state.data<byte>().ToArray());

    public static Tensor DecodeRng(string base64)
    {
        var bytes = Convert.FromBase64String(base64);
        return torch.tensor(bytes, new long[] { bytes.Length }, ScalarType.Byte);
    }
}
