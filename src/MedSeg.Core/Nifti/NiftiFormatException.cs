namespace MedSeg.Core.Nifti;

/// <summary>
/// A file is not a NIfTI-1 volume this library can read (or a volume cannot be written as one).
/// The message always starts with the file name, then says what is wrong, e.g.
/// "brain.nii.gz: data ends after 1,234 of 8,000 bytes".
/// </summary>
public sealed class NiftiFormatException : Exception
{
    public NiftiFormatException(string path, string problem, Exception? inner = null)
        : base($"{Path.GetFileName(path)}: {problem}", inner)
    {
        FilePath = path;
        Problem = problem;
    }

    /// <summary>The file as given by the caller.</summary>
    public string FilePath { get; }

    /// <summary>The problem alone, without the file name.</summary>
    public string Problem { get; }
}
