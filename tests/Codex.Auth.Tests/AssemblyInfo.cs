// Each class starts its own Auth on its own database; running them one at a time keeps 2 cores usable.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: AssemblyFixture(typeof(Codex.Testing.SharedTestServers))]
