using MedSeg.Core.Volumes;

namespace MedSeg.Core.Generators.AvsDb;

/// <summary>One generated volume: float32 image, uint8 (int16 above 255 classes) label map, and its manifest.</summary>
public sealed record AvsDbSample(Volume Image, Volume Label, VolumeManifest Manifest);
