namespace MedSeg.Training.Natives;

/// <summary>What <see cref="LibTorchLoader"/> loaded: the folder, its version, and whether its CUDA libraries came along.</summary>
public sealed record LibTorchLoad(string Folder, string Setting, LibTorchVersion Version, bool Cuda, IReadOnlyList<string> Libraries)
{
    /// <summary>One line for logs and run configs, e.g. "libtorch 2.10.0+cu128 (CUDA) from /opt/torch/lib (MEDSEG_LIBTORCH)".</summary>
    public string Describe() => $"libtorch {Version.Text}{(Cuda ? " (CUDA)" : " (CPU)")} from {Folder} ({Setting})";
}
