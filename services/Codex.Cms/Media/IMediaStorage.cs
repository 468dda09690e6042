namespace Codex.Cms.Media;

/// <summary>
/// Where media bytes live, by key (<c>{tenant}/{media id}/original</c>). Keys are made by CMS, never by callers, and
/// an object is written once and never changed, so a reader may cache it for good.
/// </summary>
public interface IMediaStorage
{
    /// <summary>Stores <paramref name="content"/> (read to its end) under <paramref name="key"/>.</summary>
    Task WriteAsync(string key, Stream content, CancellationToken cancellationToken);

    /// <summary>The object's bytes, or null when there is none.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken);

    /// <summary>Removes the object; one that is not there is no error.</summary>
    Task DeleteAsync(string key, CancellationToken cancellationToken);
}
