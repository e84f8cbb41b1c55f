namespace MedSeg.Web.Infrastructure.Options;

/// <summary>Who may create an account. Default <see cref="InviteOnly"/>.</summary>
public enum RegistrationMode
{
    /// <summary>Nobody registers; the site administrator exists from <c>Setup</c> or the setup link.</summary>
    Closed,
    /// <summary>Only with an invitation link (lab, role, e-mail, expiry) from a PI or the site administrator.</summary>
    InviteOnly,
    /// <summary>Anyone reaching the page registers as a Member of the first lab (a closed network's choice).</summary>
    Open,
}

/// <summary>Accounts and sessions, bound from the <c>Accounts</c> section.</summary>
public sealed class AccountsOptions
{
    public const string SectionName = "Accounts";

    public RegistrationMode Registration { get; set; } = RegistrationMode.InviteOnly;

    /// <summary>
    /// Throw-away installs and test suites only: with <see cref="RegistrationMode.Open"/>, the first account to register
    /// becomes PI of the first lab (the old behaviour the security review flagged). Default false.
    /// </summary>
    public bool FirstAccountBecomesPI { get; set; }

    /// <summary>How long an invitation link works. Default 7 days; at most 90.</summary>
    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Failed sign-ins in a row before the account is locked. Default 5.</summary>
    public int MaxFailedSignIns { get; set; } = 5;

    /// <summary>How long a locked account stays locked. Default 15 minutes.</summary>
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How often a session cookie is checked against the account's security stamp (sign-out, password or role change
    /// end other sessions within this time). Default 0: every request.
    /// </summary>
    public TimeSpan SessionValidationInterval { get; set; } = TimeSpan.Zero;
}

/// <summary>The site administrator created at start-up, bound from the <c>Setup</c> section (e.g. <c>Setup__AdminEmail</c>).</summary>
public sealed class SetupOptions
{
    public const string SectionName = "Setup";

    public string? AdminEmail { get; set; }

    public string? AdminPassword { get; set; }
}
