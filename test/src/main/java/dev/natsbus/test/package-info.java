/**
 * Test support that runs real {@code nats-server} processes on loopback:
 * {@link dev.natsbus.test.NatsServer}, {@link dev.natsbus.test.NatsCluster}, the JUnit 5
 * {@link dev.natsbus.test.NatsServerTest} annotation and its
 * {@link dev.natsbus.test.NatsServerExtension}, plus Spring test wiring of
 * {@code natsbus.servers}.
 */
package dev.natsbus.test;
