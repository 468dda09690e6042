// OpenTelemetry listeners and ASP.NET Core's ActivitySource are process-wide: tests that count
// exported telemetry or stop shared servers must not overlap with others.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: AssemblyFixture(typeof(Codex.Testing.SharedTestServers))]
