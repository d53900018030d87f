package dev.natsbus.reliability;

import java.security.SecureRandom;
import java.time.Duration;

import dev.natsbus.BusException;
import dev.natsbus.BusListener;
import dev.natsbus.BusNoRespondersException;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsAccounts;
import dev.natsbus.test.NatsServer;
import io.nats.client.NKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Two teams on one NATS deployment, kept apart by accounts: the quotes team's account
 * exports its {@code quotes.>} service, the shop's account imports it. Each application
 * authenticates as a user of its own account, as it would in production (the quotes
 * service with a user and password, the shop with an NKey).
 */
@Timeout(60)
class AccountTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(1);

	private static NatsServer server;

	private static ConfigurableApplicationContext quotesService;

	private static ConfigurableApplicationContext shop;

	@BeforeAll
	static void start() throws Exception {
		NKey shopKey = NKey.createUser(new SecureRandom());
		String shopPublicKey = new String(shopKey.getPublicKey());
		NatsAccounts accounts = NatsAccounts.builder()
			.account("QUOTES", account -> account.user("quotes-svc", "quotes-secret").exportService("quotes.>"))
			.account("SHOP", account -> account.nkeyUser(shopPublicKey).importService("QUOTES", "quotes.>"))
			.build();
		server = NatsServer.builder().accounts(accounts).start();
		quotesService = ReliabilityApps.start(server.url(), QuotesListeners.class,
				"spring.application.name=quotes-service", "natsbus.username=quotes-svc",
				"natsbus.password=quotes-secret");
		shop = ReliabilityApps.caller(server.url(), "spring.application.name=shop",
				"natsbus.nkey-seed=" + new String(shopKey.getSeed()));
	}

	@AfterAll
	static void stop() {
		shop.close();
		quotesService.close();
		server.close();
	}

	@Test
	void aCallerInOneAccountReachesAnExportedServiceOfAnother() {
		BusTemplate bus = shop.getBean(BusTemplate.class);
		await().atMost(Duration.ofSeconds(10))
			.ignoreExceptionsInstanceOf(BusNoRespondersException.class)
			.until(() -> bus.request("quotes.get", "ACME", String.class, TIMEOUT).equals("quote:ACME"));
		Tally tally = new Tally();
		for (int i = 0; i < 200; i++) {
			long start = System.nanoTime();
			try {
				assertThat(bus.request("quotes.get", "S" + i, String.class, TIMEOUT)).isEqualTo("quote:S" + i);
				tally.success(start);
			}
			catch (BusException ex) {
				tally.failure(start, ex);
			}
		}
		tally.report("Accounts: shop account calls the quotes account's exported quotes.> service",
				"user/password in one account, NKey in the other; replies cross back on their own");
		assertThat(tally.failedCount()).isZero();
	}

	@Test
	void aSubjectThatIsNotExportedHasNoResponders() {
		BusTemplate shopBus = shop.getBean(BusTemplate.class);
		BusTemplate quotesBus = quotesService.getBean(BusTemplate.class);
		// The listener runs and answers inside its own account ...
		assertThat(quotesBus.request("inventory.count", "ACME", String.class, TIMEOUT)).isEqualTo("count:ACME");
		// ... but the subject is not exported, so for the shop nobody listens on it.
		assertThatExceptionOfType(BusNoRespondersException.class)
			.isThrownBy(() -> shopBus.request("inventory.count", "ACME", String.class, TIMEOUT));
	}

	static class QuotesListeners {

		@BusListener(subject = "quotes.get", id = "quotes-get")
		String quote(String symbol) {
			return "quote:" + symbol;
		}

		@BusListener(subject = "inventory.count", id = "inventory-count")
		String count(String symbol) {
			return "count:" + symbol;
		}

	}

}
