using MedSeg.Core.Volumes;
using MedSeg.Training.Data;

namespace MedSeg.Training.Tests.Support;

/// <summary>
/// Deterministic synthetic samples: a few axis-aligned boxes of classes 1..C−1 on background, the image
/// is the class index scaled plus noise, so a small net can learn it quickly.
/// </summary>
internal sealed class BlobSource(int count, int size, int classes, int seedOffset = 0) : IVolumeSampleSource
{
    public int Count => count;
    public int ClassCount => classes;
    public string Description => $"blobs {count}×{size}³ ({classes} classes)";

    public LabeledVolume Load(int index)
    {
        var rng = SplitMix64.For(seedOffset, index);
        var image = new float[size * size * size];
        var label = new byte[size * size * size];
        for (int c = 1; c < classes; c++)
            for (int k = 0; k < 2; k++)
            {
                int ex = 3 + rng.NextInt(size / 2), ey = 3 + rng.NextInt(size / 2), ez = 3 + rng.NextInt(size / 2);
                int x0 = rng.NextInt(size - ex), y0 = rng.NextInt(size - ey), z0 = rng.NextInt(size - ez);
                for (int z = z0; z < z0 + ez; z++)
                    for (int y = y0; y < y0 + ey; y++)
                        for (int x = x0; x < x0 + ex; x++) label[x + size * (y + size * z)] = (byte)c;
            }
        for (int i = 0; i < image.Length; i++)
            image[i] = label[i] * 0.8f + (rng.NextInt(1000) / 1000f - 0.5f) * 0.6f;
        return new LabeledVolume(new Volume(size, size, size, image), new Volume(size, size, size, label), $"blob-{index}");
    }
}
