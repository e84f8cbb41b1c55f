using MedSeg.Core.Metrics;
using MedSeg.Core.Nifti;
using MedSeg.Core.Preprocessing;
using MedSeg.Training.Inference;
using static TorchSharp.torch;

namespace MedSeg.Training.FineTune;

/// <summary>
/// Final evaluation: each case is predicted by <see cref="PreprocessedPredictor"/> (the same code as `medseg predict`
/// on a fine-tuned run: deterministic preprocessing without the foreground crop, sliding-window inference, argmax
/// back onto the original grid), written as NIfTI with the image's affine under predictions/, and scored against
/// the original label.
/// </summary>
public sealed class FineTuneEvaluator(PreprocessingOptions preprocessing, int classCount, IReadOnlyDictionary<int, string> names, double overlap,
    Layout.AxisOrder axisOrder = Layout.AxisOrder.Zyx)
{
    public (IReadOnlyList<CaseEvaluation> Cases, IReadOnlyList<ClassScore> MeanPerClass) Evaluate(
        nn.Module<Tensor, Tensor> model, Device device, IReadOnlyList<FineTuneCase> cases, string predictionsDir)
    {
        Directory.CreateDirectory(predictionsDir);
        var predictor = new PreprocessedPredictor(model, preprocessing, SlidingWindowValidator.Options(preprocessing.PatchSize, overlap, device), axisOrder);
        var classes = Enumerable.Range(1, Math.Max(1, classCount - 1)).ToList();
        var options = new EvaluationOptions { Classes = classes };
        var results = new List<CaseEvaluation>();
        foreach (var c in cases)
        {
            var image = NiftiReader.Read(c.ImagePath);
            var label = NiftiReader.Read(c.LabelPath);
            var prediction = predictor.PredictLabels(image);
            var path = Path.Combine(predictionsDir, c.Id + ".nii.gz");
            NiftiWriter.Write(prediction, path);
            var report = SegmentationEvaluator.Evaluate(prediction, label, options, path, c.LabelPath);
            results.Add(new CaseEvaluation(c.Id, Path.GetRelativePath(Path.GetDirectoryName(predictionsDir)!, path),
                report.Classes.Select(m => new ClassScore(m.Label, NameOf(m.Label), m.Dice, m.Assd, m.Hd95)).ToList(),
                report.MeanDice, report.MeanAssd, report.MeanHd95));
        }
        var mean = classes.Select(k =>
        {
            var scores = results.Select(r => r.Classes.First(s => s.Label == k)).ToList();
            return new ClassScore(k, NameOf(k), NanAwareMean.Of(scores.Select(s => s.Dice)),
                NanAwareMean.Of(scores.Select(s => s.Assd)), NanAwareMean.Of(scores.Select(s => s.Hd95)));
        }).ToList();
        return (results, mean);
    }

    private string NameOf(int label) => names.TryGetValue(label, out var n) ? n : $"class {label}";
}
