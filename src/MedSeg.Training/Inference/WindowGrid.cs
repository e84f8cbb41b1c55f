namespace MedSeg.Training.Inference;

/// <summary>
/// Where sliding windows start: MONAI's <c>_get_scan_interval</c> and <c>dense_patch_slices</c>.
/// Windows step by the scan interval; the last window along an axis is pulled back so it ends at
/// the image border (so windows may overlap more than asked near the end, never leave the image).
/// </summary>
public static class WindowGrid
{
    /// <summary>
    /// Step per axis: <c>int(roi · (1 − overlap))</c>, at least 1; an axis the window fills exactly
    /// steps by the whole roi (one window).
    /// </summary>
    public static int[] ScanIntervals(IReadOnlyList<int> imageSize, IReadOnlyList<int> roiSize, double overlap)
    {
        CheckSameRank(imageSize, roiSize);
        var intervals = new int[imageSize.Count];
        for (int i = 0; i < intervals.Length; i++)
        {
            if (roiSize[i] == imageSize[i])
            {
                intervals[i] = roiSize[i];
                continue;
            }
            // Same double arithmetic and truncation as Python's int(roi * (1 - overlap)).
            int interval = (int)(roiSize[i] * (1.0 - overlap));
            intervals[i] = interval > 0 ? interval : 1;
        }
        return intervals;
    }

    /// <summary>
    /// Start index of every window, first axis slowest (numpy meshgrid "ij" order, as MONAI lists them).
    /// The image must be at least as large as the window (pad first).
    /// </summary>
    public static IReadOnlyList<int[]> DensePatchStarts(IReadOnlyList<int> imageSize, IReadOnlyList<int> roiSize, IReadOnlyList<int> scanInterval)
    {
        CheckSameRank(imageSize, roiSize);
        CheckSameRank(imageSize, scanInterval);
        int n = imageSize.Count;
        var startsPerAxis = new int[n][];
        for (int d = 0; d < n; d++)
        {
            if (roiSize[d] > imageSize[d])
                throw new ArgumentException($"Window {roiSize[d]} is larger than the image ({imageSize[d]}) along axis {d}; pad the image first.");
            startsPerAxis[d] = AxisStarts(imageSize[d], roiSize[d], scanInterval[d]);
        }

        var result = new List<int[]>();
        var current = new int[n];
        void Recurse(int d)
        {
            if (d == n)
            {
                result.Add((int[])current.Clone());
                return;
            }
            foreach (int s in startsPerAxis[d])
            {
                current[d] = s;
                Recurse(d + 1);
            }
        }
        Recurse(0);
        return result;
    }

    private static int[] AxisStarts(int image, int patch, int interval)
    {
        int count = 1;
        if (interval > 0)
        {
            // First step index whose window reaches the end of the image; MONAI searches d < ceil(image / interval).
            int limit = (int)Math.Ceiling((double)image / interval);
            for (int step = 0; step < limit; step++)
            {
                if ((long)step * interval + patch >= image)
                {
                    count = step + 1;
                    break;
                }
            }
        }
        var starts = new int[count];
        for (int i = 0; i < count; i++)
        {
            int start = i * interval;
            starts[i] = start - Math.Max(start + patch - image, 0);
        }
        return starts;
    }

    private static void CheckSameRank(IReadOnlyList<int> a, IReadOnlyList<int> b)
    {
        if (a.Count != b.Count)
            throw new ArgumentException($"Expected {a.Count} values per axis, got {b.Count}.");
    }
}
