package dev.natsbus.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.natsbus.BusListener;
import dev.natsbus.protocol.ServiceErrors;
import io.nats.client.Connection;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import dev.natsbus.test.NatsServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code @BusListener} that cannot work fails start-up, naming the bean and the method.
 */
@Timeout(30)
class BusListenerValidationTests {

	@RegisterExtension
	static final NatsServerExtension nats = NatsServerExtension.server();

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NatsBusAutoConfiguration.class))
			.withPropertyValues("natsbus.servers=" + nats.url());
	}

	@Test
	void privateMethodFailsStartUp() {
		assertStartUpFails(PrivateListener.class, "PrivateListener.handle", "must not be private");
	}

	@Test
	void emptySubjectFailsStartUp() {
		assertStartUpFails(EmptySubjectListener.class, "EmptySubjectListener.handle", "subject must not be empty");
	}

	@Test
	void wildcardQueueFailsStartUp() {
		assertStartUpFails(WildcardQueueListener.class, "WildcardQueueListener.handle", "Invalid queue group 'a.*'");
	}

	@Test
	void twoPayloadParametersFailStartUp() {
		assertStartUpFails(TwoPayloadsListener.class, "TwoPayloadsListener.handle",
				"more than one parameter claims the payload");
	}

	@Test
	void nonNumericConcurrencyFailsStartUp() {
		assertStartUpFails(WordConcurrencyListener.class, "WordConcurrencyListener.handle",
				"concurrency 'many' is not a number");
	}

	@Test
	void placeholderThatIsNotANumberFailsStartUp() {
		runner().withPropertyValues("orders.workers=lots")
			.withUserConfiguration(PlaceholderConcurrencyListener.class)
			.run(context -> assertThat(context).getFailure()
				.hasMessageContaining("PlaceholderConcurrencyListener.handle")
				.hasMessageContaining("concurrency 'lots' is not a number"));
	}

	@Test
	void headerParameterDoesNotClaimThePayload() {
		runner().withUserConfiguration(PayloadAndHeaderListener.class).run(context -> {
			assertThat(context).hasNotFailed();
			try (Connection raw = Nats.connect(nats.url())) {
				Message reply = raw.request(NatsMessage.builder()
					.subject("orders.header")
					.headers(new Headers().put("tenant", "acme"))
					.data("order-7", StandardCharsets.UTF_8)
					.build(), Duration.ofSeconds(5));
				assertThat(reply.getHeaders() == null ? null
						: reply.getHeaders().getFirst(ServiceErrors.ERROR_CODE_HEADER))
					.isNull();
				assertThat(new String(reply.getData(), StandardCharsets.UTF_8)).isEqualTo("acme:order-7");
			}
		});
	}

	private void assertStartUpFails(Class<?> listener, String method, String reason) {
		String beanName = listener.getAnnotation(Component.class).value();
		runner().withUserConfiguration(listener).run(context -> {
			assertThat(context).hasFailed();
			Throwable failure = context.getStartupFailure();
			assertThat(failure).isInstanceOf(BeanCreationException.class);
			assertThat(((BeanCreationException) failure).getBeanName()).isEqualTo(beanName);
			assertThat(failure).hasMessageContaining("Invalid @BusListener on " + method + " (bean '" + beanName + "')")
				.hasMessageContaining(reason);
		});
	}

	@Component("privateListener")
	static class PrivateListener {

		@BusListener("orders.private")
		private void handle(String payload) {
		}

	}

	@Component("emptySubjectListener")
	static class EmptySubjectListener {

		@BusListener("")
		void handle(String payload) {
		}

	}

	@Component("wildcardQueueListener")
	static class WildcardQueueListener {

		@BusListener(subject = "orders.queue", queue = "a.*")
		void handle(String payload) {
		}

	}

	@Component("twoPayloadsListener")
	static class TwoPayloadsListener {

		@BusListener("orders.two")
		void handle(String first, String second) {
		}

	}

	@Component("wordConcurrencyListener")
	static class WordConcurrencyListener {

		@BusListener(subject = "orders.word", concurrency = "many")
		void handle(String payload) {
		}

	}

	@Component("placeholderConcurrencyListener")
	static class PlaceholderConcurrencyListener {

		@BusListener(subject = "orders.placeholder", concurrency = "${orders.workers}")
		void handle(String payload) {
		}

	}

	@Component("payloadAndHeaderListener")
	static class PayloadAndHeaderListener {

		@BusListener("orders.header")
		String handle(String payload, @Header("tenant") String tenant) {
			return tenant + ":" + payload;
		}

	}

}
