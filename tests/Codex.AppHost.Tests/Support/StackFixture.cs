namespace Codex.AppHost.Tests;

/// <summary>A stack started once for a test class, with a client of its gateway; stopped after the class.</summary>
public abstract class StackFixture : IAsyncLifetime
{
    public CodexStack Stack { get; private set; } = null!;

    public CodexApi Api { get; private set; } = null!;

    protected abstract Task<CodexStack> StartAsync();

    public async ValueTask InitializeAsync()
    {
        Stack = await StartAsync();
        Api = new CodexApi(Stack.App.CreateHttpClient(ResourceNames.Services.Gateway));
    }

    public async ValueTask DisposeAsync()
    {
        Api?.Gateway.Dispose();
        if (Stack is not null)
        {
            await Stack.DisposeAsync();
        }
    }
}
