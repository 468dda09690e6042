using System.Text.Json;
using Codex.Web.Api;
using Codex.Web.Components.Pages.Content;

namespace Codex.Web.Tests.Components;

public sealed class ContentFormTests
{
    private static readonly CmsType Article = new(Guid.NewGuid(), "article", "Article", null, false,
    [
        new CmsField("title", "text", Required: true),
        new CmsField("rating", "number"),
        new CmsField("featured", "boolean"),
        new CmsField("sections", "component", Fields: [new CmsField("heading", "text")]),
        new CmsField("body", "richText"),
    ], 1);

    [Fact]
    public void Each_kind_reads_as_its_json_and_an_empty_field_is_left_out()
    {
        var (data, errors) = ContentForm.Read(Article, new Dictionary<string, string?>
        {
            ["title"] = "  Hello  ", ["rating"] = "4.5", ["featured"] = "true", ["sections"] = """[{"heading":"One"}]""", ["body"] = "",
        });

        Assert.Empty(errors);
        Assert.Equal("""{"title":"Hello","rating":4.5,"featured":true,"sections":[{"heading":"One"}]}""", data.ToJsonString());
    }

    [Fact]
    public void A_number_that_is_not_one_goes_to_cms_as_typed_and_bad_json_is_named_here()
    {
        var (data, errors) = ContentForm.Read(Article, new Dictionary<string, string?> { ["rating"] = "lots", ["sections"] = "[{" });

        Assert.Equal("lots", data["rating"]!.GetValue<string>());
        Assert.False(data["featured"]!.GetValue<bool>());   // an unticked box is false, not missing
        Assert.Equal(["sections: not valid JSON."], errors);
    }

    [Fact]
    public void Stored_data_fills_the_form_and_reads_back_the_same()
    {
        var stored = JsonSerializer.SerializeToElement(new { title = "Hello", rating = 3, featured = true, sections = new[] { new { heading = "One" } } });

        var values = ContentForm.Values(Article, stored);
        var (data, errors) = ContentForm.Read(Article, values.ToDictionary(v => v.Key, v => (string?)v.Value));

        Assert.Equal("3", values["rating"]);
        Assert.Empty(errors);
        Assert.True(JsonElement.DeepEquals(stored, JsonSerializer.SerializeToElement(data)));
    }
}
