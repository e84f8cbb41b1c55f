using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MedSeg.Web.E2E.Harness;

/// <summary>What a user does in the portal's pages, by their data-testids (one place to change when pages change).</summary>
public static class PortalPages
{
    public const string Password = "E2e-passw0rd!";

    /// <summary>Blazor Server pages are prerendered: wait for the circuit (MainLayout's marker) before typing or clicking.</summary>
    public static Task WaitInteractiveAsync(IPage page) =>
        page.GetByTestId("interactive").WaitForAsync(new() { State = WaitForSelectorState.Attached, Timeout = 30_000 });

    /// <summary>Registers on the static Identity page; the portal signs the new user in and shows their name.</summary>
    public static async Task RegisterAsync(IPage page, string email, string password = Password)
    {
        await page.GotoAsync("/Account/Register");
        await page.GetByTestId("register-email").FillAsync(email);
        await page.GetByTestId("register-password").FillAsync(password);
        await page.GetByTestId("register-confirm-password").FillAsync(password);
        await page.GetByTestId("register-submit").ClickAsync();
        await Expect(page.GetByTestId("current-user")).ToHaveTextAsync(email, new() { Timeout = 30_000 });
    }

    public static async Task LoginAsync(IPage page, string email, string password = Password)
    {
        await page.GotoAsync("/Account/Login");
        await page.GetByTestId("login-email").FillAsync(email);
        await page.GetByTestId("login-password").FillAsync(password);
        await page.GetByTestId("login-submit").ClickAsync();
        await Expect(page.GetByTestId("current-user")).ToHaveTextAsync(email, new() { Timeout = 30_000 });
    }

    /// <summary>Logs out with the app bar button; pages then need sign-in again, so the browser lands on the login page.</summary>
    public static async Task LogoutAsync(IPage page)
    {
        await page.GetByTestId("logout").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase), new() { Timeout = 30_000 });
    }

    /// <summary>A MudBlazor field's input (the data-testid may sit on the input or on its wrapper).</summary>
    public static ILocator Field(IPage page, string testId) =>
        page.Locator($"input[data-testid={testId}], [data-testid={testId}] input").First;

    /// <summary>Types into a MudBlazor field (Immediate="true" fields update the component on each input event).</summary>
    public static async Task SetFieldAsync(IPage page, string testId, string value)
    {
        var field = Field(page, testId);
        await field.FillAsync(value);
        await field.BlurAsync();
        await Expect(field).ToHaveValueAsync(value);
    }

    /// <summary>The dataset id of a /datasets/{id} URL.</summary>
    public static int DatasetIdOf(string url) => int.Parse(new Uri(url).Segments.Last().TrimEnd('/'));
}
