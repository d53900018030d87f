package dev.natsbus;

import java.util.Locale;
import java.util.Map;

import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServer;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import org.hibernate.validator.HibernateValidatorConfiguration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.stereotype.Component;
import org.springframework.validation.annotation.Validated;
import org.springframework.validation.beanvalidation.LocalValidatorFactoryBean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code @Valid} and {@code @Validated} payloads, validated with a Bean Validation
 * validator (Hibernate Validator, as Boot's starter brings it), against a real server.
 */
class ValidationTests {

	private static NatsServer server;

	private static AnnotationConfigApplicationContext context;

	private static BusTemplate bus;

	@BeforeAll
	static void start() {
		server = NatsServer.builder().start();
		context = BusTestContext.start(server.url(), WithValidator.class, Orders.class);
		bus = context.getBean(BusTemplate.class);
	}

	@AfterAll
	static void stop() {
		context.close();
		server.close();
	}

	@Test
	void validPayloadIsAnswered() {
		assertThat(bus.request("orders.place", new Order("ACME", 3), String.class)).isEqualTo("placed 3 ACME");
	}

	@Test
	void invalidPayloadIsA400ListingEveryViolatedFieldInTheCallersTerms() {
		assertThatExceptionOfType(BusRemoteException.class)
			.isThrownBy(() -> bus.request("orders.place", new Order(" ", 0), String.class))
			.satisfies((ex) -> {
				assertThat(ex.getErrorCode()).isEqualTo(400);
				assertThat(ex.getRemoteMessage()).isEqualTo(
						"Invalid parameter 'order': quantity: must be greater than 0; symbol: must not be blank");
			});
		// The listener keeps serving.
		assertThat(bus.request("orders.place", new Order("INIT", 1), String.class)).isEqualTo("placed 1 INIT");
	}

	@Test
	void oneViolationIsListedAlone() {
		assertThatExceptionOfType(BusRemoteException.class)
			.isThrownBy(() -> bus.request("orders.place", Map.of("symbol", "ACME", "quantity", -2), String.class))
			.satisfies((ex) -> assertThat(ex.getRemoteMessage())
				.isEqualTo("Invalid parameter 'order': quantity: must be greater than 0"));
	}

	@Test
	void validatedGroupsChooseTheConstraints() {
		// Only the Strict group checks the limit; the default group does not.
		assertThat(bus.request("orders.place", new Order("ACME", 500), String.class)).isEqualTo("placed 500 ACME");
		assertThatExceptionOfType(BusRemoteException.class)
			.isThrownBy(() -> bus.request("orders.strict", new Order("ACME", 500), String.class))
			.satisfies((ex) -> assertThat(ex.getRemoteMessage())
				.isEqualTo("Invalid parameter 'order': quantity: must be less than or equal to 100"));
		assertThat(bus.request("orders.strict", new Order("ACME", 5), String.class)).isEqualTo("strict 5");
	}

	@Test
	void validPayloadNextToAHeader() {
		assertThat(bus
			.requestMessage("orders.tagged",
					org.springframework.messaging.support.MessageBuilder.withPayload(new Order("ACME", 2))
						.setHeader("X-Tag", "t")
						.build(),
					String.class)
			.getPayload()).isEqualTo("t:2");
		assertThatExceptionOfType(BusRemoteException.class)
			.isThrownBy(() -> bus.requestMessage("orders.tagged",
					org.springframework.messaging.support.MessageBuilder.withPayload(new Order("", 2))
						.setHeader("X-Tag", "t")
						.build(),
					String.class))
			.satisfies((ex) -> assertThat(ex.getRemoteMessage())
				.isEqualTo("Invalid parameter 'order': symbol: must not be blank"));
	}

	@Test
	void validParameterWithoutAValidatorFailsStartUpSayingWhatToAdd() {
		assertThatExceptionOfType(BeanCreationException.class)
			.isThrownBy(() -> BusTestContext.start(server.url(), OneValid.class).close())
			.withMessageContaining("Invalid @BusListener on OneValid.place (bean 'validationTests.OneValid')")
			.withMessageContaining("parameter 'order' is annotated @Valid")
			.withMessageContaining("add spring-boot-starter-validation");
	}

	@Test
	void validOnAHeaderFailsStartUpRatherThanBeIgnored() {
		assertThatExceptionOfType(BeanCreationException.class)
			.isThrownBy(() -> BusTestContext.start(server.url(), WithValidator.class, ValidHeader.class).close())
			.withMessageContaining("parameter 'tag' is annotated @Valid, but only the payload parameter is validated");
	}

	interface Strict {

	}

	record Order(@NotBlank String symbol,
			@Positive @jakarta.validation.constraints.Max(value = 100, groups = Strict.class) int quantity) {
	}

	@Configuration(proxyBeanMethods = false)
	static class WithValidator {

		@Bean
		static LocalValidatorFactoryBean validator() {
			LocalValidatorFactoryBean validator = new LocalValidatorFactoryBean();
			// English messages whatever the machine's locale, so that the texts can be
			// asserted.
			validator.setConfigurationInitializer(
					(configuration) -> ((HibernateValidatorConfiguration) configuration).defaultLocale(Locale.ENGLISH));
			return validator;
		}

		@Bean
		static BeanPostProcessor validating(
				org.springframework.beans.factory.ObjectProvider<LocalValidatorFactoryBean> validator) {
			return BusTestContext.configuring((factory) -> factory.setValidator(validator.getObject()), (template) -> {
			});
		}

	}

	@Component
	static class Orders {

		@BusListener("orders.place")
		String place(@Valid Order order) {
			return "placed " + order.quantity() + " " + order.symbol();
		}

		@BusListener("orders.strict")
		String strict(@Validated(Strict.class) Order order) {
			return "strict " + order.quantity();
		}

		@BusListener("orders.tagged")
		String tagged(@Payload @Valid Order order, @Header("X-Tag") String tag) {
			return tag + ":" + order.quantity();
		}

	}

	@Component
	static class OneValid {

		@BusListener("orders.one")
		String place(@Valid Order order) {
			return "placed";
		}

	}

	@Component
	static class ValidHeader {

		@BusListener("orders.header")
		String header(String body, @Valid @Header("X-Tag") String tag) {
			return tag;
		}

	}

}
