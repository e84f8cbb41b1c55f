namespace MedSeg.Training.Data;

/// <summary>A patch size along x, y, z (voxels).</summary>
public readonly record struct CropSize(int X, int Y, int Z)
{
    public static CropSize Cube(int size) => new(size, size, size);

    public long Voxels => (long)X * Y * Z;

    /// <summary>Throws "crop 128 larger than volume 96 along x (sample 'x')" when the patch does not fit.</summary>
    public void EnsureFits(int sizeX, int sizeY, int sizeZ, string sample)
    {
        Check(X, sizeX, "x"); Check(Y, sizeY, "y"); Check(Z, sizeZ, "z");
        void Check(int crop, int size, string axis)
        {
            if (crop <= 0) throw new ArgumentException($"crop {crop} along {axis} must be positive");
            if (crop > size)
                throw new ArgumentException($"crop {crop} larger than volume {size} along {axis} (sample '{sample}')");
        }
    }

    public override string ToString() => X == Y && Y == Z ? $"{X}³" : $"{X}×{Y}×{Z}";
}
