using MedSeg.Core.Generators.AvsDb;

namespace MedSeg.Core.Tests.Generators.AvsDb;

internal static class AvsDbTestSpecs
{
    /// <summary>Reference code's 32 classes at 48³ (sizes scaled by 48/96).</summary>
    public static AvsDbSpec Code48() => AvsDbSpec.CodeDefault(48);

    /// <summary>Replays a manifest: every placed shape rasterised again at its position, in placement order.</summary>
    public static (int[] owner, byte[] label) Replay(AvsDbSpec spec, VolumeManifest manifest, Action<ShapeRecord, long, long>? onShape = null)
    {
        int n = spec.VolumeSize;
        var owner = new int[n * n * n];
        Array.Fill(owner, -1);
        var label = new byte[n * n * n];
        var rasterizer = new ShapeRasterizer();
        for (int k = 0; k < manifest.Shapes.Count; k++)
        {
            var rec = manifest.Shapes[k];
            if (rec.Dropped) continue;
            using var raster = rasterizer.Rasterize(rec.Geometry, 0);
            Assert.Equal(rec.VoxelCount, raster.VoxelCount);
            Assert.Equal(rec.Size, new[] { raster.SizeX, raster.SizeY, raster.SizeZ });
            long shared = 0, own = 0;
            int[] p = rec.Position!;
            for (int z = 0; z < raster.SizeZ; z++)
                for (int y = 0; y < raster.SizeY; y++)
                    for (int x = 0; x < raster.SizeX; x++)
                    {
                        if (raster.Box[x + raster.SizeX * (y + raster.SizeY * z)] == 0) continue;
                        int i = p[0] + x + n * (p[1] + y + n * (p[2] + z));
                        own++;
                        if (owner[i] >= 0) shared++;
                        owner[i] = k;
                        label[i] = (byte)rec.ClassId;
                    }
            onShape?.Invoke(rec, shared, own);
        }
        return (owner, label);
    }
}
