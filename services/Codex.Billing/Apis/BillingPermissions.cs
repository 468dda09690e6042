namespace Codex.Billing.Apis;

/// <summary>What Billing checks. The admin role holds <c>billing.*</c>; a key for a metering client needs only <see cref="UsageWrite"/>.</summary>
public static class BillingPermissions
{
    public const string PlansRead = "billing.plans.read";
    public const string PlansWrite = "billing.plans.write";
    public const string SubscriptionsRead = "billing.subscriptions.read";
    public const string SubscriptionsWrite = "billing.subscriptions.write";
    public const string UsageRead = "billing.usage.read";
    public const string UsageWrite = "billing.usage.write";
    public const string InvoicesRead = "billing.invoices.read";
    public const string InvoicesWrite = "billing.invoices.write";
    public const string SettingsRead = "billing.settings.read";
    public const string SettingsWrite = "billing.settings.write";
    public const string WebhooksRead = "billing.webhooks.read";
    public const string WebhooksWrite = "billing.webhooks.write";
}
