namespace MedSeg.Training.Tests.Support;

/// <summary>Tests that must not run in parallel with any other test (process-wide measurements).</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialCollection
{
    public const string Name = "Serial (process-wide measurements)";
}
