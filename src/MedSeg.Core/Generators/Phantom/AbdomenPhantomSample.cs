using MedSeg.Core.Volumes;

namespace MedSeg.Core.Generators.Phantom;

/// <summary>One generated phantom: int16 HU image, uint8 label map (same geometry), and what was drawn.</summary>
public sealed record AbdomenPhantomSample(Volume Image, Volume Label, AbdomenPhantomManifest Manifest);
