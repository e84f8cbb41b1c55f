namespace MedSeg.Web.Features.Downstream;

/// <summary>An upload refused: the HTTP status that says why (400 request, 409 name taken, 413 too large, 422 content) and every problem.</summary>
public sealed class DownstreamImportException(int statusCode, IReadOnlyList<string> problems)
    : Exception(string.Join(" ", problems))
{
    public int StatusCode { get; } = statusCode;
    public IReadOnlyList<string> Problems { get; } = problems;
}
