using MedSeg.Web.Components.Forms;

namespace MedSeg.Web.Tests.Components;

/// <summary>NumberField's messages: label, value and allowed range in the user's words; never a silent clamp.</summary>
public sealed class NumberFieldTests
{
    [Theory]
    [InlineData("16", 16, null)]
    [InlineData(" 1,000 ", 1000, null)]
    [InlineData("", null, "Steps is required: enter a whole number from 1 to 1,000,000.")]
    [InlineData("1e3", null, "Steps: '1e3' is not a whole number; allowed: 1 to 1,000,000.")]
    [InlineData("1000001", null, "Steps must be at most 1,000,000 (got 1,000,001).")]
    [InlineData("-5", null, "Steps must be at least 1 (got -5).")]
    public void Integer_field(string input, int? value, string? error)
    {
        var (parsed, message) = NumberField<int>.Describe("Steps", input, 1, 1_000_000);
        Assert.Equal(value, parsed);
        Assert.Equal(error, message);
    }

    [Theory]
    [InlineData("0.001", 0.001, null)]
    [InlineData("1e-4", 1e-4, null)]
    [InlineData("NaN", null, "Learning rate: 'NaN' is not a finite number.")]
    [InlineData("2", null, "Learning rate must be at most 1 (got 2).")]
    [InlineData("x", null, "Learning rate: 'x' is not a number; allowed: 0 to 1.")]
    public void Decimal_field(string input, double? value, string? error)
    {
        var (parsed, message) = NumberField<double>.Describe("Learning rate", input, 0, 1);
        Assert.Equal(value, parsed);
        Assert.Equal(error, message);
    }
}
