namespace MedSeg.Training.Methods;

/// <summary>
/// A self-supervised method whose pretext task the portal can show (LWI, Swin SSL): one training sample as the network
/// sees it, what it must reconstruct, a label map naming its parts for the viewer's legend, and the network's
/// reconstruction of that sample at a checkpoint. Files are written by <see cref="PretextPreview"/>'s names.
/// </summary>
public interface IPretextPreview
{
    /// <summary>Item 0 of step 0 of the run's own batches (same seed, same crop, same draws) into <paramref name="folder"/>.</summary>
    PretextPreviewInfo WriteInput(IMethodOptions options, string folder);

    /// <summary>
    /// Loads the backbone (and heads) saved in <paramref name="checkpoint"/>, runs the reconstruction on the folder's input on
    /// the CPU without gradients and writes it as <paramref name="fileName"/> in <paramref name="folder"/>; returns its path.
    /// </summary>
    string WriteReconstruction(IMethodOptions options, string checkpoint, string folder, string fileName);
}

/// <summary>What the viewer prints under the preview: a caption and the label map's legend (label value → name).</summary>
public sealed record PretextPreviewInfo(string Caption, Dictionary<int, string> Legend);
