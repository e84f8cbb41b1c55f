using System.Text.Json;
using MedSeg.Core.Nifti;
using MedSeg.Core.Volumes;

namespace MedSeg.Core.Tests.Datasets.Msd;

/// <summary>Writes tiny MSD- and nnU-Net-style dataset folders (8³ volumes) for the dataset tests.</summary>
internal static class MsdFixture
{
    public const int N = 8;

    public static Volume Image(int seed, double[]? affine = null, int sizeZ = N)
    {
        var random = new Random(seed);
        var v = Volume.Create<float>(N, N, sizeZ, [1, 1, 2], affine);
        var d = v.As<float>();
        for (int i = 0; i < d.Length; i++) d[i] = (float)random.NextDouble();
        return v;
    }

    /// <summary>Labels 0, 1, 2 (and <paramref name="extra"/> in one voxel when given).</summary>
    public static Volume Label(int? extra = null, double[]? affine = null, int sizeZ = N)
    {
        var v = Volume.Create<byte>(N, N, sizeZ, [1, 1, 2], affine);
        var d = v.As<byte>();
        for (int z = 2; z < 5; z++) for (int y = 2; y < 6; y++) for (int x = 2; x < 6; x++) d[v.Index(x, y, z)] = (byte)(x < 4 ? 1 : 2);
        if (extra is { } e) d[v.Index(7, 7, 7)] = (byte)e;
        return v;
    }

    public static string[] CaseIds(int count) => Enumerable.Range(1, count).Select(i => $"la_{i:000}").ToArray();

    /// <summary>An MSD Task folder: imagesTr/la_00k.nii.gz, labelsTr/la_00k.nii.gz, one test image, dataset.json.</summary>
    public static void WriteMsd(string root, int cases = 5)
    {
        Directory.CreateDirectory(Path.Combine(root, "imagesTr"));
        Directory.CreateDirectory(Path.Combine(root, "labelsTr"));
        Directory.CreateDirectory(Path.Combine(root, "imagesTs"));
        var ids = CaseIds(cases);
        for (int i = 0; i < ids.Length; i++)
        {
            NiftiWriter.Write(Image(i), Path.Combine(root, "imagesTr", ids[i] + ".nii.gz"));
            NiftiWriter.Write(Label(), Path.Combine(root, "labelsTr", ids[i] + ".nii.gz"));
        }
        NiftiWriter.Write(Image(99), Path.Combine(root, "imagesTs", "la_100.nii.gz"));
        File.WriteAllText(Path.Combine(root, "._la_001.nii.gz"), "macOS resource fork junk");
        File.WriteAllText(Path.Combine(root, "imagesTr", "._la_001.nii.gz"), "macOS resource fork junk");
        var json = new Dictionary<string, object>
        {
            ["name"] = "LeftAtrium",
            ["tensorImageSize"] = "3D",
            ["modality"] = new Dictionary<string, string> { ["0"] = "MRI" },
            ["labels"] = new Dictionary<string, string> { ["0"] = "background", ["1"] = "left", ["2"] = "right" },
            ["numTraining"] = cases,
            ["numTest"] = 1,
            ["training"] = ids.Select(id => new Dictionary<string, string> { ["image"] = $"./imagesTr/{id}.nii.gz", ["label"] = $"./labelsTr/{id}.nii.gz" }).ToArray(),
            ["test"] = new[] { "./imagesTs/la_100.nii.gz" },
        };
        File.WriteAllText(Path.Combine(root, "dataset.json"), JsonSerializer.Serialize(json));
    }

    /// <summary>An nnU-Net v2 folder with two channels: imagesTr/la_00k_0000.nii.gz, _0001, labelsTr/la_00k.nii.gz.</summary>
    public static void WriteNnUnet(string root, int cases = 3)
    {
        Directory.CreateDirectory(Path.Combine(root, "imagesTr"));
        Directory.CreateDirectory(Path.Combine(root, "labelsTr"));
        var ids = CaseIds(cases);
        for (int i = 0; i < ids.Length; i++)
        {
            NiftiWriter.Write(Image(i), Path.Combine(root, "imagesTr", ids[i] + "_0000.nii.gz"));
            NiftiWriter.Write(Image(i + 50), Path.Combine(root, "imagesTr", ids[i] + "_0001.nii.gz"));
            NiftiWriter.Write(Label(), Path.Combine(root, "labelsTr", ids[i] + ".nii.gz"));
        }
        File.WriteAllText(Path.Combine(root, "dataset.json"), $$"""
            {
              "channel_names": { "0": "T2", "1": "ADC" },
              "labels": { "background": 0, "left": 1, "right": 2 },
              "numTraining": {{cases}},
              "file_ending": ".nii.gz"
            }
            """);
    }

    public static void EditJson(string root, Func<string, string> edit)
    {
        string path = Path.Combine(root, "dataset.json");
        File.WriteAllText(path, edit(File.ReadAllText(path)));
    }
}
