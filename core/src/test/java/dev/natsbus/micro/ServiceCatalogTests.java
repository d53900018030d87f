package dev.natsbus.micro;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import dev.natsbus.BusService;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.tuple;

/** How listeners become services and endpoints. */
class ServiceCatalogTests {

	private static final ServiceDefinition DEFAULT = new ServiceDefinition("app", "1.0.0", "the app",
			Map.of("region", "eu"));

	private static final Instant STARTED = Instant.parse("2025-01-02T03:04:05.123456789Z");

	private final ServiceCatalog catalog = new ServiceCatalog(DEFAULT, null);

	@Test
	void listenersOfPlainBeansFormTheDefaultService() {
		List<MicroService> services = services(
				new TestListeners().add("quoteHandlers", new Plain(), "get", "quotes.get", "q")
					.add("quoteHandlers", new Plain(), "list", "quotes.list", "workers"));
		assertThat(services).singleElement().satisfies(service -> {
			assertThat(service.definition()).isEqualTo(DEFAULT);
			assertThat(service.id()).isEqualTo("id-1");
			assertThat(service.started()).isEqualTo(STARTED);
			assertThat(service.endpoints())
				.extracting(MicroEndpoint::name, MicroEndpoint::subject, MicroEndpoint::queueGroup)
				.containsExactly(tuple("get", "quotes.get", "q"), tuple("list", "quotes.list", "workers"));
		});
	}

	@Test
	void busServiceBeansFormTheirOwnServiceWithTheDefaultVersionAndMetadata() {
		List<MicroService> services = services(new TestListeners().add("plain", new Plain(), "get", "quotes.get", "q")
			.add("billing", new Billing(), "charge", "billing.charge", "q")
			.add("refunds", new Refunds(), "refund", "billing.refund", "q"));
		assertThat(services).hasSize(3);
		assertThat(services.get(1).definition())
			.isEqualTo(new ServiceDefinition("billing", "2.1.0", "Charges cards", Map.of("region", "eu")));
		assertThat(services.get(1).endpoints()).extracting(MicroEndpoint::name).containsExactly("charge");
		assertThat(services.get(2).definition()).as("@BusService(\"refunds\"): value names it, version defaults")
			.isEqualTo(new ServiceDefinition("refunds", "1.0.0", "", Map.of("region", "eu")));
		assertThat(services).extracting(MicroService::id).doesNotHaveDuplicates();
	}

	@Test
	void beansNamingTheSameServiceShareIt() {
		List<MicroService> services = services(
				new TestListeners().add("billing", new Billing(), "charge", "billing.charge", "q")
					.add("moreBilling", new MoreBilling(), "invoice", "billing.invoice", "q"));
		assertThat(services).singleElement()
			.satisfies(service -> assertThat(service.endpoints()).extracting(MicroEndpoint::name)
				.containsExactly("charge", "invoice"));
	}

	@Test
	void beansDisagreeingOnAServiceFailWithBothBeanNames() {
		TestListeners listeners = new TestListeners().add("billing", new Billing(), "charge", "billing.charge", "q")
			.add("otherBilling", new ConflictingBilling(), "refund", "billing.refund", "q");
		assertThatIllegalStateException().isThrownBy(() -> services(listeners))
			.withMessageContaining("'billing' is declared differently by bean 'billing' (version '2.1.0'")
			.withMessageContaining("bean 'otherBilling' (version '3.0.0'");
	}

	@Test
	void invalidBusServiceFailsNamingTheBean() {
		assertThatIllegalStateException()
			.isThrownBy(() -> services(new TestListeners().add("bad", new BadName(), "handle", "bad.handle", "q")))
			.withMessageContaining("Invalid @BusService on " + BadName.class.getName() + " (bean 'bad')")
			.withMessageContaining("name 'bad.name' is invalid");
		assertThatIllegalStateException()
			.isThrownBy(() -> services(new TestListeners().add("bad", new BadVersion(), "handle", "bad.handle", "q")))
			.withMessageContaining("(bean 'bad')")
			.withMessageContaining("version '1.0'");
	}

	@Test
	void placeholdersInBusServiceAreResolved() {
		ServiceCatalog resolving = new ServiceCatalog(DEFAULT, value -> value.replace("${billing.version}", "4.5.6"));
		List<MicroService> services = resolving.services(
				new TestListeners().add("billing", new PlaceholderBilling(), "charge", "billing.charge", "q").registry
					.getListenerContainers(),
				ids(), STARTED);
		assertThat(services).singleElement()
			.satisfies(service -> assertThat(service.definition().version()).isEqualTo("4.5.6"));
	}

	@Test
	void endpointNamesFollowTheProtocolAndAreUnique() {
		List<MicroService> services = services(
				new TestListeners().add("get-quote", "a", new Plain(), "get", "quotes.get", "q")
					.add("a", new Plain(), "list", "quotes.list", "q")
					.add("b", new Plain(), "list", "quotes.list.b", "q")
					.add("b_list", "c", new Plain(), "list", "quotes.list.c", "q"));
		assertThat(services.get(0).endpoints()).extracting(MicroEndpoint::name)
			.containsExactly("get-quote", "list", "b_list", "b_list-2");
		assertThat(services.get(0).endpoints())
			.allSatisfy(endpoint -> assertThat(ServiceDefinition.isValidName(endpoint.name())).isTrue());
	}

	@Test
	void noListenersNoServices() {
		assertThat(services(new TestListeners())).isEmpty();
	}

	private List<MicroService> services(TestListeners listeners) {
		return this.catalog.services(listeners.registry.getListenerContainers(), ids(), STARTED);
	}

	private static Supplier<String> ids() {
		AtomicInteger next = new AtomicInteger();
		return () -> "id-" + next.incrementAndGet();
	}

	static class Plain {

		String get(String in) {
			return in;
		}

		String list(String in) {
			return in;
		}

	}

	@BusService(name = "billing", version = "2.1.0", description = "Charges cards")
	static class Billing {

		String charge(String in) {
			return in;
		}

	}

	@BusService(name = "billing", version = "2.1.0", description = "Charges cards")
	static class MoreBilling {

		String invoice(String in) {
			return in;
		}

	}

	@BusService(name = "billing", version = "3.0.0")
	static class ConflictingBilling {

		String refund(String in) {
			return in;
		}

	}

	@BusService("refunds")
	static class Refunds {

		String refund(String in) {
			return in;
		}

	}

	@BusService(name = "billing", version = "${billing.version}")
	static class PlaceholderBilling {

		String charge(String in) {
			return in;
		}

	}

	@BusService(name = "bad.name")
	static class BadName {

		String handle(String in) {
			return in;
		}

	}

	@BusService(name = "bad", version = "1.0")
	static class BadVersion {

		String handle(String in) {
			return in;
		}

	}

}
