package dev.natsbus.test;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.test.context.junit.jupiter.SpringJUnitConfig;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(60)
class SpringNatsServersPropertyTests {

	@Configuration(proxyBeanMethods = false)
	static class EmptyConfig {

	}

	/** Extension first: the server runs before Spring builds the context. */
	@Nested
	@NatsServerTest
	@SpringJUnitConfig(EmptyConfig.class)
	class NatsAnnotationFirst {

		@Autowired
		Environment environment;

		@Test
		void environmentPointsAtTheRunningServer(NatsServer server) {
			assertThat(environment.getProperty("natsbus.servers")).isEqualTo(server.url());
			assertThat(server.isRunning()).isTrue();
		}

	}

	/**
	 * Spring first: the customizer factory starts the server, the extension still owns
	 * stopping it.
	 */
	@Nested
	@SpringJUnitConfig(EmptyConfig.class)
	@NatsServerTest
	class SpringAnnotationFirst {

		@Value("${natsbus.servers}")
		String servers;

		@Test
		void environmentPointsAtTheRunningServer(NatsServer server) {
			assertThat(servers).isEqualTo(server.url());
			assertThat(server.isRunning()).isTrue();
		}

	}

	@Nested
	@SpringJUnitConfig(EmptyConfig.class)
	@NatsServerTest(cluster = 2, property = "custom.nats.url")
	class ClusterWithCustomProperty {

		@Autowired
		Environment environment;

		@Test
		void propertyListsAllNodes(NatsCluster cluster) {
			assertThat(environment.getProperty("custom.nats.url")).isEqualTo(String.join(",", cluster.urls()));
			assertThat(environment.getProperty("natsbus.servers")).isNull();
		}

	}

	@Nested
	class Customizer {

		@Test
		void equalityIncludesTheUrlSoCachedContextsAreNotReusedAcrossServers() {
			NatsServersContextCustomizer a = new NatsServersContextCustomizer("natsbus.servers", "nats://127.0.0.1:1");
			NatsServersContextCustomizer same = new NatsServersContextCustomizer("natsbus.servers",
					"nats://127.0.0.1:1");
			NatsServersContextCustomizer other = new NatsServersContextCustomizer("natsbus.servers",
					"nats://127.0.0.1:2");

			assertThat(a).isEqualTo(same).hasSameHashCodeAs(same).isNotEqualTo(other);
		}

		@Test
		void factoryIgnoresClassesWithoutTheAnnotation() {
			assertThat(new NatsServersContextCustomizerFactory().createContextCustomizer(EmptyConfig.class, List.of()))
				.isNull();
		}

	}

}
