using MedSeg.Training.Networks;
using MedSeg.Web.Infrastructure.Options;
using Microsoft.AspNetCore.Components;

namespace MedSeg.Web.Features.Runs.Components.Methods;

/// <summary>What every method's fields component receives from the run form: the draft, the server's limits, a change callback.</summary>
public abstract class MethodFieldsBase : ComponentBase
{
    [Parameter, EditorRequired] public MethodDraft Draft { get; set; } = default!;
    [Parameter, EditorRequired] public LimitsOptions Limits { get; set; } = default!;
    [Parameter] public EventCallback Changed { get; set; }

    /// <summary>The networks of <paramref name="allowed"/> that <see cref="ModelFactory"/> builds, as select choices.</summary>
    protected static IReadOnlyList<(string, string)> Networks(params string[] allowed) =>
        [.. ModelFactory.Names.Where(n => allowed.Contains(n, StringComparer.OrdinalIgnoreCase)).Select(n => (n, n))];
}
