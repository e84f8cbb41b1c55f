namespace MedSeg.Web.Infrastructure.Options;

/// <summary>Downstream dataset uploads, bound from the <c>Downstream</c> section.</summary>
public sealed class DownstreamOptions
{
    public const string SectionName = "Downstream";

    /// <summary>Largest archive a lab member may upload (bytes). Default 20 GiB (MSD Task03 Liver is ~27 GB: import it with the CLI).</summary>
    public long MaxUploadBytes { get; set; } = 20L << 30;
}
