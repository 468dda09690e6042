// These tests stop RabbitMQ and count process-wide spans: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: AssemblyFixture(typeof(Codex.Messaging.Tests.Support.MessagingServers))]
