package dev.natsbus.autoconfigure;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.natsbus.BusClientInterceptor;
import dev.natsbus.BusListener;
import dev.natsbus.BusListenerErrorHandler;
import dev.natsbus.BusListenerInterceptor;
import dev.natsbus.BusRemoteException;
import dev.natsbus.BusServiceException;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.conversion.PayloadConverter;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServerExtension;
import io.nats.client.Connection;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.validation.autoconfigure.ValidationAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.core.annotation.Order;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The application's Validator, error handler and interceptor beans reach every listener
 * and template, and {@code natsbus.listener.error.include-message} decides what a
 * failure's reply says; against a real server.
 */
@Timeout(60)
class NatsBusListenerExtensionsTests {

	@RegisterExtension
	static final NatsServerExtension nats = NatsServerExtension.server();

	@BeforeAll
	static void englishMessages() {
		LocaleContextHolder.setDefaultLocale(Locale.ENGLISH);
	}

	@AfterAll
	static void defaultMessages() {
		LocaleContextHolder.setDefaultLocale(null);
	}

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ValidationAutoConfiguration.class, NatsBusAutoConfiguration.class))
			.withPropertyValues("natsbus.servers=" + nats.url());
	}

	// validation

	@Test
	void validPayloadsAreCheckedWithBootsValidator() {
		runner().withUserConfiguration(OrderListener.class).run((context) -> {
			BusTemplate bus = context.getBean(BusTemplate.class);
			assertThat(bus.request("ext.order", new PlacedOrder("ACME", 2), String.class)).isEqualTo("ACME x2");
			assertThatExceptionOfType(BusRemoteException.class)
				.isThrownBy(() -> bus.request("ext.order", new PlacedOrder("", -1), String.class))
				.satisfies((ex) -> {
					assertThat(ex.getErrorCode()).isEqualTo(400);
					assertThat(ex.getRemoteMessage()).isEqualTo(
							"Invalid parameter 'order': quantity: must be greater than 0; symbol: must not be blank");
				});
		});
	}

	@Test
	void validPayloadWithoutBeanValidationFailsStartUpSayingWhatToAdd() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NatsBusAutoConfiguration.class))
			.withPropertyValues("natsbus.servers=" + nats.url())
			.withUserConfiguration(OrderListener.class)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("parameter 'order' is annotated @Valid")
				.hasMessageContaining("add spring-boot-starter-validation"));
	}

	@Test
	void busStartsWithoutBeanValidationOnTheClassPath() {
		runner().withClassLoader(new FilteredClassLoader("jakarta.validation", "org.hibernate.validator"))
			.withUserConfiguration(PlainListener.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(BusTemplate.class).request("ext.plain", "x", String.class))
					.isEqualTo("plain:x");
			});
	}

	// error handlers

	@Test
	void singleErrorHandlerBeanServesEveryListener() {
		runner().withUserConfiguration(FailingListeners.class, NamedFailingListener.class, OneErrorHandler.class)
			.run((context) -> {
				BusTemplate bus = context.getBean(BusTemplate.class);
				assertThat(bus.request("ext.fail.one", "x", String.class)).isEqualTo("handled");
				assertThat(bus.request("ext.fail.two", "x", String.class)).isEqualTo("handled");
			});
	}

	@Test
	void withSeveralHandlersOnlyThePrimaryOneIsTheDefault() {
		runner().withUserConfiguration(FailingListeners.class, NamedFailingListener.class, TwoErrorHandlers.class)
			.run((context) -> {
				BusTemplate bus = context.getBean(BusTemplate.class);
				assertThat(bus.request("ext.fail.one", "x", String.class)).isEqualTo("primary");
				assertThat(bus.request("ext.fail.named", "x", String.class)).isEqualTo("named");
			});
	}

	@Test
	void withSeveralHandlersAndNoPrimaryNoneIsTheDefault() {
		runner().withUserConfiguration(FailingListeners.class, NamedFailingListener.class)
			.withBean("first", BusListenerErrorHandler.class, () -> (message, exception) -> "first")
			.withBean("named", BusListenerErrorHandler.class, () -> (message, exception) -> "named")
			.run((context) -> {
				BusTemplate bus = context.getBean(BusTemplate.class);
				assertThatExceptionOfType(BusRemoteException.class)
					.isThrownBy(() -> bus.request("ext.fail.one", "x", String.class))
					.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo(500));
				assertThat(bus.request("ext.fail.named", "x", String.class)).isEqualTo("named");
			});
	}

	// error texts

	@Test
	void failureRepliesAreSafeByDefault() {
		runner().withUserConfiguration(FailingListeners.class).run((context) -> {
			assertThatExceptionOfType(BusRemoteException.class)
				.isThrownBy(() -> context.getBean(BusTemplate.class).request("ext.fail.one", "x", String.class))
				.satisfies((ex) -> assertThat(ex.getRemoteMessage())
					.matches("Listener 'failingListeners.one' failed \\(error id \\w{22}\\)"));
		});
	}

	@Test
	void includeMessageAlwaysSendsTheExceptionsMessage() {
		runner().withUserConfiguration(FailingListeners.class)
			.withPropertyValues("natsbus.listener.error.include-message=always")
			.run((context) -> assertThatExceptionOfType(BusRemoteException.class)
				.isThrownBy(() -> context.getBean(BusTemplate.class).request("ext.fail.one", "x", String.class))
				.satisfies(
						(ex) -> assertThat(ex.getRemoteMessage()).matches("secret detail one \\(error id \\w{22}\\)")));
	}

	// interceptors

	@Test
	void interceptorBeansApplyToEveryTemplateAndListenerInTheirOrder() {
		runner().withUserConfiguration(TenantListener.class, InterceptorBeans.class).run((context) -> {
			InterceptorBeans.events.clear();
			BusTemplate bus = context.getBean(BusTemplate.class);
			Message<String> reply = bus.requestMessage("ext.tenant", MessageBuilder.withPayload("hi").build(),
					String.class);
			assertThat(reply.getPayload()).isEqualTo("acme:hi");
			assertThat(reply.getHeaders()).containsEntry("X-Checked", "yes");
			assertThat(InterceptorBeans.events).startsWith("client first", "client second", "listener first",
					"listener second");
		});
	}

	@Test
	void listenerInterceptorBeanRefusesWith401() {
		TenantListener.handled = false;
		runner().withUserConfiguration(TenantListener.class, InterceptorBeans.class).run((context) -> {
			Connection raw = context.getBean(NatsConnectionPool.class).connection(0).orElseThrow();
			io.nats.client.Message reply = raw.request("ext.tenant", "hi".getBytes(StandardCharsets.UTF_8),
					Duration.ofSeconds(2));
			assertThat(reply.getHeaders().getFirst("Nats-Service-Error-Code")).isEqualTo("401");
			assertThat(TenantListener.handled).isFalse();
		});
	}

	@Test
	void applicationsOwnTemplateGetsTheInterceptorsToo() {
		runner().withUserConfiguration(TenantListener.class, InterceptorBeans.class, OwnTemplate.class)
			.run((context) -> {
				BusTemplate own = context.getBean(BusTemplate.class);
				assertThat(own.getInterceptors()).hasSize(2);
				assertThat(own.request("ext.tenant", "own", String.class)).isEqualTo("acme:own");
			});
	}

	record PlacedOrder(@NotBlank String symbol, @Positive int quantity) {
	}

	@Configuration(proxyBeanMethods = false)
	static class OrderListener {

		@BusListener("ext.order")
		String place(@Valid PlacedOrder order) {
			return order.symbol() + " x" + order.quantity();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PlainListener {

		@BusListener("ext.plain")
		String plain(String text) {
			return "plain:" + text;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FailingListeners {

		@BusListener(subject = "ext.fail.one", id = "failingListeners.one")
		String one(String input) {
			throw new IllegalStateException("secret detail one");
		}

		@BusListener("ext.fail.two")
		String two(String input) {
			throw new IllegalStateException("secret detail two");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class NamedFailingListener {

		@BusListener(subject = "ext.fail.named", errorHandler = "named")
		String named(String input) {
			throw new IllegalStateException("secret detail named");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OneErrorHandler {

		@Bean
		BusListenerErrorHandler named() {
			return (message, exception) -> "handled";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TwoErrorHandlers {

		@Bean
		@Primary
		BusListenerErrorHandler primary() {
			return (message, exception) -> "primary";
		}

		@Bean
		BusListenerErrorHandler named() {
			return (message, exception) -> "named";
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class TenantListener {

		static volatile boolean handled;

		@BusListener("ext.tenant")
		String tenant(String body, @Header("X-Tenant") String tenant) {
			handled = true;
			return tenant + ":" + body;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class InterceptorBeans {

		static final List<String> events = new CopyOnWriteArrayList<>();

		// Declared in the wrong order: @Order on the bean methods decides.
		@Bean
		@Order(2)
		BusClientInterceptor secondClientInterceptor() {
			return new BusClientInterceptor() {

				@Override
				public Message<byte[]> preSend(String subject, Message<byte[]> message) {
					events.add("client second");
					return message;
				}

			};
		}

		@Bean
		@Order(1)
		BusClientInterceptor tenantInterceptor() {
			return new BusClientInterceptor() {

				@Override
				public Message<byte[]> preSend(String subject, Message<byte[]> message) {
					events.add("client first");
					return MessageBuilder.fromMessage(message).setHeader("X-Tenant", "acme").build();
				}

			};
		}

		@Bean
		@Order(2)
		BusListenerInterceptor replyHeaderInterceptor() {
			return new BusListenerInterceptor() {

				@Override
				public void beforeHandle(Message<byte[]> message) {
					events.add("listener second");
				}

				@Override
				public Message<byte[]> beforeSendReply(Message<byte[]> request, Message<byte[]> reply) {
					return MessageBuilder.fromMessage(reply).setHeader("X-Checked", "yes").build();
				}

			};
		}

		@Bean
		@Order(1)
		BusListenerInterceptor tenantGuard() {
			return new BusListenerInterceptor() {

				@Override
				public void beforeHandle(Message<byte[]> message) {
					if (!message.getHeaders().containsKey("X-Tenant")) {
						throw new BusServiceException(401, "X-Tenant header missing");
					}
					events.add("listener first");
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnTemplate {

		@Bean
		BusTemplate ownTemplate(NatsConnectionPool pool, PayloadConverter converter) {
			return new BusTemplate(pool, converter);
		}

	}

}
