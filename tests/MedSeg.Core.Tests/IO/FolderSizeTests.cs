using MedSeg.Core.IO;

namespace MedSeg.Core.Tests.IO;

public sealed class FolderSizeTests
{
    [Fact]
    public void Counts_flat_or_recursive_dot_files_included_links_not_followed_and_a_missing_folder_is_zero()
    {
        var root = Directory.CreateTempSubdirectory("medseg-foldersize-").FullName;
        try
        {
            File.WriteAllBytes(Path.Combine(root, "a.bin"), new byte[10]);
            File.WriteAllBytes(Path.Combine(root, ".hidden"), new byte[3]);
            Directory.CreateDirectory(Path.Combine(root, "sub"));
            File.WriteAllBytes(Path.Combine(root, "sub", "b.bin"), new byte[100]);
            // A link to the folder itself (a cycle if followed) and to a file: neither adds bytes.
            Directory.CreateSymbolicLink(Path.Combine(root, "sub", "loop"), root);
            File.CreateSymbolicLink(Path.Combine(root, "link.bin"), Path.Combine(root, "a.bin"));

            Assert.Equal(13, FolderSize.Of(root));
            Assert.Equal(113, FolderSize.Of(root, recursive: true));
            Assert.Equal(0, FolderSize.Of(Path.Combine(root, "absent")));
        }
        finally { Directory.Delete(root, recursive: true); }
    }

    /// <summary>
    /// A writer renaming temporaries while the folder is measured (the portal sizes a dataset while its volumes are written
    /// in parallel): listing then reading each length threw FileNotFoundException hundreds of times in 200,000 passes.
    /// </summary>
    [Fact]
    public void A_writer_renaming_temporaries_meanwhile_never_makes_it_throw_and_the_settled_file_always_counts()
    {
        var root = Directory.CreateTempSubdirectory("medseg-foldersize-race-").FullName;
        using var stop = new CancellationTokenSource();
        try
        {
            File.WriteAllBytes(Path.Combine(root, "kept.bin"), new byte[1000]);
            var writer = Task.Run(() =>
            {
                for (var i = 0; !stop.IsCancellationRequested; i++)
                {
                    var temporary = Path.Combine(root, $"v{i}.nii.gz.tmp-x");
                    File.WriteAllBytes(temporary, new byte[7]);
                    File.Move(temporary, Path.Combine(root, $"v{i}.nii.gz"));
                    File.Delete(Path.Combine(root, $"v{i}.nii.gz"));
                }
            });
            var passes = 0;
            var clock = System.Diagnostics.Stopwatch.StartNew();
            while (clock.Elapsed < TimeSpan.FromSeconds(3))
            {
                var size = FolderSize.Of(root, recursive: passes % 2 == 0);
                // The kept file always counts; besides it only a few 7-byte files (one name before and after its rename).
                Assert.InRange(size, 1000, 1000 + 3 * 7);
                passes++;
            }
            stop.Cancel();
            writer.Wait();
            Assert.True(passes > 100, $"only {passes} passes in 3 s");
        }
        finally
        {
            stop.Cancel();
            Directory.Delete(root, recursive: true);
        }
    }
}
