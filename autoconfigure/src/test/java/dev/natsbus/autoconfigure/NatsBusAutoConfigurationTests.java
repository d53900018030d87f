package dev.natsbus.autoconfigure;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.natsbus.BusListener;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.BusTimeoutException;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.conversion.JsonPayloadConverter;
import dev.natsbus.conversion.PayloadConverter;
import dev.natsbus.listener.BusListenerContainerFactory;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.listener.adapter.FluxReplyStreamAdapter;
import dev.natsbus.listener.adapter.JavaStreamReplyAdapter;
import dev.natsbus.listener.adapter.ReplySink;
import dev.natsbus.listener.adapter.ReplyStreamAdapter;
import dev.natsbus.test.NatsServerExtension;
import io.nats.client.Connection;
import io.nats.client.Options;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Which beans the auto-configuration defines, and that each backs off for the user's own.
 */
@Timeout(30)
class NatsBusAutoConfigurationTests {

	@RegisterExtension
	static final NatsServerExtension nats = NatsServerExtension.server();

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, NatsBusAutoConfiguration.class))
			.withPropertyValues("natsbus.servers=" + nats.url());
	}

	@Test
	void definesTheBusBeansConnectedToTheConfiguredServer() {
		runner().withUserConfiguration(EchoListener.class).run(context -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(NatsConnectionPool.class)
				.hasSingleBean(BusTemplate.class)
				.hasSingleBean(BusListenerRegistry.class)
				.hasSingleBean(PayloadConverter.class)
				.hasSingleBean(NatsBusConnectionDetails.class);
			NatsConnectionPool pool = context.getBean(NatsConnectionPool.class);
			assertThat(pool.size()).isEqualTo(1);
			assertThat(pool.connection(0)).get().extracting(Connection::getConnectedUrl).isEqualTo(nats.url());
			assertThat(context.getBean(NatsBusConnectionDetails.class).getServers()).containsExactly(nats.url());
			assertThat(context.getBean(BusTemplate.class).request("auto.echo", "ping", String.class))
				.isEqualTo("echo:ping");
		});
	}

	@Test
	void payloadConverterUsesTheJsonMapperOfJacksonAutoConfiguration() {
		runner().run(context -> {
			PayloadConverter converter = context.getBean(PayloadConverter.class);
			assertThat(converter).isInstanceOf(JsonPayloadConverter.class);
			assertThat(ReflectionTestUtils.getField(converter, "jsonMapper"))
				.isSameAs(context.getBean(JsonMapper.class));
		});
	}

	@Test
	void payloadConverterWorksWithoutJacksonAutoConfiguration() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NatsBusAutoConfiguration.class))
			.withPropertyValues("natsbus.servers=" + nats.url())
			.run(context -> assertThat(context).hasSingleBean(PayloadConverter.class)
				.doesNotHaveBean(JsonMapper.class));
	}

	@Test
	void templateTimesOutAfterTheConfiguredRequestTimeout() {
		runner().withPropertyValues("natsbus.request.timeout=300ms").run(context -> {
			BusTemplate template = context.getBean(BusTemplate.class);
			assertThat(template.getDefaultTimeout()).isEqualTo(Duration.ofMillis(300));
			// A subscriber that never answers, so that the request waits for the whole
			// timeout.
			Connection connection = context.getBean(NatsConnectionPool.class).connection(0).orElseThrow();
			connection.subscribe("auto.silent");
			connection.flush(Duration.ofSeconds(2));
			assertThatExceptionOfType(BusTimeoutException.class)
				.isThrownBy(() -> template.request("auto.silent", "ping", String.class))
				.satisfies(ex -> assertThat(ex.getTimeout()).isEqualTo(Duration.ofMillis(300)));
		});
	}

	@Test
	void connectionNameDefaultsToTheApplicationName() {
		runner().withPropertyValues("spring.application.name=billing").run(context -> {
			Options options = context.getBean(NatsConnectionPool.class).connection(0).orElseThrow().getOptions();
			assertThat(options.getConnectionName()).isEqualTo("billing-0");
		});
		runner().run(context -> assertThat(
				context.getBean(NatsConnectionPool.class).connection(0).orElseThrow().getOptions().getConnectionName())
			.isEqualTo("natsbus-0"));
	}

	@Test
	void userBusTemplateReplacesTheAutoConfiguredOne() {
		runner().withUserConfiguration(UserTemplateConfiguration.class).run(context -> {
			assertThat(context).hasSingleBean(BusTemplate.class);
			assertThat(context.getBean(BusTemplate.class))
				.isSameAs(context.getBean(UserTemplateConfiguration.class).template);
		});
	}

	@Test
	void userPoolReplacesTheAutoConfiguredOne() {
		runner().withUserConfiguration(UserPoolConfiguration.class).run(context -> {
			assertThat(context).hasSingleBean(NatsConnectionPool.class);
			NatsConnectionPool pool = context.getBean(NatsConnectionPool.class);
			assertThat(pool).isSameAs(context.getBean(UserPoolConfiguration.class).pool);
			assertThat(context.getBean(BusTemplate.class).getConnectionPool()).isSameAs(pool);
		});
	}

	@Test
	void userPayloadConverterReplacesTheAutoConfiguredOne() {
		runner().withUserConfiguration(UserConverterConfiguration.class).run(context -> {
			assertThat(context).hasSingleBean(PayloadConverter.class);
			assertThat(context.getBean(PayloadConverter.class))
				.isSameAs(context.getBean(UserConverterConfiguration.class).converter);
		});
	}

	@Test
	void userConnectionDetailsWinOverTheServersProperty() throws IOException {
		String deadServer = "nats://127.0.0.1:" + freePort();
		runner().withPropertyValues("natsbus.servers=" + deadServer)
			.withUserConfiguration(UserConnectionDetailsConfiguration.class)
			.run(context -> {
				assertThat(context).hasNotFailed().hasSingleBean(NatsBusConnectionDetails.class);
				assertThat(context.getBean(NatsBusConnectionDetails.class))
					.isSameAs(context.getBean(UserConnectionDetailsConfiguration.class).details);
				assertThat(context.getBean(NatsConnectionPool.class).connection(0).orElseThrow().getConnectedUrl())
					.isEqualTo(nats.url());
			});
	}

	@Test
	void optionsBuilderCustomizersAreAppliedAfterTheProperties() {
		runner().withPropertyValues("natsbus.pool.size=2", "natsbus.connection-name=orders")
			.withBean("inboxCustomizer", NatsOptionsBuilderCustomizer.class,
					() -> builder -> builder.inboxPrefix("_ORDERS_INBOX"))
			.withBean("nameCustomizer", NatsOptionsBuilderCustomizer.class,
					() -> builder -> builder.connectionName("customized"))
			.run(context -> {
				NatsConnectionPool pool = context.getBean(NatsConnectionPool.class);
				for (Connection connection : pool.connections()) {
					assertThat(connection.getOptions().getInboxPrefix()).startsWith("_ORDERS_INBOX");
					assertThat(connection.getOptions().getConnectionName()).isEqualTo("customized");
				}
				assertThat(pool.connections()).hasSize(2);
			});
	}

	@Test
	void templateCustomizersAreAppliedAfterTheProperties() {
		List<Runnable> callbacks = new java.util.concurrent.CopyOnWriteArrayList<>();
		runner().withUserConfiguration(EchoListener.class)
			.withPropertyValues("natsbus.request.timeout=3s")
			.withBean("timeoutCustomizer", BusTemplateCustomizer.class,
					() -> template -> template.setDefaultTimeout(Duration.ofSeconds(7)))
			.withBean("executorCustomizer", BusTemplateCustomizer.class,
					() -> template -> template.setCallbackExecutor(task -> {
						callbacks.add(task);
						task.run();
					}))
			.run(context -> {
				BusTemplate template = context.getBean(BusTemplate.class);
				assertThat(template.getDefaultTimeout()).isEqualTo(Duration.ofSeconds(7));
				assertThat(template.requestAsync("auto.echo", "ping", String.class).get(5, TimeUnit.SECONDS))
					.isEqualTo("echo:ping");
				assertThat(callbacks).hasSize(1);
			});
	}

	@Test
	void replyStreamAdapterBeansComeBeforeTheDefaultOne() {
		ReplyStreamAdapter own = new ReplyStreamAdapter() {

			@Override
			public boolean supports(Object result, Class<?> declaredType) {
				return result instanceof java.util.Iterator<?>;
			}

			@Override
			public void emit(Object result, ReplySink sink) {
				((java.util.Iterator<?>) result).forEachRemaining(sink::next);
				sink.complete();
			}

		};
		runner().withBean("ownAdapter", ReplyStreamAdapter.class, () -> own).run(context -> {
			List<ReplyStreamAdapter> adapters = context.getBean(BusListenerContainerFactory.class)
				.getReplyStreamAdapters();
			assertThat(adapters).first().isSameAs(own);
			// Then the defaults: Reactor is on this test class path, so its adapter too.
			assertThat(adapters.subList(1, adapters.size())).map(Object::getClass)
				.containsExactly(JavaStreamReplyAdapter.class, FluxReplyStreamAdapter.class);
		});
	}

	@Test
	void invalidPoolSizeFailsStartUp() {
		runner().withPropertyValues("natsbus.pool.size=0")
			.run(context -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("natsbus.pool.size must be at least 1"));
	}

	@Test
	void emptyServersPropertyFailsStartUpInsteadOfUsingLocalhost() {
		runner().withPropertyValues("natsbus.servers=")
			.run(context -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("natsbus.servers must list at least one NATS server URL"));
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	static class EchoListener {

		@BusListener("auto.echo")
		String echo(String text) {
			return "echo:" + text;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserTemplateConfiguration {

		BusTemplate template;

		@Bean(destroyMethod = "destroy")
		BusTemplate userBusTemplate(NatsConnectionPool pool, PayloadConverter converter) {
			this.template = new BusTemplate(pool, converter);
			return this.template;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserPoolConfiguration {

		NatsConnectionPool pool;

		@Bean(destroyMethod = "close")
		NatsConnectionPool userPool() {
			this.pool = NatsConnectionPool
				.connect(List.of(new Options.Builder().server(nats.url()).connectionName("user-pool").build()));
			return this.pool;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserConverterConfiguration {

		final PayloadConverter converter = new JsonPayloadConverter();

		@Bean
		PayloadConverter userConverter() {
			return this.converter;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserConnectionDetailsConfiguration {

		final NatsBusConnectionDetails details = () -> List.of(nats.url());

		@Bean
		NatsBusConnectionDetails userConnectionDetails() {
			return this.details;
		}

	}

}
