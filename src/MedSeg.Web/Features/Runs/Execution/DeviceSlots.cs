using TorchSharp;

namespace MedSeg.Web.Features.Runs.Execution;

/// <summary>The devices runs train on, one entry per concurrent run slot.</summary>
public static class DeviceSlots
{
    /// <summary>
    /// One slot per CUDA device ("cuda:0", "cuda:1", ...), or a single "cpu" slot without CUDA (a second CPU run would only
    /// halve the speed of both). <paramref name="maxConcurrentRuns"/> overrides the count; slots then cycle over the devices.
    /// </summary>
    public static string[] Resolve(int? maxConcurrentRuns)
    {
        var cudaCount = torch.cuda.is_available() ? torch.cuda.device_count() : 0;
        var devices = cudaCount > 0 ? Enumerable.Range(0, cudaCount).Select(i => $"cuda:{i}").ToArray() : ["cpu"];
        var count = Math.Max(1, maxConcurrentRuns ?? devices.Length);
        return [.. Enumerable.Range(0, count).Select(i => devices[i % devices.Length])];
    }
}
