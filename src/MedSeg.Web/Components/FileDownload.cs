using System.Text;
using Microsoft.JSInterop;

namespace MedSeg.Web.Components;

/// <summary>Sends a file built in the circuit to the browser as a download (<c>wwwroot/js/download.js</c>, streamed, no size limit of a message).</summary>
public static class FileDownload
{
    public const string ModuleUrl = "/js/download.js";

    public static async Task SaveTextAsync(IJSRuntime js, string fileName, string contentType, string text)
    {
        await using var module = await js.InvokeAsync<IJSObjectReference>("import", ModuleUrl);
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(text));
        using var reference = new DotNetStreamReference(stream);
        await module.InvokeVoidAsync("downloadFromStream", fileName, contentType, reference);
    }
}
