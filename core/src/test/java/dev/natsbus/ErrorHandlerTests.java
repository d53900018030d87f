package dev.natsbus;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.listener.SimpleBusListenerEndpoint;
import dev.natsbus.listener.adapter.UnreadableRequestException;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * {@link BusListenerErrorHandler}s named by listeners, a default one for every listener,
 * and one on a listener registered in code, against a real server.
 */
@ExtendWith(OutputCaptureExtension.class)
class ErrorHandlerTests {

	private static NatsServer server;

	private static AnnotationConfigApplicationContext context;

	private static BusTemplate bus;

	@BeforeAll
	static void start() {
		server = NatsServer.builder().start();
		context = BusTestContext.start(server.url(), "core-test", Map.of("test.handler", "fallbackHandler"),
				ErrorHandlers.class, Orders.class);
		bus = context.getBean(BusTemplate.class);
	}

	@AfterAll
	static void stop() {
		context.close();
		server.close();
	}

	@Test
	void handlerMapsADomainExceptionToA404WithItsText() {
		assertThatExceptionOfType(BusRemoteException.class)
			.isThrownBy(() -> bus.request("orders.find", "42", String.class))
			.satisfies((ex) -> {
				assertThat(ex.getErrorCode()).isEqualTo(404);
				assertThat(ex.getRemoteMessage()).isEqualTo("no order 42");
			});
		assertThat(bus.request("orders.find", "7", String.class)).isEqualTo("order 7");
	}

	@Test
	void exceptionTheHandlerRethrowsKeepsTheDocumentedRules() {
		assertThatExceptionOfType(BusRemoteException.class)
			.isThrownBy(() -> bus.request("orders.find", "crash", String.class))
			.satisfies((ex) -> {
				assertThat(ex.getErrorCode()).isEqualTo(500);
				assertThat(ex.getRemoteMessage())
					.matches("Listener 'errorHandlerTests.Orders.find' failed \\(error id \\w{22}\\)");
			});
		assertThatExceptionOfType(BusRemoteException.class)
			.isThrownBy(() -> bus.request("orders.quote", "{", String.class))
			.satisfies((ex) -> {
				assertThat(ex.getErrorCode()).isEqualTo(400);
				assertThat(ex.getRemoteMessage()).startsWith("Cannot read parameter 'quote': expected a JSON object");
			});
	}

	@Test
	void handlerReturnsAFallbackValue() {
		assertThat(bus.request("orders.price", "ACME", String.class)).isEqualTo("fallback for ACME");
	}

	@Test
	void handlerAnswersTheFailureOfAnAsynchronousResult() {
		assertThat(bus.request("orders.later", "ACME", String.class)).isEqualTo("fallback for ACME");
	}

	@Test
	void handlerReturnsAReplyWithHeaders() {
		Message<String> reply = bus.requestMessage("orders.headers", MessageBuilder.withPayload("x").build(),
				String.class);
		assertThat(reply.getPayload()).isEqualTo("degraded");
		assertThat(reply.getHeaders()).containsEntry("X-Degraded", "true");
	}

	@Test
	void handlerThatThrowsFallsBackToTheDocumented500(CapturedOutput output) {
		assertThatExceptionOfType(BusRemoteException.class)
			.isThrownBy(() -> bus.request("orders.broken", "x", String.class))
			.satisfies((ex) -> {
				assertThat(ex.getErrorCode()).isEqualTo(500);
				assertThat(ex.getRemoteMessage())
					.matches("Listener 'errorHandlerTests.Orders.broken' failed \\(error id \\w{22}\\)")
					.doesNotContain("handler bug")
					.doesNotContain("original failure");
			});
		// The operator sees the error handler's failure and the one it was handling.
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(output.getAll()).contains("IllegalStateException: handler bug")
				.contains("Suppressed: java.lang.IllegalArgumentException: original failure"));
	}

	@Test
	void handlerSeesTheFailedMessage() {
		assertThatExceptionOfType(BusRemoteException.class)
			.isThrownBy(() -> bus.request("orders.find", "teapot", String.class))
			.satisfies((ex) -> {
				assertThat(ex.getErrorCode()).isEqualTo(418);
				assertThat(ex.getRemoteMessage()).isEqualTo("failed on orders.find with teapot");
			});
	}

	@Test
	void handlerNameMayBeAPlaceholder() {
		assertThat(bus.request("orders.placeholder", "ACME", String.class)).isEqualTo("fallback for ACME");
	}

	@Test
	void listenerRegisteredInCodeHasAnErrorHandler() {
		context.getBean(BusListenerRegistry.class)
			.registerListener(SimpleBusListenerEndpoint.of("coded", "orders.coded", (message) -> {
				throw new NotFoundException("nothing coded");
			}).errorHandler(context.getBean("notFoundHandler", BusListenerErrorHandler.class)));
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThatExceptionOfType(BusRemoteException.class)
				.isThrownBy(() -> bus.request("orders.coded", "x", String.class))
				.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo(404)));
	}

	@Test
	void defaultHandlerServesEveryListenerThatNamesNone() {
		try (AnnotationConfigApplicationContext withDefault = BusTestContext.start(server.url(), "default-handler",
				Map.of(), DefaultHandler.class, Unnamed.class)) {
			BusTemplate defaultBus = withDefault.getBean(BusTemplate.class);
			assertThat(defaultBus.request("unnamed.one", "x", String.class)).isEqualTo("default answer");
			assertThat(defaultBus.request("unnamed.two", "x", String.class)).isEqualTo("default answer");
		}
	}

	@Test
	void handlerThatIsNoBeanFailsStartUp() {
		assertThatExceptionOfType(BeanCreationException.class)
			.isThrownBy(() -> BusTestContext.start(server.url(), Misnamed.class).close())
			.withMessageContaining("Invalid @BusListener on Misnamed.misnamed")
			.withMessageContaining("errorHandler 'noSuchHandler' names no bean");
		assertThatExceptionOfType(BeanCreationException.class)
			.isThrownBy(() -> BusTestContext.start(server.url(), NotAHandler.class).close())
			.withMessageContaining("errorHandler 'notAHandler' names a bean of type java.lang.String, which is not a "
					+ "BusListenerErrorHandler");
	}

	static class NotFoundException extends RuntimeException {

		NotFoundException(String message) {
			super(message);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ErrorHandlers {

		@Bean
		BusListenerErrorHandler notFoundHandler() {
			return (message, exception) -> {
				if (exception instanceof NotFoundException) {
					throw new BusServiceException(404, exception.getMessage());
				}
				if (exception instanceof UnsupportedOperationException) {
					String payload = new String(message.getPayload(), StandardCharsets.UTF_8);
					throw new BusServiceException(418,
							"failed on " + message.getHeaders().get(BusHeaders.SUBJECT) + " with " + payload);
				}
				throw exception;
			};
		}

		@Bean
		BusListenerErrorHandler fallbackHandler() {
			return (message, exception) -> "fallback for " + new String(message.getPayload(), StandardCharsets.UTF_8);
		}

		@Bean
		BusListenerErrorHandler degradedHandler() {
			return (message,
					exception) -> MessageBuilder.withPayload("degraded").setHeader("X-Degraded", "true").build();
		}

		@Bean
		BusListenerErrorHandler brokenHandler() {
			return (message, exception) -> {
				throw new IllegalStateException("handler bug");
			};
		}

	}

	@Component
	static class Orders {

		@BusListener(subject = "orders.find", errorHandler = "notFoundHandler")
		String find(String id) {
			return switch (id) {
				case "42" -> throw new NotFoundException("no order " + id);
				case "crash" -> throw new IllegalArgumentException("internal");
				case "teapot" -> throw new UnsupportedOperationException();
				default -> "order " + id;
			};
		}

		@BusListener(subject = "orders.quote", errorHandler = "notFoundHandler")
		String quote(Quote quote) {
			return quote.symbol();
		}

		@BusListener(subject = "orders.price", errorHandler = "fallbackHandler")
		String price(String symbol) {
			throw new IllegalStateException("pricing is down");
		}

		@BusListener(subject = "orders.later", errorHandler = "fallbackHandler")
		CompletableFuture<String> later(String symbol) {
			return CompletableFuture.supplyAsync(() -> {
				throw new IllegalStateException("pricing is down");
			});
		}

		@BusListener(subject = "orders.headers", errorHandler = "degradedHandler")
		String headers(String input) {
			throw new IllegalStateException("degraded");
		}

		@BusListener(subject = "orders.broken", errorHandler = "brokenHandler")
		String broken(String input) {
			throw new IllegalArgumentException("original failure");
		}

		@BusListener(subject = "orders.placeholder", errorHandler = "${test.handler}")
		String placeholder(String input) {
			throw new IllegalStateException("down");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class DefaultHandler {

		@Bean
		static BeanPostProcessor defaultErrorHandler() {
			return BusTestContext.configuring(
					(factory) -> factory.setErrorHandler((message, exception) -> "default answer"), (template) -> {
					});
		}

	}

	@Component
	static class Unnamed {

		@BusListener("unnamed.one")
		String one(String input) {
			throw new IllegalStateException("one");
		}

		@BusListener("unnamed.two")
		String two(String input) {
			throw new BusServiceException(409, "two");
		}

	}

	@Component
	static class Misnamed {

		@BusListener(subject = "misnamed", errorHandler = "noSuchHandler")
		String misnamed(String input) {
			return input;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NotAHandler {

		@Bean
		String notAHandler() {
			return "text";
		}

		@BusListener(subject = "wrongtype", errorHandler = "notAHandler")
		String wrongType(String input) {
			return input;
		}

	}

}
