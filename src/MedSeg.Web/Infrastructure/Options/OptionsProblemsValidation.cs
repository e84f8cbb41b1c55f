using Microsoft.Extensions.Options;

namespace MedSeg.Web.Infrastructure.Options;

/// <summary>
/// Start-up validation by an options class's own <c>Problems()</c>: the host refuses to start with each problem's text
/// (setting, value, limit) instead of a second, hand-written copy of the rule in a fixed message.
/// </summary>
public static class OptionsProblemsValidation
{
    public static OptionsBuilder<T> ValidateProblems<T>(this OptionsBuilder<T> builder, Func<T, IReadOnlyList<string>> problems) where T : class
    {
        builder.Services.AddSingleton<IValidateOptions<T>>(new Validator<T>(builder.Name, problems));
        return builder.ValidateOnStart();
    }

    private sealed class Validator<T>(string name, Func<T, IReadOnlyList<string>> problems) : IValidateOptions<T> where T : class
    {
        public ValidateOptionsResult Validate(string? optionsName, T options)
        {
            if (optionsName != name) return ValidateOptionsResult.Skip;
            var found = problems(options);
            return found.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(found);
        }
    }
}
