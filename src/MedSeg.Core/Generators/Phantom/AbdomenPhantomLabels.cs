namespace MedSeg.Core.Generators.Phantom;

/// <summary>Label ids of the SYNTHETIC abdominal phantom (0 = background), named as in BTCV-style datasets.</summary>
public static class AbdomenPhantomLabels
{
    public const byte Background = 0;
    public const byte Liver = 1;
    public const byte Spleen = 2;
    public const byte RightKidney = 3;
    public const byte LeftKidney = 4;
    public const byte Aorta = 5;

    /// <summary>Id → name, including background; the order of dataset.json's "labels".</summary>
    public static IReadOnlyList<(byte Id, string Name)> All { get; } =
    [
        (Background, "background"),
        (Liver, "liver"),
        (Spleen, "spleen"),
        (RightKidney, "right_kidney"),
        (LeftKidney, "left_kidney"),
        (Aorta, "aorta"),
    ];

    public static string NameOf(byte id) => All.FirstOrDefault(l => l.Id == id).Name
        ?? throw new ArgumentOutOfRangeException(nameof(id), id, "No phantom label with this id.");
}
