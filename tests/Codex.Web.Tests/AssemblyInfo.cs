// One stack and one browser at a time: the machine has two cores, and pages wait on real servers.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: AssemblyFixture(typeof(Codex.Testing.SharedTestServers))]
