namespace MedSeg.Web.Infrastructure;

/// <summary>
/// API errors as RFC 9457 ProblemDetails JSON with a sentence saying what is wrong. 404 = not there or not visible to the
/// caller's lab (existence is not revealed), 403 = visible but not the caller's to change, 409 = the state forbids it.
/// </summary>
public static class ApiProblems
{
    public static IResult NotFound(string detail) => Problem(StatusCodes.Status404NotFound, "Not Found", detail);

    public static IResult Forbidden(string detail) => Problem(StatusCodes.Status403Forbidden, "Forbidden", detail);

    public static IResult Conflict(string detail) => Problem(StatusCodes.Status409Conflict, "Conflict", detail);

    /// <summary>Several problems (e.g. every problem of an archive): <c>detail</c> is the first, <c>problems</c> lists all.</summary>
    public static IResult List(int status, IReadOnlyList<string> problems) =>
        Results.Problem(statusCode: status, detail: problems.FirstOrDefault(),
            extensions: new Dictionary<string, object?> { ["problems"] = problems });

    private static IResult Problem(int status, string title, string detail) =>
        Results.Problem(statusCode: status, title: title, detail: detail);
}
