package dev.natsbus.autoconfigure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.nats.client.Options;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The options built for each pooled connection. These tests never connect: an options
 * mistake here would otherwise send a test, or an application, to whatever listens on
 * localhost:4222.
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

	@Test
	void userInfoIsTakenOutOfTheUrlsSoThatJnatsNeverQuotesIt() {
		NatsBusProperties properties = new NatsBusProperties();
		properties.setServers(List.of("nats://bob:s3cret@127.0.0.1:1", "nats://bob:s3cret@127.0.0.1:2"));
		Options options = factory(properties).createAll().get(0);
		assertThat(options.getServers()).extracting(Object::toString)
			.containsExactly("nats://127.0.0.1:1", "nats://127.0.0.1:2");
		assertThat(options.getUsername()).isEqualTo("bob");
		assertThat(options.getPassword()).isEqualTo("s3cret");
	}

	@Test
	void differentUserInfoPerUrlFails() {
		NatsBusProperties properties = new NatsBusProperties();
		properties.setServers(List.of("nats://bob:s3cret@127.0.0.1:1", "nats://127.0.0.1:2"));
		assertThatIllegalStateException().isThrownBy(() -> factory(properties).createAll())
			.withMessageContaining("natsbus.servers carry different user info")
			.withMessageNotContaining("s3cret");
	}

	@Test
	void userInfoAndAnotherModeConflict() {
		NatsBusProperties properties = new NatsBusProperties();
		properties.setServers(List.of("nats://t0ken@127.0.0.1:1"));
		properties.setToken("other-t0ken");
		assertThatIllegalStateException().isThrownBy(() -> factory(properties).createAll())
			.withMessageContaining("user info in natsbus.servers and natsbus.token are both set")
			.withMessageNotContaining("t0ken@");
	}

	private static NatsOptionsFactory factory(NatsBusProperties properties) {
		return new NatsOptionsFactory(new PropertiesNatsBusConnectionDetails(properties), properties, List.of(),
				"orders");
	}

}
