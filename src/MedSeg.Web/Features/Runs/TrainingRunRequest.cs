namespace MedSeg.Web.Features.Runs;

/// <summary>What a user asks for when queueing a run (form or <c>POST /api/runs</c>).</summary>
/// <param name="ConfigJson">The method's options record as JSON (camelCase; for FDSL an <c>FdslOptions</c> object, e.g.
/// <c>{"model":"BasicUNet","crop":32,"steps":20}</c>); run-folder paths, resume, device and data paths in it are ignored:
/// the service sets them.</param>
/// <param name="DatasetId">A completed dataset of the user's lab; exclusive with <paramref name="SpecJson"/> and <paramref name="Downstream"/>.</param>
/// <param name="SpecJson">FDSL only: an AVS-DB spec for on-the-fly samples (seed from the config).</param>
/// <param name="Priority">Higher first; only a PI may set anything but 0.</param>
/// <param name="Method">A catalogue method name ("volf", "lwi", "swin-ssl", "context", "doersch", …); null or an FDSL name: FDSL.</param>
/// <param name="Downstream">Catalogue methods: an imported downstream dataset of the lab ("downstream/NAME") whose images the method reads.</param>
/// <param name="Backend">Where to run (<c>Local</c> / <c>Slurm</c>); null = the portal's <c>Training:Backend</c>.</param>
/// <param name="Cluster">Partition, GPUs, CPUs, memory and time limit for a Slurm run within the site's allowed values; null = the site's defaults.</param>
public sealed record TrainingRunRequest(
    string Name,
    string ConfigJson,
    int? DatasetId = null,
    string? SpecJson = null,
    string? Tags = null,
    int Priority = 0,
    string? Method = null,
    string? Downstream = null,
    string? Backend = null,
    Cluster.ClusterRequest? Cluster = null);
