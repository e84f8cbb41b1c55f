namespace MedSeg.Web.Features.Runs.Components;

/// <summary>One run's per-class validation Dice for <see cref="ClassDiceTable"/>.</summary>
/// <param name="Title">Column heading (e.g. "#12").</param>
/// <param name="Names">Class names by id from <see cref="Features.Runs.RunClassNames"/>.</param>
/// <param name="Values">Dice by class id, background first; null = class absent from the validation data.</param>
public sealed record ClassDiceColumn(string Title, string? Color, IReadOnlyList<string> Names, IReadOnlyList<double?> Values);
