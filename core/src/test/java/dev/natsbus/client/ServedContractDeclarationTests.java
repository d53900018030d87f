package dev.natsbus.client;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.natsbus.BusClient;
import dev.natsbus.BusListener;
import dev.natsbus.BusRemoteException;
import dev.natsbus.BusReplies;
import dev.natsbus.BusRequest;
import dev.natsbus.BusRequestMany;
import dev.natsbus.BusSend;
import dev.natsbus.BusService;
import dev.natsbus.BusTestContext;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.messaging.handler.annotation.DestinationVariable;
import org.springframework.stereotype.Component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What a service that implements a {@code @BusClient} interface may declare: every
 * declaration that cannot work fails start-up naming the interface, the method and the
 * bean.
 */
class ServedContractDeclarationTests {

	private static NatsServer server;

	@BeforeAll
	static void start() {
		server = NatsServer.builder().start();
	}

	@AfterAll
	static void stop() {
		server.close();
	}

	private static void assertStartupFails(Class<?> component, String... parts) {
		assertThatExceptionOfType(BeanCreationException.class)
			.isThrownBy(() -> BusTestContext.start(server.url(), component).close())
			.satisfies((ex) -> assertThat(ex.getMostSpecificCause().getMessage()).isNotNull())
			.satisfies((ex) -> {
				String message = messages(ex);
				for (String part : parts) {
					assertThat(message).contains(part);
				}
			});
	}

	private static String messages(Throwable ex) {
		StringBuilder all = new StringBuilder();
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			all.append(cause.getMessage()).append('\n');
		}
		return all.toString();
	}

	@BusClient
	public interface Greetings {

		@BusRequest("served.greet")
		String greet(String name);

		@BusSend(value = "served.events", broadcast = true)
		void event(String text);

	}

	@Component
	@BusService("greetings")
	static class SubjectTwice implements Greetings {

		@Override
		@BusListener("served.other")
		public String greet(String name) {
			return name;
		}

		@Override
		public void event(String text) {
		}

	}

	@Test
	void implementationThatNamesASubjectOfItsOwn() {
		assertStartupFails(SubjectTwice.class,
				"Invalid listener for @BusClient method " + Greetings.class.getName()
						+ ".greet(String) on SubjectTwice.greet (bean",
				"its @BusListener names subject 'served.other', but the subject comes from the interface ('served.greet')");
	}

	@Component
	@BusService("greetings")
	static class QueueOnABroadcast implements Greetings {

		@Override
		public String greet(String name) {
			return name;
		}

		@Override
		@BusListener(queue = "workers")
		public void event(String text) {
		}

	}

	@Test
	void queueForAMethodServedForBroadcast() {
		assertStartupFails(QueueOnABroadcast.class, Greetings.class.getName() + ".event(String)",
				"it is served for broadcast, in no queue group, but queue is 'workers'");
	}

	@BusClient
	public interface Broken {

		@BusRequest("served.broken")
		String broken(String a, String b);

	}

	@Component
	@BusService("broken")
	static class ServesABrokenContract implements Broken {

		@Override
		public String broken(String a, String b) {
			return a + b;
		}

	}

	@Test
	void implementationOfAnInvalidContract() {
		assertStartupFails(ServesABrokenContract.class,
				"Invalid @BusClient method " + Broken.class.getName() + ".broken(String, String)",
				"more than one parameter claims the payload", "(implemented by bean");
	}

	@BusClient
	public interface StreamedFuture {

		@BusRequestMany(value = "served.history", sentinel = true)
		CompletableFuture<BusReplies<String>> history();

	}

	@Component
	@BusService("history")
	static class ServesAFutureStream implements StreamedFuture {

		@Override
		public CompletableFuture<BusReplies<String>> history() {
			return CompletableFuture.completedFuture(BusReplies.of(List.of("a")));
		}

	}

	@Test
	void streamedReplyFromAFuture() {
		assertStartupFails(ServesAFutureStream.class, StreamedFuture.class.getName() + ".history()",
				"a future of BusReplies cannot be answered as a streamed reply");
	}

	@BusClient
	public interface StreamedMono {

		@BusRequestMany(value = "served.history", sentinel = true)
		reactor.core.publisher.Mono<BusReplies<String>> history();

	}

	@Component
	@BusService("history")
	static class ServesAMonoStream implements StreamedMono {

		@Override
		public reactor.core.publisher.Mono<BusReplies<String>> history() {
			return reactor.core.publisher.Mono.just(BusReplies.of(List.of("a")));
		}

	}

	@Test
	void streamedReplyFromAMono() {
		assertStartupFails(ServesAMonoStream.class, StreamedMono.class.getName() + ".history()",
				"a future of BusReplies cannot be answered as a streamed reply", "or Flux<T>");
	}

	@Component
	static class VariableWithoutContract {

		@BusListener("served.*.plain")
		String plain(@DestinationVariable String region) {
			return region;
		}

	}

	@Test
	void destinationVariableOfAPlainListener() {
		assertStartupFails(VariableWithoutContract.class, "Invalid @BusListener on VariableWithoutContract.plain",
				"parameter 'region' is a @DestinationVariable, which only a method serving a @BusClient interface binds");
	}

	@Component
	static class NotAService implements Greetings {

		@Override
		public String greet(String name) {
			return name;
		}

		@Override
		public void event(String text) {
		}

	}

	@Test
	void implementationWithoutBusServiceServesNothing() {
		try (AnnotationConfigApplicationContext context = BusTestContext.start(server.url(), NotAService.class)) {
			assertThat(context.getBean(BusListenerRegistry.class).getListenerContainers()).isEmpty();
		}
	}

	@BusClient
	public interface Gathering {

		@BusRequestMany(value = "served.gather", maxReplies = "1")
		BusReplies<String> gather(int values);

	}

	@Component
	@BusService("gathering")
	static class Gatherer implements Gathering {

		@Override
		public BusReplies<String> gather(int values) {
			return BusReplies.of(java.util.stream.IntStream.range(0, values).mapToObj(Integer::toString).toList());
		}

	}

	@Test
	void withoutTheSentinelAnImplementationAnswersOneValue() {
		try (AnnotationConfigApplicationContext context = BusTestContext.start(server.url(), "gather", Map.of(),
				Gatherer.class)) {
			Gathering client = new BusClientProxyFactory(context.getBean(BusTemplate.class))
				.createClient(Gathering.class);
			assertThat(client.gather(1).values()).containsExactly("0");
			BusReplies<String> two = client.gather(2);
			assertThat(two.values()).isEmpty();
			assertThat(two.errors()).singleElement()
				.isInstanceOfSatisfying(BusRemoteException.class, (ex) -> assertThat(ex.getErrorCode()).isEqualTo(500));
		}
	}

}
