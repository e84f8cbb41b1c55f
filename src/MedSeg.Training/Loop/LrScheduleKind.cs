using System.Text.Json.Serialization;

namespace MedSeg.Training.Loop;

/// <summary>The shared loop's learning-rate schedules: MONAI's warm-up cosine, or PyTorch's StepLR.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<LrScheduleKind>))]
public enum LrScheduleKind
{
    WarmupCosine,
    Step,
}
