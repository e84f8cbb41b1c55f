using System.Globalization;
using Microsoft.AspNetCore.Components;

namespace MedSeg.Web.Components.Forms;

/// <summary>See NumberField.razor. <see cref="Describe"/> is the message logic, shared with tests.</summary>
public partial class NumberField<T>
{
    [Parameter, EditorRequired] public string Label { get; set; } = "";
    [Parameter] public T Value { get; set; }
    [Parameter] public EventCallback<T> ValueChanged { get; set; }
    [Parameter] public T? Min { get; set; }
    /// <summary>Every number a user can type has an upper bound: give the server's.</summary>
    [Parameter] public T? Max { get; set; }
    [Parameter] public string? HelperText { get; set; }
    [Parameter] public bool Disabled { get; set; }
    [Parameter] public string? Class { get; set; }
    /// <summary>The field's message, or null when valid: the form blocks submit while any field has one.</summary>
    [Parameter] public EventCallback<string?> ErrorChanged { get; set; }
    [Parameter(CaptureUnmatchedValues = true)] public Dictionary<string, object>? UserAttributes { get; set; }

    private string text = "";
    private string? error;
    private T lastValue;
    private bool initialised;

    private static bool IsInteger => typeof(T) != typeof(double) && typeof(T) != typeof(float) && typeof(T) != typeof(decimal);
    private string RangeText => Range(Min, Max);

    protected override async Task OnParametersSetAsync()
    {
        // The model changed from outside (a preset, a clone): show it. Otherwise keep the user's text as typed, even
        // when it is not (yet) a valid number: the model then keeps its last valid value.
        if (initialised && Value == lastValue) return;
        initialised = true;
        text = Value.ToString(null, CultureInfo.InvariantCulture);
        lastValue = Value;
        await SetErrorAsync(null);
    }

    private async Task OnTextChanged(string? value)
    {
        text = value ?? "";
        var (parsed, message) = Describe(Label, text, Min, Max);
        await SetErrorAsync(message);
        if (parsed is { } v && v != lastValue)
        {
            lastValue = v;
            await ValueChanged.InvokeAsync(v);
        }
    }

    private async Task SetErrorAsync(string? message)
    {
        if (message == error) return;
        error = message;
        await ErrorChanged.InvokeAsync(message);
    }

    /// <summary>The value <paramref name="input"/> stands for, or the message saying why it is not accepted.</summary>
    public static (T? Value, string? Error) Describe(string label, string? input, T? min, T? max)
    {
        var trimmed = (input ?? "").Trim();
        var kind = IsInteger ? "a whole number" : "a number";
        var range = Range(min, max);
        if (trimmed.Length == 0)
            return (null, $"{label} is required: enter {kind}{(range.Length > 0 ? " " + range : "")}.");
        var styles = IsInteger ? NumberStyles.Integer | NumberStyles.AllowThousands : NumberStyles.Float | NumberStyles.AllowThousands;
        if (!T.TryParse(trimmed, styles, CultureInfo.InvariantCulture, out var value))
        {
            var tooBig = IsInteger && System.Text.RegularExpressions.Regex.IsMatch(trimmed, @"^[+-]?[\d,]+$");
            return (null, tooBig
                ? $"{label}: {trimmed} is too large; enter {kind}{(range.Length > 0 ? " " + range : "")}."
                : $"{label}: '{trimmed}' is not {kind}{(range.Length > 0 ? "; allowed: " + Allowed(range) : "")}.");
        }
        if (!IsInteger && !double.IsFinite(double.CreateChecked(value)))
            return (null, $"{label}: '{trimmed}' is not a finite number.");
        if (min is { } lo && value < lo)
            return (null, $"{label} must be at least {Format(lo)} (got {Format(value)}).");
        if (max is { } hi && value > hi)
            return (null, $"{label} must be at most {Format(hi)} (got {Format(value)}).");
        return (value, null);
    }

    // "from 1 to 64" → "1 to 64", "of at most 10" → "at most 10": the range after "allowed:".
    private static string Allowed(string range) =>
        range.StartsWith("from ", StringComparison.Ordinal) ? range[5..] : range.StartsWith("of ", StringComparison.Ordinal) ? range[3..] : range;

    private static string Range(T? min, T? max) => (min, max) switch
    {
        ({ } lo, { } hi) => $"from {Format(lo)} to {Format(hi)}",
        ({ } lo, null) => $"of at least {Format(lo)}",
        (null, { } hi) => $"of at most {Format(hi)}",
        _ => "",
    };

    /// <summary>For messages: thousands separated whole numbers ("10,000"), the shortest round-trip form otherwise.</summary>
    private static string Format(T v) => IsInteger
        ? string.Format(CultureInfo.InvariantCulture, "{0:N0}", v)
        : v.ToString(null, CultureInfo.InvariantCulture);
}
