using MedSeg.Training.Natives;
using MedSeg.Training.Benchmarks;
using TorchSharp;
using static TorchSharp.torch;

namespace MedSeg.Training.Inference;

/// <summary>
/// Runs a patch-based predictor over a whole image with overlapping windows and blends the window
/// outputs, with the semantics of MONAI 1.5 <c>monai.inferers.sliding_window_inference</c>:
/// the image is padded (constant value) up to the window where smaller, windows start as
/// <see cref="WindowGrid"/> lists them, each window output is multiplied by the
/// <see cref="ImportanceMap"/> and summed, the sum is divided by the summed weights, and the padding
/// is cropped away. The predictor must keep the window's spatial size (a segmentation network);
/// MONAI's zoomed outputs are not supported.
/// </summary>
public static class SlidingWindowInference
{
    /// <summary>Windows per predictor call in this thread's last <see cref="Run"/> (what "auto" chose), for reports.</summary>
    [ThreadStatic] private static int _swBatchUsed;

    public static int SwBatchUsed { get => _swBatchUsed; private set => _swBatchUsed = value; }

    /// <param name="inputs">Batch of images [B, C, *spatial] (1 to 3 spatial axes).</param>
    /// <param name="predictor">E.g. a model's forward: [n, C, *roi] → [n, C_out, *roi].</param>
    /// <returns>[B, C_out, *spatial] on <see cref="SlidingWindowOptions.OutputDevice"/>, in the input's float dtype.</returns>
    public static Tensor Run(Tensor inputs, Func<Tensor, Tensor> predictor, SlidingWindowOptions options)
    {
        SwBatchUsed = 0;
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        int spatialDims = (int)inputs.dim() - 2;
        if (spatialDims < 1 || spatialDims > 3)
            throw new ArgumentException($"Input must be [B, C, *spatial] with 1 to 3 spatial axes, got shape [{string.Join(", ", inputs.shape)}].");

        using IDisposable gradMode = options.InferenceMode ? inference_mode() : no_grad();
        using var scope = NewDisposeScope();
        var outputDevice = options.OutputDevice ?? inputs.device;
        var computeDevice = options.ComputeDevice ?? inputs.device;
        // MONAI computes in the input dtype; integer images are promoted to float32 so blending means something.
        var dtype = inputs.is_floating_point() ? inputs.dtype : ScalarType.Float32;
        if (inputs.dtype != dtype) inputs = inputs.to(dtype);

        int batch = (int)inputs.shape[0];
        int[] originalSize = inputs.shape.Skip(2).Select(s => (int)s).ToArray();
        int[] roi = options.ResolveRoi(originalSize);
        int[] imageSize = originalSize.Zip(roi, Math.Max).ToArray();
        int[] padBefore = originalSize.Zip(roi, (s, r) => Math.Max(r - s, 0) / 2).ToArray();
        if (imageSize.SequenceEqual(originalSize) is false)
            using (CpuProfile.Measure("sw pad input")) inputs = PadToSize(inputs, originalSize, imageSize, padBefore, options.PaddingValue);

        int[] intervals = WindowGrid.ScanIntervals(imageSize, roi, options.Overlap);
        var starts = WindowGrid.DensePatchStarts(imageSize, roi, intervals);
        Tensor importance;
        using (CpuProfile.Measure("sw importance map")) importance = ImportanceMap.Compute(roi, options.Mode, options.SigmaScale, outputDevice).to(dtype);

        Tensor? output = null;
        var weights = zeros(new long[] { 1, 1 }.Concat(imageSize.Select(s => (long)s)).ToArray(), dtype, outputDevice);
        int total = starts.Count * batch;
        bool auto = options.SwBatchSize == SlidingWindowOptions.AutoSwBatch;
        int swBatch = auto ? 1 : options.SwBatchSize;
        long? measuring = auto ? SwBatchPlanner.StartMeasuring(computeDevice) : null;
        for (int first = 0; first < total; first += swBatch)
        {
            if (auto && first == 1) swBatch = SwBatchPlanner.Choose(measuring, total - 1); // after the first window alone
            int count = Math.Min(swBatch, total - first);
            // One scope per predictor call keeps memory flat however many windows there are.
            using var windowScope = NewDisposeScope();
            var extract = CpuProfile.Measure("sw extract windows");
            var windows = new Tensor[count];
            for (int w = 0; w < count; w++)
            {
                int index = first + w;
                windows[w] = inputs.index(WindowIndex(index / starts.Count, starts[index % starts.Count], roi));
            }
            var windowData = cat(windows, 0).to(computeDevice);
            extract.Dispose();
            Tensor prediction;
            using (CpuProfile.Measure("sw predictor (network)")) prediction = predictor(windowData);
            using var accumulate = CpuProfile.Measure("sw accumulate");
            CheckPrediction(prediction, count, roi);
            prediction = prediction.to(dtype).to(outputDevice);

            if (output is null)
            {
                long[] outputShape = new long[] { batch, prediction.shape[1] }.Concat(imageSize.Select(s => (long)s)).ToArray();
                output = zeros(outputShape, dtype, outputDevice).MoveToOuterDisposeScope();
            }
            for (int w = 0; w < count; w++)
            {
                int index = first + w;
                var start = starts[index % starts.Count];
                int batchIndex = index / starts.Count;
                output.index(WindowIndex(batchIndex, start, roi)).add_(prediction[w].unsqueeze(0) * importance, ScalarSafe.One);
                // Every image of the batch shares one weight map; count each window position once.
                if (batchIndex == 0) weights.index(WindowIndex(0, start, roi)).add_(importance, ScalarSafe.One);
            }
        }

        SwBatchUsed = swBatch;
        using var finish = CpuProfile.Measure("sw divide + crop");
        output!.div_(weights);
        var cropped = output.index(CropIndex(originalSize, padBefore));
        return cropped.MoveToOuterDisposeScope();
    }

    private static Tensor PadToSize(Tensor inputs, int[] originalSize, int[] imageSize, int[] padBefore, double value)
    {
        // torch pad lists (before, after) pairs starting from the last axis.
        var pad = new List<long>();
        for (int d = originalSize.Length - 1; d >= 0; d--)
        {
            int diff = imageSize[d] - originalSize[d];
            pad.Add(padBefore[d]);
            pad.Add(diff - padBefore[d]);
        }
        return nn.functional.pad(inputs, pad.ToArray(), PaddingModes.Constant, value);
    }

    private static TensorIndex[] WindowIndex(int batchIndex, int[] start, int[] roi)
    {
        var index = new TensorIndex[2 + start.Length];
        index[0] = TensorIndex.Slice(batchIndex, batchIndex + 1);
        index[1] = TensorIndex.Colon;
        for (int d = 0; d < start.Length; d++)
            index[2 + d] = TensorIndex.Slice(start[d], start[d] + roi[d]);
        return index;
    }

    private static TensorIndex[] CropIndex(int[] originalSize, int[] padBefore)
    {
        var index = new TensorIndex[2 + originalSize.Length];
        index[0] = TensorIndex.Colon;
        index[1] = TensorIndex.Colon;
        for (int d = 0; d < originalSize.Length; d++)
            index[2 + d] = TensorIndex.Slice(padBefore[d], padBefore[d] + originalSize[d]);
        return index;
    }

    private static void CheckPrediction(Tensor prediction, int count, int[] roi)
    {
        bool ok = prediction.dim() == 2 + roi.Length && prediction.shape[0] == count
                  && prediction.shape.Skip(2).Select(s => (int)s).SequenceEqual(roi);
        if (!ok)
            throw new NotSupportedException(
                $"The predictor returned shape [{string.Join(", ", prediction.shape)}] for {count} window(s) of [{string.Join(", ", roi)}]; "
                + "expected [n, C_out, *roi] (outputs with a different spatial size are not supported).");
    }
}
