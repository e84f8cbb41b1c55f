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
        // A click while the circuit takes over the prerendered page can land on a replaced element: wait first.
        await WaitInteractiveAsync(page);
        await page.GetByTestId("logout").ClickAsync();
        await page.WaitForURLAsync(url => url.Contains("/Account/Login", StringComparison.OrdinalIgnoreCase), new() { Timeout = 30_000 });
    }

    /// <summary>A MudBlazor field's input (the data-testid may sit on the input or on its wrapper).</summary>
    public static ILocator Field(IPage page, string testId) =>
        page.Locator($"input[data-testid={testId}], [data-testid={testId}] input").First;

    /// <summary>Opens the MudSelect with <paramref name="testId"/> and picks the item whose text contains <paramref name="text"/>.</summary>
    public static async Task ChooseAsync(IPage page, string testId, string text)
    {
        await page.GetByTestId(testId).ClickAsync();
        await page.Locator(".mud-popover-open .mud-list-item", new() { HasText = text }).ClickAsync();
    }

    /// <summary>
    /// Turns a MudSwitch on and waits for the server's render to say so (aria-checked). Under load a click can be undone
    /// by a render still on its way from the previous field's change; then it clicks again.
    /// </summary>
    public static async Task SwitchOnAsync(IPage page, string testId)
    {
        var input = Field(page, testId);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            if (await input.GetAttributeAsync("aria-checked") == "true") return;
            await input.ClickAsync(new() { Force = true });
            try
            {
                await Expect(input).ToHaveAttributeAsync("aria-checked", "true", new() { Timeout = 3_000 });
                return;
            }
            catch (PlaywrightException) { }
        }
        await Expect(input).ToHaveAttributeAsync("aria-checked", "true");
    }

    /// <summary>Types into a MudBlazor field (Immediate="true" fields update the component on each input event).</summary>
    public static async Task SetFieldAsync(IPage page, string testId, string value)
    {
        var field = Field(page, testId);
        await field.FillAsync(value);
        await field.BlurAsync();
        await Expect(field).ToHaveValueAsync(value);
    }

    /// <summary>
    /// Fills the create form (AVS-DB, default paper-best spec apart from the given fields), waits until the
    /// preview follows the edits and Generate is enabled, then (unless told not to) presses Generate and waits for
    /// the dataset page. Returns the new dataset's id, or 0 when not submitted.
    /// </summary>
    public static async Task<int> CreateDatasetAsync(IPage page, string name, int count, int size, int shapesPerVolume, bool submit = true)
    {
        await page.GotoAsync("/datasets/new");
        await WaitInteractiveAsync(page);
        await SetFieldAsync(page, "create-name", name);
        await SetFieldAsync(page, "create-count", count.ToString());
        await SetFieldAsync(page, "create-size", size.ToString());
        await SetFieldAsync(page, "create-shapes", shapesPerVolume.ToString());
        // The preview of volume 0 re-renders after the edits: all requested shapes either placed or dropped.
        await Expect(page.GetByTestId("preview-shapes")).ToHaveAttributeAsync("data-requested", shapesPerVolume.ToString(), new() { Timeout = 30_000 });
        await Expect(page.GetByTestId("spec-errors")).ToHaveCountAsync(0);
        await Expect(page.GetByTestId("create-submit")).ToBeEnabledAsync();
        if (!submit) return 0;
        await page.GetByTestId("create-submit").ClickAsync();
        await page.WaitForURLAsync(url => System.Text.RegularExpressions.Regex.IsMatch(url, @"/datasets/\d+$"));
        await Expect(page.GetByTestId("dataset-name")).ToHaveTextAsync(name);
        return DatasetIdOf(page.Url);
    }

    /// <summary>The status the dataset page's chip shows ("Running", "Completed", ...).</summary>
    public static ILocator StatusChip(IPage page) => page.GetByTestId("status-chip").First;

    /// <summary>Volumes done as the dataset page's progress element says.</summary>
    public static async Task<int> VolumesDoneAsync(IPage page) =>
        int.Parse(await page.GetByTestId("progress").GetAttributeAsync("data-done") ?? "0");

    /// <summary>
    /// Queues a run over the HTTP API with the page's sign-in cookie (and the CSRF header the portal's scripts send);
    /// asserts 201 and returns the run's id.
    /// </summary>
    public static async Task<int> PostRunAsync(IPage page, string bodyJson)
    {
        var response = await page.APIRequest.PostAsync("/api/runs", new()
        {
            Data = bodyJson,
            Headers = new Dictionary<string, string> { ["Content-Type"] = "application/json", ["X-MedSeg-Request"] = "1" },
        });
        var text = await response.TextAsync();
        Assert.True(response.Status == 201, $"POST /api/runs answered {response.Status}: {text}");
        return System.Text.Json.JsonDocument.Parse(text).RootElement.GetProperty("id").GetInt32();
    }

    /// <summary>The dataset id of a /datasets/{id} URL.</summary>
    public static int DatasetIdOf(string url) => int.Parse(new Uri(url).Segments.Last().TrimEnd('/'));
}
