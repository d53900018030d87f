package dev.natsbus.sample;

import java.util.List;

import dev.natsbus.autoconfigure.NatsBusConnectionDetails;
import dev.natsbus.test.NatsServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Runs the application against its own nats-server on a free port, started with the
 * context and stopped with it, so that {@code spring-boot:test-run} needs nothing but the
 * nats-server binary (on the PATH, or named by {@code NATS_SERVER_PATH}). The
 * {@link NatsBusConnectionDetails} bean takes precedence over {@code natsbus.servers}.
 */
@TestConfiguration(proxyBeanMethods = false)
public class DevNatsServerConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(DevNatsServerConfiguration.class);

	@Bean(destroyMethod = "close")
	NatsServer natsServer() {
		NatsServer server = NatsServer.builder().monitoring().start();
		logger.info("Started nats-server for development at {} (monitoring {})", server.url(), server.monitoringUrl());
		return server;
	}

	@Bean
	NatsBusConnectionDetails natsBusConnectionDetails(NatsServer natsServer) {
		return () -> List.of(natsServer.url());
	}

}
