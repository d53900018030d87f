package dev.natsbus.autoconfigure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.nats.client.Options;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The options built for each pooled connection. These tests never connect: an options mistake
 * here would otherwise send a test, or an application, to whatever listens on localhost:4222.
 */
class NatsOptionsFactoryTests {

	@Test
	void noServerFailsRatherThanFallingBackToLocalhost() {
		NatsBusProperties properties = new NatsBusProperties();
		properties.setServers(new ArrayList<>());
		assertThatIllegalStateException().isThrownBy(() -> factory(properties).createAll())
			.withMessageContaining("natsbus.servers");
	}

	@Test
	void blankServersFailRatherThanFallingBackToLocalhost() {
		NatsBusProperties properties = new NatsBusProperties();
		properties.setServers(new ArrayList<>(Arrays.asList(" ", null)));
		assertThatIllegalStateException().isThrownBy(() -> factory(properties).createAll())
			.withMessageContaining("natsbus.servers");
	}

	@Test
	void eachSlotIsNamedAfterItsIndexAndUsesTheProperties() {
		NatsBusProperties properties = new NatsBusProperties();
		properties.setServers(List.of("nats://127.0.0.1:1", "nats://127.0.0.1:2"));
		properties.getPool().setSize(2);
		List<Options> all = factory(properties).createAll();
		assertThat(all).extracting(Options::getConnectionName).containsExactly("orders-0", "orders-1");
		assertThat(all.get(0).getServers()).extracting(Object::toString)
			.containsExactly("nats://127.0.0.1:1", "nats://127.0.0.1:2");
		assertThat(all.get(0).isReportNoResponders()).isTrue();
	}

	private static NatsOptionsFactory factory(NatsBusProperties properties) {
		return new NatsOptionsFactory(new PropertiesNatsBusConnectionDetails(properties), properties, List.of(),
				"orders");
	}

}
