package dev.natsbus.test;

import io.nats.client.Connection;
import io.nats.client.NKey;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.security.SecureRandom;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

@Timeout(60)
class NatsAccountsTests {

	@Test
	void anImportedServiceAnswersAcrossAccountsAndNothingElseDoes() throws Exception {
		NKey shopKey = NKey.createUser(new SecureRandom());
		String shopPublicKey = new String(shopKey.getPublicKey());
		NatsAccounts accounts = NatsAccounts.builder()
			.account("QUOTES", account -> account.user("quotes-svc", "quotes-pw").exportService("quotes.>"))
			.account("SHOP", account -> account.nkeyUser(shopPublicKey).importService("QUOTES", "quotes.>"))
			.build();
		try (NatsServer server = NatsServer.builder().accounts(accounts).start();
				Connection service = Nats
					.connect(Clients.onceOptions(server.url()).userInfo("quotes-svc", "quotes-pw").build());
				Connection shop = Nats.connect(Clients.onceOptions(server.url())
					.authHandler(Nats.staticCredentials(null, shopKey.getSeed()))
					.build())) {
			Clients.upperCaseResponder(service, "quotes.get");
			Clients.upperCaseResponder(service, "internal.secret");
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(Clients.request(shop, "quotes.get", "acme")).isEqualTo("ACME"));
			assertThat(Clients.request(shop, "internal.secret", "peek")).isNull();
		}
	}

	@Test
	void aUserOfNoAccountIsRefused() {
		NatsAccounts accounts = NatsAccounts.builder().account("ONLY", account -> account.user("a", "pw")).build();
		try (NatsServer server = NatsServer.builder().accounts(accounts).start()) {
			Options options = Clients.onceOptions(server.url()).userInfo("a", "wrong").build();
			assertThatThrownBy(() -> Nats.connect(options)).hasMessageContaining("Authorization Violation");
		}
	}

	@Test
	void rendersAnAccountsBlock() {
		String config = NatsAccounts.builder()
			.account("A", account -> account.user("u", "p\"w").exportService("a.>"))
			.account("B", account -> account.importService("A", "a.>"))
			.build()
			.toConfig();
		assertThat(config).contains("A: {", "{ user: \"u\", password: \"p\\\"w\" }", "exports: [{ service: \"a.>\" }]",
				"imports: [{ service: { account: A, subject: \"a.>\" } }]");
	}

	@Test
	void mistakesFailBeforeTheServerStarts() {
		assertThatIllegalArgumentException().isThrownBy(() -> NatsAccounts.builder().account("bad name", a -> {
		}));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> NatsAccounts.builder().account("A", account -> account.nkeyUser("not-a-key")))
			.withMessageContaining("NKey");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> NatsAccounts.builder().account("A", account -> account.exportService("a b")));
		assertThatIllegalStateException()
			.isThrownBy(() -> NatsAccounts.builder().account("A", account -> account.importService("B", "x")).build())
			.withMessageContaining("account B, which is not defined");
		assertThatIllegalArgumentException().isThrownBy(() -> NatsAccounts.builder().account("A", a -> {
		}).account("A", a -> {
		})).withMessageContaining("twice");
	}

}
