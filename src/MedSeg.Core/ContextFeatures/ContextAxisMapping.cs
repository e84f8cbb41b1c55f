namespace MedSeg.Core.ContextFeatures;

/// <summary>
/// Which grid coordinate each of the three D2D-CNNs shifts by the fixed out-of-plane offset and which two offsets it
/// learns (ssl-methods-reference §3). Grid coordinates are grid_sample's (0 = x = W, 1 = y = H, 2 = z = D).
/// </summary>
public enum ContextAxisMapping
{
    /// <summary>The paper: the fixed ±[0.125, 0.25] shift along the thin (out-of-plane) axis, the two in-plane shifts learnt.</summary>
    Paper,

    /// <summary>
    /// The authors' notebook as written: networks 0 and 2 get the fixed shift in plane (x resp. z) and one learnt offset
    /// out of plane; REG2D always regresses the y and z offsets.
    /// </summary>
    Notebook,
}

/// <summary>For one D2D-CNN: the grid coordinates of its fixed shift, its heat-map offsets (rows, columns) and its REG2D targets.</summary>
/// <param name="Thin">The coordinate across the three planes (the patch's channels).</param>
/// <param name="Rows">The coordinate along the patch's rows (dim −2).</param>
/// <param name="Columns">The coordinate along the patch's columns (dim −1).</param>
public sealed record ContextAxisLayout(int Thin, int Rows, int Columns, int Fixed, int HeatRows, int HeatColumns, int Reg0, int Reg1)
{
    /// <summary>Network <paramref name="axis"/> (0: thin z, 1: thin y, 2: thin x, as in the notebook) under <paramref name="mapping"/>.</summary>
    public static ContextAxisLayout For(int axis, ContextAxisMapping mapping)
    {
        // Patch layouts of the notebook's meshgrids: the planes' rows run along the higher remaining coordinate.
        var (thin, rows, columns) = axis switch
        {
            0 => (2, 1, 0),
            1 => (1, 2, 0),
            2 => (0, 2, 1),
            _ => throw new ArgumentOutOfRangeException(nameof(axis), $"Axis must be 0, 1 or 2, got {axis}."),
        };
        if (mapping == ContextAxisMapping.Paper)
            return new ContextAxisLayout(thin, rows, columns, Fixed: thin, HeatRows: rows, HeatColumns: columns, Reg0: rows, Reg1: columns);
        // Notebook cells I–III: fixed offset on coordinate 0, 1, 2; heat map from the other two; REG2D on (1, 2).
        return axis switch
        {
            0 => new ContextAxisLayout(thin, rows, columns, Fixed: 0, HeatRows: 1, HeatColumns: 2, Reg0: 1, Reg1: 2),
            1 => new ContextAxisLayout(thin, rows, columns, Fixed: 1, HeatRows: 0, HeatColumns: 2, Reg0: 1, Reg1: 2),
            _ => new ContextAxisLayout(thin, rows, columns, Fixed: 2, HeatRows: 0, HeatColumns: 1, Reg0: 1, Reg1: 2),
        };
    }
}
