package dev.natsbus.test;

import io.nats.client.Connection;
import io.nats.client.Nats;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(60)
class NatsServerExtensionProgrammaticTests {

	@Nested
	class SingleServer {

		@RegisterExtension
		static NatsServerExtension nats = NatsServerExtension.server()
			.withMonitoring()
			.withConfig("authorization { token: \"t0ken\" }");

		@Test
		void exposesTheRunningServer(NatsServer injected) throws Exception {
			assertThat(nats.getServer()).isSameAs(injected);
			assertThat(nats.url()).isEqualTo(injected.url());
			assertThat(injected.monitoringUrl()).startsWith("http://127.0.0.1:");
			assertThatThrownBy(nats::getCluster).isInstanceOf(IllegalStateException.class);

			assertThatThrownBy(() -> Clients.connectOnce(nats.url())).isInstanceOf(IOException.class);
			try (Connection nc = Nats.connect(Clients.onceOptions(nats.url()).token("t0ken".toCharArray()).build())) {
				assertThat(nc.getStatus()).isEqualTo(Connection.Status.CONNECTED);
			}
		}

	}

	@Nested
	class Cluster {

		@RegisterExtension
		static NatsServerExtension nats = NatsServerExtension.cluster(2);

		@Test
		void exposesTheRunningCluster(NatsCluster injected) {
			assertThat(nats.getCluster()).isSameAs(injected);
			assertThat(nats.getServer()).isSameAs(injected.node(0));
			assertThat(nats.url()).isEqualTo(injected.urls().get(0) + "," + injected.urls().get(1));
		}

	}

	@Test
	void accessorsFailOutsideATestClassRun() {
		assertThatThrownBy(() -> NatsServerExtension.server().url()).isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("static");
	}

}
