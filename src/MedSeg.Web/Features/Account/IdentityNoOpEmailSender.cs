using MedSeg.Data.Entities;
using Microsoft.AspNetCore.Identity;

namespace MedSeg.Web.Features.Account;

/// <summary>Local lab installs have no mail server: account e-mails are not sent (confirmation is not required).</summary>
internal sealed class IdentityNoOpEmailSender : IEmailSender<ApplicationUser>
{
    public Task SendConfirmationLinkAsync(ApplicationUser user, string email, string confirmationLink) => Task.CompletedTask;
    public Task SendPasswordResetLinkAsync(ApplicationUser user, string email, string resetLink) => Task.CompletedTask;
    public Task SendPasswordResetCodeAsync(ApplicationUser user, string email, string resetCode) => Task.CompletedTask;
}
