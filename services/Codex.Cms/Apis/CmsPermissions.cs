namespace Codex.Cms.Apis;

/// <summary>What CMS checks. The admin and user roles hold <c>cms.*</c>; a custom role can leave out approving or publishing.</summary>
public static class CmsPermissions
{
    public const string TypesRead = "cms.types.read";
    public const string TypesWrite = "cms.types.write";
    public const string ContentRead = "cms.content.read";
    public const string ContentWrite = "cms.content.write";
    public const string ContentPublish = "cms.content.publish";

    public const string PagesRead = "cms.pages.read";
    public const string PagesWrite = "cms.pages.write";

    /// <summary>Published content through the delivery API: a key scoped <c>cms.read</c> holds it.</summary>
    public const string DeliveryRead = "cms.delivery.read";

    /// <summary>Working copies through the delivery API. Not a <c>read</c>: a read-only key never sees drafts.</summary>
    public const string ContentPreview = "cms.content.preview";

    /// <summary>Approves (publishes) or sends back an item in review.</summary>
    public const string ContentApprove = "cms.content.approve";
}
