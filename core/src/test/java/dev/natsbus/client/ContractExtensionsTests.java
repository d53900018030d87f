package dev.natsbus.client;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.natsbus.BusClient;
import dev.natsbus.BusClientInterceptor;
import dev.natsbus.BusListenerInterceptor;
import dev.natsbus.BusRemoteException;
import dev.natsbus.BusRequest;
import dev.natsbus.BusService;
import dev.natsbus.BusServiceException;
import dev.natsbus.BusTestContext;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServer;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import org.hibernate.validator.HibernateValidatorConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A served contract gets the whole listener machinery, and a proxy the template's:
 * {@code @Valid} on the interface's parameter validates on the serving side, a listener
 * interceptor refuses a call, a client interceptor's header reaches the implementation.
 */
class ContractExtensionsTests {

	private static NatsServer server;

	private static AnnotationConfigApplicationContext service;

	private static AnnotationConfigApplicationContext caller;

	private static Orders orders;

	@BeforeAll
	static void start() {
		server = NatsServer.builder().start();
		service = BusTestContext.start(server.url(), "orders-service", Map.of(), ServiceSide.class, OrderService.class);
		caller = BusTestContext.start(server.url(), "orders-caller", Map.of(), CallerSide.class);
		service.getBean(dev.natsbus.connection.NatsConnectionPool.class).flush(java.time.Duration.ofSeconds(2));
		orders = new BusClientProxyFactory(caller.getBean(BusTemplate.class)).createClient(Orders.class);
	}

	@AfterAll
	static void stop() {
		caller.close();
		service.close();
		server.close();
	}

	record Order(@NotBlank String symbol, @Positive int quantity) {
	}

	@BusClient(timeout = "2s")
	public interface Orders {

		@BusRequest("ext.orders.place")
		String place(@Valid Order order, @Header(name = "X-Tenant", required = false) String tenant);

		@BusRequest("ext.orders.secret")
		String secret();

	}

	@Component
	@BusService("orders")
	static class OrderService implements Orders {

		@Override
		public String place(Order order, String tenant) {
			return tenant + ": " + order.quantity() + " " + order.symbol();
		}

		@Override
		public String secret() {
			return "never";
		}

	}

	@Test
	void contractValidationAndTheCallersInterceptorHeaderReachTheImplementation() {
		assertThat(orders.place(new Order("ACME", 2), null)).isEqualTo("acme: 2 ACME");
		assertThatExceptionOfType(BusRemoteException.class).isThrownBy(() -> orders.place(new Order("", 0), null))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo(400))
			.satisfies((ex) -> assertThat(ex.getRemoteMessage()).contains("quantity: must be greater than 0")
				.contains("symbol: must not be blank"));
	}

	@Test
	void listenerInterceptorsGuardTheImplementation() {
		assertThatExceptionOfType(BusRemoteException.class).isThrownBy(() -> orders.secret())
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo(403));
	}

	@Configuration(proxyBeanMethods = false)
	static class ServiceSide {

		@Bean
		static LocalValidatorFactoryBean validator() {
			LocalValidatorFactoryBean validator = new LocalValidatorFactoryBean();
			validator.setConfigurationInitializer(
					(configuration) -> ((HibernateValidatorConfiguration) configuration).defaultLocale(Locale.ENGLISH));
			return validator;
		}

		@Bean
		static BeanPostProcessor serviceSide(ObjectProvider<LocalValidatorFactoryBean> validator) {
			BusListenerInterceptor guard = new BusListenerInterceptor() {

				@Override
				public void beforeHandle(Message<byte[]> message) {
					if ("ext.orders.secret".equals(message.getHeaders().get(dev.natsbus.BusHeaders.SUBJECT))) {
						throw new BusServiceException(403, "not for you");
					}
				}

			};
			return BusTestContext.configuring((factory) -> {
				factory.setValidator(validator.getObject());
				factory.setInterceptors(List.of(guard));
			}, (template) -> {
			});
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CallerSide {

		@Bean
		static BeanPostProcessor callerSide() {
			BusClientInterceptor tenant = new BusClientInterceptor() {

				@Override
				public Message<byte[]> preSend(String subject, Message<byte[]> message) {
					return MessageBuilder.fromMessage(message).setHeader("X-Tenant", "acme").build();
				}

			};
			return BusTestContext.configuring((factory) -> {
			}, (template) -> template.setInterceptors(List.of(tenant)));
		}

	}

}
