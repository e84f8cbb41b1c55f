using MedSeg.Core.Generators.VolumeFusion;
using MedSeg.Core.Tests.Nifti;
using MedSeg.Core.Volumes;

namespace MedSeg.Core.Tests.Generators.VolumeFusion;

public class VolfSamplerTests
{
    private static VolfSourceSet Sources(int count, int sx = 40, int sy = 36, int sz = 20, VolfOptions? options = null) =>
        VolfSourceSet.FromVolumes(
            Enumerable.Range(0, count).Select(i => ($"c{i}", VolfSourcesFixture.Ramp(sx, sy, sz, i))).ToArray(),
            options ?? VolfOptions.Default);

    [Theory]
    [InlineData(VolfVariant.Paper)]
    [InlineData(VolfVariant.Pymic2024)]
    public void Fused_image_is_alpha_foreground_plus_one_minus_alpha_background_on_every_voxel(VolfVariant variant)
    {
        // Blocks small enough that a 16×24×32 sub-volume holds several whole ones (PyMIC 2024 fuses ⌊0.7 · blocks⌋).
        var options = new VolfOptions { Variant = variant, Size = [16, 24, 32], BoxSizeMax = [12, 20, 20], BlockSizeMin = [3, 4, 4], BlockSizeMax = [6, 8, 8] };
        var sampler = new VolfSampler(Sources(3), options, seed: 5);
        for (int i = 0; i < 5; i++)
        {
            var s = sampler.Generate(i);
            Assert.Equal(16 * 24 * 32, s.Image.Length);
            var seen = new HashSet<byte>();
            for (int v = 0; v < s.Image.Length; v++)
            {
                Assert.InRange(s.Label[v], 0, 4);
                seen.Add(s.Label[v]);
                double alpha = s.Label[v] / 4.0;
                Assert.True(Math.Abs(alpha * s.Foreground[v] + (1 - alpha) * s.Background[v] - s.Image[v]) <= 1e-6,
                    $"sample {i} voxel {v}: label {s.Label[v]} fg {s.Foreground[v]} bg {s.Background[v]} fused {s.Image[v]}");
            }
            Assert.Contains((byte)0, seen);
            Assert.True(seen.Count > 1, "some voxels must be fused");
            // Background and foreground really differ (else the identity is trivial).
            Assert.Contains(Enumerable.Range(0, s.Image.Length), v => Math.Abs(s.Foreground[v] - s.Background[v]) > 1e-3);
        }
    }

    [Fact]
    public void Paper_boxes_stay_in_the_configured_ranges_over_200_samples_and_paint_the_label_map_in_order()
    {
        var options = new VolfOptions { Size = [24, 40, 40], BoxCountMin = 3, BoxCountMax = 9, BoxSizeMin = [2, 4, 6], BoxSizeMax = [10, 20, 30] };
        var sampler = new VolfSampler(Sources(4), options, seed: 11);
        var counts = new HashSet<int>();
        var sizes = new HashSet<int>[] { [], [], [] };
        var labels = new HashSet<int>();
        for (int i = 0; i < 200; i++)
        {
            var s = sampler.Generate(i);
            var boxes = s.Manifest.Boxes;
            Assert.InRange(boxes.Length, 3, 9);
            counts.Add(boxes.Length);
            Assert.NotEqual(s.Manifest.Background.Case, s.Manifest.Foreground.Case);
            var expected = new byte[s.Label.Length];
            foreach (var b in boxes)
            {
                Assert.InRange(b.Label, 1, 4);
                labels.Add(b.Label);
                for (int a = 0; a < 3; a++)
                {
                    Assert.InRange(b.Size[a], options.BoxSizeMin[a], options.BoxSizeMax[a]);
                    Assert.InRange(b.Centre[a], 0, options.Size[a] - 1);
                    Assert.Equal(Math.Max(0, b.Centre[a] - b.Size[a] / 2), b.Start[a]);
                    Assert.Equal(Math.Min(options.Size[a], b.Centre[a] - b.Size[a] / 2 + b.Size[a]), b.End[a]);
                    sizes[a].Add(b.Size[a]);
                }
                for (int z = b.Start[0]; z < b.End[0]; z++)
                for (int y = b.Start[1]; y < b.End[1]; y++)
                for (int x = b.Start[2]; x < b.End[2]; x++)
                    expected[x + 40 * (y + 40 * z)] = (byte)b.Label;
            }
            Assert.Equal(expected, s.Label);
        }
        // The whole inclusive ranges are drawn (randint semantics), not just a part of them.
        Assert.Equal(Enumerable.Range(3, 7), counts.Order());
        Assert.Equal(Enumerable.Range(1, 4), labels.Order());
        for (int a = 0; a < 3; a++)
            Assert.Equal(Enumerable.Range(options.BoxSizeMin[a], options.BoxSizeMax[a] - options.BoxSizeMin[a] + 1), sizes[a].Order());
    }

    [Fact]
    public void Pymic2024_fuses_exactly_70_percent_of_the_whole_blocks_of_one_grid_and_leaves_the_margin_unlabelled()
    {
        var options = new VolfOptions { Variant = VolfVariant.Pymic2024, Size = [20, 32, 32] };
        var sampler = new VolfSampler(Sources(2), options, seed: 3);
        var offsets = new HashSet<int>();
        for (int i = 0; i < 200; i++)
        {
            var s = sampler.Generate(i);
            Assert.Equal(s.Manifest.Background.Case, s.Manifest.Foreground.Case); // two views of one volume
            if (s.Manifest.Boxes.Length == 0)
            {
                // A single whole block: ⌊1 · 0.7⌋ = 0 fused (as PyMIC), the label map is all background.
                Assert.All(s.Label, l => Assert.Equal(0, l));
                continue;
            }
            var block = s.Manifest.Boxes[0].Size;
            var offset = new int[3];
            int blocks = 1;
            for (int a = 0; a < 3; a++)
            {
                Assert.InRange(block[a], options.BlockSizeMin[a], Math.Min(options.BlockSizeMax[a], options.Size[a]));
                offset[a] = s.Manifest.Boxes.Min(b => b.Start[a]) % block[a];
                Assert.InRange(offset[a], 0, options.Size[a] % block[a]); // PyMIC: randint(0, D mod db)
                blocks *= options.Size[a] / block[a];                      // whole blocks only
            }
            offsets.Add(offset[2]);
            Assert.Equal((int)(blocks * 0.7), s.Manifest.Boxes.Length); // exactly ⌊0.7 · blocks⌋, not about
            foreach (var b in s.Manifest.Boxes)
            {
                Assert.Equal(block, b.Size); // one block size per sample
                for (int a = 0; a < 3; a++)
                {
                    Assert.Equal(0, (b.Start[a] - offset[a]) % block[a]); // one grid
                    Assert.Equal(b.Start[a] + block[a], b.End[a]);         // never clipped
                    Assert.True(b.End[a] <= options.Size[a]);
                }
                Assert.InRange(b.Label, 1, options.FusionLevels);
            }
            // Voxels labelled = the fused blocks' voxels exactly: the margin outside whole blocks stays 0.
            long painted = s.Manifest.Boxes.Sum(b => (long)block[0] * block[1] * block[2]);
            Assert.Equal(painted, s.Label.LongCount(l => l != 0));
        }
        Assert.True(offsets.Count > 1, "the grid offset is random");
    }

    [Fact]
    public void Pymic2024_views_are_contrast_mapped_to_0_1_gamma_mapped_and_inverted_together()
    {
        var options = new VolfOptions { Variant = VolfVariant.Pymic2024, Size = [16, 24, 24] };
        var sources = Sources(2, sx: 20, sy: 20, sz: 12); // smaller than the sub-volume in x and y: views are never padded
        var sampler = new VolfSampler(sources, options, seed: 11);
        int inverted = 0;
        for (int i = 0; i < 60; i++)
        {
            var s = sampler.Generate(i);
            var (bg, fg) = (s.Manifest.Background, s.Manifest.Foreground);
            Assert.Equal(bg.Inverted, fg.Inverted); // one draw for both views
            if (bg.Inverted) inverted++;
            foreach (var crop in new[] { bg, fg })
            {
                Assert.InRange(crop.ContrastLow!.Value, 0.1, 2.0);
                Assert.InRange(crop.ContrastHigh!.Value, 98, 99.9);
                Assert.InRange(crop.Gamma, 0.7, 1.5);
                int[] shape = [12, 20, 20];
                for (int a = 0; a < 3; a++)
                {
                    Assert.InRange(crop.Extent[a], 1, shape[a]);
                    Assert.InRange(crop.Origin[a], 0, shape[a] - crop.Extent[a]);
                    Assert.InRange(crop.Extent[a], Math.Min(shape[a], (int)(options.Size[a] * 0.7)), Math.Min(shape[a], (int)(options.Size[a] * 1.5)));
                }
            }
            foreach (var view in new[] { s.Background, s.Foreground })
            {
                // Clipped at the percentiles and rescaled: the view spans exactly 0..1 (inverted or not).
                Assert.Equal(0f, view.Min());
                Assert.Equal(1f, view.Max());
            }
        }
        Assert.InRange(inverted, 5, 27); // p 0.25 of 60
    }

    [Fact]
    public void Contrast_map_clips_at_numpy_percentiles_and_a_flat_view_becomes_zeros()
    {
        // numpy.percentile([0..10], 5) = 0.5, numpy.percentile([0..10], 95) = 9.5 (linear).
        var sorted = Enumerable.Range(0, 11).Select(i => (float)i).ToArray();
        Assert.Equal(0.5, VolfIntensity.Percentile(sorted, 5), 12);
        Assert.Equal(9.5, VolfIntensity.Percentile(sorted, 95), 12);
        var v = new float[] { 10, 0, 5, 3, 7, 1, 2, 4, 6, 8, 9 };
        VolfIntensity.ContrastMap(v, 5, 95);
        Assert.Equal(1f, v[0]);                     // 10 clipped to 9.5
        Assert.Equal(0f, v[1]);                     // 0 clipped to 0.5
        Assert.Equal(4.5f / 9f, v[2], 6);           // (5 − 0.5) / 9
        var flat = Enumerable.Repeat(3f, 8).ToArray();
        VolfIntensity.ContrastMap(flat, 1, 99);
        Assert.All(flat, x => Assert.Equal(0f, x));
        var g = new float[] { 0.25f, 1f, 0f };
        VolfIntensity.Gamma(g, 0.5);
        Assert.Equal([0.5f, 1f, 0f], g);
    }

    [Fact]
    public void Same_seed_and_index_give_the_same_sample_and_other_seeds_differ()
    {
        var options = new VolfOptions { Size = [16, 16, 16], BoxSizeMax = [8, 8, 8] };
        var a = new VolfSampler(Sources(3), options, 9).Generate(7);
        var b = new VolfSampler(Sources(3), options, 9).Generate(7);
        var c = new VolfSampler(Sources(3), options, 10).Generate(7);
        Assert.Equal(a.Image, b.Image);
        Assert.Equal(a.Label, b.Label);
        Assert.NotEqual(a.Label, c.Label);
    }

    [Fact]
    public void A_source_smaller_than_the_sub_volume_is_centred_and_padded_with_its_normalised_minimum()
    {
        var options = new VolfOptions { Size = [16, 16, 16], BoxCountMin = 0, BoxCountMax = 0, RandomFlips = false };
        var sources = Sources(2, sx: 10, sy: 16, sz: 30); // x too small, y exact, z larger
        var s = new VolfSampler(sources, options, 1).Generate(0);
        Assert.Equal(-3, s.Manifest.Background.Origin[2]);
        Assert.Equal(0, s.Manifest.Background.Origin[1]);
        Assert.InRange(s.Manifest.Background.Origin[0], 0, 14);
        var src = sources.Get(sources.Cases.ToList().IndexOf(s.Manifest.Background.Case));
        Assert.Equal(src.Voxels.Min(), src.Minimum);
        for (int z = 0; z < 16; z++)
        for (int y = 0; y < 16; y++)
        for (int x = 0; x < 16; x++)
        {
            int sxp = x - 3;
            float expected = sxp < 0 || sxp >= 10 ? src.Minimum : src.At(z + s.Manifest.Background.Origin[0], y, sxp);
            Assert.Equal(expected, s.Background[x + 16 * (y + 16 * z)]);
        }
        Assert.All(s.Label, l => Assert.Equal(0, l));
        Assert.Equal(s.Background, s.Image);
    }

    [Fact]
    public void Normalisation_rules_window_to_0_1_or_z_score_and_a_constant_volume_becomes_zeros()
    {
        var v = VolfSourcesFixture.Ramp(8, 8, 8, 0);
        var window = VolfNormaliser.Normalise("w", v, VolfOptions.Default);
        Assert.All(window.Voxels, x => Assert.InRange(x, 0f, 1f));
        Assert.Equal((v.GetDouble(100) + 175) / 425, window.Voxels[100], 5);

        var z = VolfNormaliser.Normalise("z", v, new VolfOptions { Normalisation = VolfNormalisation.ZScore });
        Assert.Equal(0, z.Voxels.Average(x => (double)x), 4);
        Assert.Equal(1, Math.Sqrt(z.Voxels.Average(x => (double)x * x)), 3);

        var constant = new Volume(4, 4, 4, Enumerable.Repeat(42f, 64).ToArray());
        Assert.All(VolfNormaliser.Normalise("c", constant, new VolfOptions { Normalisation = VolfNormalisation.ZScore }).Voxels, x => Assert.Equal(0f, x));
    }

    [Fact]
    public void A_source_with_NaN_voxels_is_refused_naming_the_case()
    {
        var data = Enumerable.Repeat(1f, 64).ToArray();
        data[5] = float.NaN;
        var e = Assert.Throws<VolfSourceException>(() => VolfNormaliser.Normalise("bad_case", new Volume(4, 4, 4, data), VolfOptions.Default));
        Assert.Contains("bad_case", e.Message);
        Assert.Contains("NaN", e.Message);
    }

    [Fact]
    public void Options_problems_name_field_value_and_limit_and_json_round_trips()
    {
        var bad = new VolfOptions { Size = [64, 0, 1000], Classes = 1, BoxCountMin = 5, BoxCountMax = 2, BoxSizeMin = [8, 8, 8], BoxSizeMax = [4, 8, 8], FusedFraction = 1.5 };
        var p = bad.Problems();
        Assert.Contains(p, m => m.Contains("size[1]") && m.Contains("4..512") && m.Contains("got 0"));
        Assert.Contains(p, m => m.Contains("size[2]") && m.Contains("got 1000"));
        Assert.Contains(p, m => m.Contains("classes") && m.Contains("got 1"));
        Assert.Contains(p, m => m.Contains("boxCountMax") && m.Contains("got 2"));
        Assert.Contains(p, m => m.Contains("boxSizeMax[0]") && m.Contains("got 4"));
        Assert.Contains(p, m => m.Contains("fusedFraction") && m.Contains("1.5"));
        Assert.Empty(VolfOptions.Default.Problems());
        Assert.Throws<ArgumentException>(() => new VolfSampler(Sources(1), bad, 0));

        var custom = new VolfOptions { Variant = VolfVariant.Pymic2024, Classes = 3, Size = [32, 48, 48], Normalisation = VolfNormalisation.ZScore };
        var json = custom.ToJson();
        Assert.Contains("\"pymic2024\"", json);
        var back = VolfOptions.FromJson(json);
        Assert.Equal(custom.Variant, back.Variant);
        Assert.Equal(custom.Size, back.Size);
        Assert.Equal(custom.Normalisation, back.Normalisation);
        Assert.Equal(2, back.FusionLevels);
    }
}
