namespace MedSeg.Training.Evaluation;

/// <summary>Distance used to find the nearest atlas descriptors.</summary>
public enum KnnMetric
{
    /// <summary>Largest dot product of L2-normalised descriptors.</summary>
    Cosine,

    /// <summary>Smallest Euclidean distance (of the normalised descriptors, as in the paper's setup).</summary>
    Euclidean,
}
