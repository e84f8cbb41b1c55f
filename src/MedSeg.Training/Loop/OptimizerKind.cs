using System.Text.Json.Serialization;

namespace MedSeg.Training.Loop;

/// <summary>The optimiser of the shared loop: AdamW (decoupled weight decay; FDSL, fine-tuning) or Adam (L2 weight decay; MIS-FM).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<OptimizerKind>))]
public enum OptimizerKind
{
    AdamW,
    Adam,
}
