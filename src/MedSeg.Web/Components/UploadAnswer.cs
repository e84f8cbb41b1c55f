using System.Text.Json;
using MedSeg.Web.Infrastructure;

namespace MedSeg.Web.Components;

/// <summary>What wwwroot/js/upload.js resolves with: the HTTP status (0: no answer) and the body of the portal's answer.</summary>
public sealed record UploadAnswer(int Status, string Body)
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The <c>problems</c> of a refused upload, or one line saying what went wrong when the answer has none.</summary>
    public IReadOnlyList<string> Problems()
    {
        try
        {
            if (JsonSerializer.Deserialize<ApiProblemList>(Body, Json) is { Problems.Count: > 0 } list) return list.Problems;
        }
        catch (JsonException) { }
        return [Status == 0 ? "The upload failed: no answer from the portal." : $"The portal answered {Status}."];
    }
}
