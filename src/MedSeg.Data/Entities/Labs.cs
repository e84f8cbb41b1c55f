namespace MedSeg.Data.Entities;

/// <summary>Lab ids. A single-lab installation uses <see cref="Default"/>; the column exists so several labs can share a server later.</summary>
public static class Labs
{
    public const string Default = "default";
}
