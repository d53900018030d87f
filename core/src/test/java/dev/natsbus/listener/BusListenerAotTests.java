package dev.natsbus.listener;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import dev.natsbus.BusListener;
import dev.natsbus.client.Quote;
import dev.natsbus.client.shared.QuoteContract;
import dev.natsbus.client.shared.QuoteService;
import io.nats.client.impl.Headers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.ReflectionHintsPredicates;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.javapoet.ClassName;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ahead-of-time processing of a context with listeners (through
 * {@code META-INF/spring/aot.factories}): each {@code @BusListener} method, and each
 * method of a {@code @BusService} that serves a contract, may be found and invoked by
 * reflection, and the types of its payloads and replies are registered for JSON binding,
 * unwrapped from futures, optionals, messages and streams.
 */
class BusListenerAotTests {

	private static RuntimeHints hints;

	private static final ReflectionHintsPredicates reflection = RuntimeHintsPredicates.reflection();

	record Order(String item, int quantity) {
	}

	record Price(String item, long cents) {
	}

	record Receipt(String id) {
	}

	record Audit(String who) {
	}

	static class Orders {

		@BusListener("aot.price")
		CompletableFuture<Price> price(Order order, @Header("X-Request-Id") String requestId) {
			return CompletableFuture.completedFuture(new Price(order.item(), 100));
		}

		@BusListener("aot.receipt")
		Optional<Receipt> receipt(Message<Audit> audit, Headers natsHeaders) {
			return Optional.empty();
		}

		@BusListener("aot.stream")
		Stream<Price> stream(String item) {
			return Stream.empty();
		}

		String notAListener(Order order) {
			return "";
		}

	}

	static class NoListeners {

		String something(Receipt receipt) {
			return "";
		}

	}

	@BeforeAll
	static void process() {
		DefaultGenerationContext generation = new DefaultGenerationContext(
				new ClassNameGenerator(ClassName.get(BusListenerAotTests.class)), new InMemoryGeneratedFiles());
		try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
			context.registerBean(Orders.class);
			context.registerBean(QuoteService.class);
			new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
		}
		hints = generation.getRuntimeHints();
	}

	@Test
	void listenerMethodsAreInvocable() throws Exception {
		assertThat(reflection.onMethodInvocation(Orders.class.getDeclaredMethod("price", Order.class, String.class)))
			.accepts(hints);
		assertThat(
				reflection.onMethodInvocation(Orders.class.getDeclaredMethod("receipt", Message.class, Headers.class)))
			.accepts(hints);
		assertThat(reflection.onMethodInvocation(Orders.class.getDeclaredMethod("notAListener", Order.class)))
			.rejects(hints);
		assertThat(reflection.onType(Orders.class)).accepts(hints);
	}

	@Test
	void payloadAndReplyTypesAreBound() throws Exception {
		assertThat(reflection.onMethodInvocation(Order.class.getDeclaredMethod("quantity"))).accepts(hints);
		assertThat(reflection.onMethodInvocation(Price.class.getDeclaredMethod("cents"))).accepts(hints);
		assertThat(reflection.onMethodInvocation(Receipt.class.getDeclaredMethod("id"))).accepts(hints);
		assertThat(reflection.onMethodInvocation(Audit.class.getDeclaredMethod("who"))).accepts(hints);
		assertThat(reflection.onType(CompletableFuture.class)).rejects(hints);
		assertThat(reflection.onType(Headers.class)).rejects(hints);
	}

	@Test
	void servedContractMethodsAreInvocableAndBound() throws Exception {
		assertThat(reflection.onMethodInvocation(QuoteService.class.getMethod("get", String.class))).accepts(hints);
		assertThat(reflection.onType(QuoteContract.class)).accepts(hints);
		assertThat(reflection.onMethodInvocation(Quote.class.getDeclaredMethod("price"))).accepts(hints);
	}

	@Test
	void beansWithoutListenersGetNoHints() throws Exception {
		assertThat(reflection.onType(NoListeners.class)).rejects(hints);
	}

}
