namespace MedSeg.Web.Infrastructure;

/// <summary>The <c>problems</c> of an <see cref="ApiProblems.List"/> answer, as a client (a dialog, a test) reads it.</summary>
public sealed record ApiProblemList(IReadOnlyList<string> Problems);
