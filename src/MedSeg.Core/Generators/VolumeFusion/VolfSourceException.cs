namespace MedSeg.Core.Generators.VolumeFusion;

/// <summary>A Volume Fusion source folder or file that cannot be used; the message names the file and the problem.</summary>
public sealed class VolfSourceException(string message, Exception? inner = null) : Exception(message, inner);
