namespace MedSeg.Training.Data;

/// <summary>
/// A named extra array of a <see cref="Batch"/>: float32 or int64 data with its shape. A <see cref="Spatial"/> array's
/// last three axes are (Z, Y, X), X fastest, like the images, and the loop converts it to the run's axis order
/// (<see cref="Layout.TensorLayout"/>) exactly as it does the images; any other array (class indices, weights, vectors)
/// becomes a tensor of its shape unchanged.
/// </summary>
public sealed record BatchArray
{
    public static readonly IReadOnlyDictionary<string, BatchArray> None = new Dictionary<string, BatchArray>();

    private BatchArray(Array data, long[] shape, bool spatial)
    {
        long count = 1;
        foreach (var d in shape)
        {
            if (d < 0) throw new ArgumentException($"Batch array shape [{string.Join(", ", shape)}] has a negative size.");
            count *= d;
        }
        if (count != data.LongLength)
            throw new ArgumentException($"Batch array shape [{string.Join(", ", shape)}] holds {count} values, but the data has {data.LongLength}.");
        if (spatial && shape.Length < 3)
            throw new ArgumentException($"A spatial batch array needs (…, Z, Y, X) axes, got shape [{string.Join(", ", shape)}].");
        Data = data;
        Shape = shape;
        Spatial = spatial;
    }

    /// <summary>float[] or long[].</summary>
    public Array Data { get; }
    public long[] Shape { get; }
    public bool Spatial { get; }

    /// <summary>A volume-shaped array (last axes Z, Y, X): reordered like the images.</summary>
    public static BatchArray Volume(float[] data, params long[] shape) => new(data, shape, spatial: true);

    /// <inheritdoc cref="Volume(float[], long[])"/>
    public static BatchArray Volume(long[] data, params long[] shape) => new(data, shape, spatial: true);

    /// <summary>Any other array: a tensor of this shape as given.</summary>
    public static BatchArray Plain(float[] data, params long[] shape) => new(data, shape, spatial: false);

    /// <inheritdoc cref="Plain(float[], long[])"/>
    public static BatchArray Plain(long[] data, params long[] shape) => new(data, shape, spatial: false);
}
