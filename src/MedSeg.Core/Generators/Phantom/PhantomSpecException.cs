namespace MedSeg.Core.Generators.Phantom;

/// <summary>An invalid <see cref="AbdomenPhantomSpec"/>; the message names the source, field and value.</summary>
public sealed class PhantomSpecException(string message, Exception? inner = null) : ArgumentException(message, inner);
