// Saves bytes streamed from .NET (a DotNetStreamReference) as a file download: how the portal exports exactly the rows a
// page shows (its filter and selection live in the Blazor circuit, not in a URL).
export async function downloadFromStream(fileName, contentType, streamRef) {
    const buffer = await streamRef.arrayBuffer();
    const url = URL.createObjectURL(new Blob([buffer], { type: contentType }));
    const link = document.createElement('a');
    link.href = url;
    link.download = fileName;
    document.body.appendChild(link);
    link.click();
    link.remove();
    URL.revokeObjectURL(url);
}
