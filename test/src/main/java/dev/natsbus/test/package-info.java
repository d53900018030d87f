/**
 * Test support that runs real {@code nats-server} processes on loopback:
 * {@link dev.natsbus.test.NatsServer} (with the hard faults kill, freeze/thaw and lame
 * duck), {@link dev.natsbus.test.NatsCluster}, {@link dev.natsbus.test.NatsSuperCluster}
 * (clusters joined by gateways), leaf nodes, {@link dev.natsbus.test.NatsAccounts}, the
 * server's {@link dev.natsbus.test.NatsServerVersion} and
 * {@link dev.natsbus.test.RequiresNatsServer}, the JUnit 5
 * {@link dev.natsbus.test.NatsServerTest} annotation and its
 * {@link dev.natsbus.test.NatsServerExtension}, plus Spring test wiring of
 * {@code natsbus.servers}. No server outlives the JVM that started it.
 */
package dev.natsbus.test;
