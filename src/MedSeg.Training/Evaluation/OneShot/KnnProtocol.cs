namespace MedSeg.Training.Evaluation.OneShot;

/// <summary>How one-shot kNN label transfer is scored.</summary>
public enum KnnProtocol
{
    /// <summary>
    /// Blendowski et al. 2019: descriptors every 4th voxel, raw (unnormalised) Euclidean distance, labels predicted at the
    /// sampled voxels and Dice scored there. Exact search (the authors use an approximate vantage-point forest).
    /// </summary>
    Paper,

    /// <summary>
    /// This project's earlier evaluator (<see cref="KnnSegmentationEvaluator"/>): L2-normalised descriptors ranked by
    /// cosine, the sparse labels nearest-upsampled and Dice scored at full resolution.
    /// </summary>
    Dense,
}
