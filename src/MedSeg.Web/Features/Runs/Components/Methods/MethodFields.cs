namespace MedSeg.Web.Features.Runs.Components.Methods;

/// <summary>
/// The fields component each catalogue method brings to the run form (by method name); a method without one shows only the
/// common fields (steps, batch, learning rate, seed, checkpoints). Add a method's component here.
/// </summary>
public static class MethodFields
{
    private static readonly Dictionary<string, Type> Components = new()
    {
        ["volf"] = typeof(VolfFields),
        ["lwi"] = typeof(LwiFields),
        ["swin-ssl"] = typeof(SwinSslFields),
        ["context"] = typeof(ContextFields),
        ["doersch"] = typeof(DoerschFields),
    };

    public static Type? For(string method) => Components.GetValueOrDefault(method);
}
