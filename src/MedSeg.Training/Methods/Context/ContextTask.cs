namespace MedSeg.Training.Methods.Context;

/// <summary>The 2.5D context pretext task.</summary>
public enum ContextTask
{
    /// <summary>HeatNet predicts a 19×19 heat map of the in-plane offset; MSE against 10·exp(−15·d²).</summary>
    Heatmap,

    /// <summary>OffNet regresses the two in-plane offsets; L1.</summary>
    Reg2d,
}
