namespace Codex.Cms.Apis;

/// <summary>What CMS checks. The admin and user roles hold <c>cms.*</c>; a custom role can leave out approving or publishing.</summary>
public static class CmsPermissions
{
    public const string TypesRead = "cms.types.read";
    public const string TypesWrite = "cms.types.write";
    public const string ContentWrite = "cms.content.write";
    public const string ContentPublish = "cms.content.publish";

    /// <summary>Pages' working copies (the tree, drafts). Not a <c>read</c>: a <c>cms.read</c> key never sees drafts.</summary>
    public const string PagesPreview = "cms.pages.preview";
    public const string PagesWrite = "cms.pages.write";

    /// <summary>The media library and its files. A <c>cms.read</c> key holds the read: published items name the files.</summary>
    public const string MediaRead = "cms.media.read";
    public const string MediaWrite = "cms.media.write";

    /// <summary>Published content through the delivery API: a key scoped <c>cms.read</c> holds it.</summary>
    public const string DeliveryRead = "cms.delivery.read";

    /// <summary>
    /// Items' working copies: the items API (lists, versions, diffs) and the delivery API's preview. Not a <c>read</c>:
    /// a key scoped <c>cms.read</c> (every <c>cms.*.read</c>) never sees drafts.
    /// </summary>
    public const string ContentPreview = "cms.content.preview";

    /// <summary>Approves (publishes) or sends back an item in review.</summary>
    public const string ContentApprove = "cms.content.approve";
}
