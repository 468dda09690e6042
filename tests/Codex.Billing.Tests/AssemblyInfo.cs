// The fixtures start real services on shared PostgreSQL and RabbitMQ: one test class at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: AssemblyFixture(typeof(Codex.Testing.SharedTestServers))]
