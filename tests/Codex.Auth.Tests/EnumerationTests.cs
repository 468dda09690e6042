using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Codex.Auth.Contracts;
using Codex.Testing.Auth;

namespace Codex.Auth.Tests;

/// <summary>
/// Sign-in and forgot-password never tell whether an email has an account: the same status, the same body
/// (but for the trace id) and about the same time. Times are medians of interleaved calls, each from an
/// address of its own, and are compared with a wide margin: skipping the password hash or the write for an
/// unknown email would be several times faster, far outside it.
/// </summary>
public sealed class EnumerationTests(AuthService auth) : IClassFixture<AuthService>
{
    private const int Rounds = 9;

    [Fact]
    public async Task Sign_in_answers_alike_for_an_unknown_email_and_a_wrong_password()
    {
        var tenant = await auth.CreateTenantAsync();
        var known = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            known.Add($"user{i}@{tenant}.test");
            await auth.CreateUserAsync(tenant, known[i], AuthService.TenantPassword, ["user"]);
        }

        var (knownAnswer, knownTime) = await MeasureAsync(i => ("/api/v1/auth/login", new LoginRequest(known[i % 4], "not-the-password-1", tenant)));
        var (unknownAnswer, unknownTime) = await MeasureAsync(i => ("/api/v1/auth/login", new LoginRequest($"nobody{i}@{tenant}.test", "not-the-password-1", tenant)));

        Assert.Equal(knownAnswer, unknownAnswer);
        Assert.Contains("401", knownAnswer, StringComparison.Ordinal);
        AssertSimilar(knownTime, unknownTime);
    }

    [Fact]
    public async Task Forgot_password_answers_alike_for_known_and_unknown_emails()
    {
        var tenant = await auth.CreateTenantAsync();
        var known = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            known.Add($"user{i}@{tenant}.test");
            await auth.CreateUserAsync(tenant, known[i], AuthService.TenantPassword, ["user"]);
        }

        var (knownAnswer, knownTime) = await MeasureAsync(i => ("/api/v1/auth/password/forgot", new ForgotPasswordRequest(known[i % 4], tenant)));
        var (unknownAnswer, unknownTime) = await MeasureAsync(i => ("/api/v1/auth/password/forgot", new ForgotPasswordRequest($"nobody{i}@{tenant}.test", tenant)));

        Assert.Equal(knownAnswer, unknownAnswer);
        Assert.Contains("202", knownAnswer, StringComparison.Ordinal);
        AssertSimilar(knownTime, unknownTime);
    }

    private static void AssertSimilar(TimeSpan known, TimeSpan unknown)
    {
        var ratio = unknown / known;
        Assert.True(ratio is > 0.5 and < 2, $"known email {known.TotalMilliseconds:F1} ms, unknown {unknown.TotalMilliseconds:F1} ms (median)");
    }

    /// <summary>Calls the route <see cref="Rounds"/> times (after one warm-up); answers the status and body seen, and the median time.</summary>
    private async Task<(string Answer, TimeSpan Median)> MeasureAsync<T>(Func<int, (string Path, T Body)> call)
    {
        var times = new List<TimeSpan>();
        var answers = new HashSet<string>();
        for (var i = -1; i < Rounds; i++)
        {
            var (path, body) = call(i + 1);
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
            request.Headers.Add("X-Forwarded-For", ThrottleTests.NewAddress());
            var clock = Stopwatch.StartNew();
            using var response = await auth.Client.SendAsync(request, TestContext.Current.CancellationToken);
            var text = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            clock.Stop();
            if (i >= 0)
            {
                times.Add(clock.Elapsed);
                answers.Add($"{(int)response.StatusCode} {response.Content.Headers.ContentType?.MediaType} {WithoutTrace(text)}");
            }
        }
        return (Assert.Single(answers), times.Order().ElementAt(times.Count / 2));
    }

    private static string WithoutTrace(string body)
    {
        if (body.Length == 0)
        {
            return body;
        }
        var json = JsonNode.Parse(body)!.AsObject();
        json.Remove("traceId");
        json.Remove("requestId");
        return json.ToJsonString(JsonSerializerOptions.Web);
    }
}
