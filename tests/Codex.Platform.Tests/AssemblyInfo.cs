// One stack (Auth, Platform, the gateway) per class; one class at a time on 2 cores.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: AssemblyFixture(typeof(Codex.Testing.SharedTestServers))]
