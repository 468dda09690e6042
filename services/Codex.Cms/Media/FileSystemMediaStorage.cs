using Microsoft.Extensions.Options;

namespace Codex.Cms.Media;

public sealed class MediaStorageOptions
{
    public const string Section = "Cms:Media";

    /// <summary>The file-system store's directory; the AppHost sets <c>.codex/media</c> at the repository root.</summary>
    public string? Root { get; set; }
}

/// <summary>
/// Media in a directory: for local runs and single-node hosting. A write goes to a temporary file first and is
/// moved into place, so a reader never sees half an object.
/// </summary>
public sealed class FileSystemMediaStorage(IOptions<MediaStorageOptions> options, IHostEnvironment environment) : IMediaStorage
{
    private readonly string _root = Path.GetFullPath(options.Value.Root is { Length: > 0 } root ? root : Path.Combine(environment.ContentRootPath, ".codex", "media"));

    public async Task WriteAsync(string key, Stream content, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Guid.NewGuid():N}.partial";
        try
        {
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous))
            {
                await content.CopyToAsync(file, cancellationToken);
                await file.FlushAsync(cancellationToken);
            }
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    public Task<Stream?> OpenReadAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        try
        {
            return Task.FromResult<Stream?>(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    public Task DeleteAsync(string key, CancellationToken cancellationToken)
    {
        File.Delete(PathOf(key));
        return Task.CompletedTask;
    }

    // Keys are CMS's own, but a key that would leave the root is refused all the same.
    private string PathOf(string key)
    {
        var path = Path.GetFullPath(Path.Combine(_root, key));
        return path.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path
            : throw new InvalidOperationException($"Media key '{key}' is outside the store.");
    }
}
