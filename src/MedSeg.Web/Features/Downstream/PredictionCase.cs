namespace MedSeg.Web.Features.Downstream;

/// <summary>One case with a prediction file (and its files in the downstream dataset).</summary>
public sealed record PredictionCase(string Case, string ImagePath, string LabelPath, string PredictionPath);
