using MedSeg.Core.Generators;
using MedSeg.Core.Generators.AvsDb;
using MedSeg.Core.Randomness;

namespace MedSeg.Core.Tests.Generators.AvsDb;

public class SliceOutlineTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Outline_band_matches_the_brute_force_definition(int width)
    {
        var rng = new DeterministicRandom(5);
        var outline = new SliceOutline();
        for (int trial = 0; trial < 40; trial++)
        {
            int w = rng.NextInt(1, 40), h = rng.NextInt(1, 40), stride = w + 3;
            var mask = new byte[stride * h];
            // Random blobs: a few filled discs, so there are runs, holes and thin parts.
            for (int b = 0; b < 4; b++)
            {
                double cx = rng.NextDouble(0, w), cy = rng.NextDouble(0, h), rad = rng.NextDouble(1, 12);
                for (int y = 0; y < h; y++)
                    for (int x = 0; x < w; x++)
                        if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= rad * rad) mask[y * stride + x] = 1;
            }
            var marked = (byte[])mask.Clone();
            outline.Mark(marked, stride, 0, 0, w - 1, h - 1, width);
            for (int y = 0; y < h; y++)
                for (int x = 0; x < w; x++)
                {
                    byte m = mask[y * stride + x];
                    if (m == 0) { Assert.Equal(0, marked[y * stride + x]); continue; }
                    bool nearOutside = false;
                    for (int dy = -width; dy <= width && !nearOutside; dy++)
                        for (int dx = -width; dx <= width; dx++)
                        {
                            int xx = x + dx, yy = y + dy;
                            if (xx < 0 || yy < 0 || xx >= w || yy >= h || mask[yy * stride + xx] == 0) { nearOutside = true; break; }
                        }
                    Assert.Equal(nearOutside ? ShapeRaster.OutlineInside : ShapeRaster.Inside, marked[y * stride + x]);
                }
        }
    }
}
