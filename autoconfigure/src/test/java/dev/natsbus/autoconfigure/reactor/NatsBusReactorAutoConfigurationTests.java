package dev.natsbus.autoconfigure.reactor;

import java.time.Duration;

import dev.natsbus.BusListener;
import dev.natsbus.BusRemoteException;
import dev.natsbus.BusReplies;
import dev.natsbus.BusServiceException;
import dev.natsbus.ReactiveBusOperations;
import dev.natsbus.RequestMany;
import dev.natsbus.autoconfigure.NatsBusAutoConfiguration;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.listener.BusListenerContainerFactory;
import dev.natsbus.listener.adapter.FluxReplyStreamAdapter;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.template.ReactiveBusTemplate;
import dev.natsbus.test.NatsServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * With Reactor on the class path, Boot defines a {@link ReactiveBusOperations} on the
 * application's template and {@code Mono} and {@code Flux} listeners answer; without it,
 * nothing of the kind is defined and the bus works as before. Against a real server.
 */
@Timeout(60)
class NatsBusReactorAutoConfigurationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@RegisterExtension
	static final NatsServerExtension nats = NatsServerExtension.server();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, NatsBusAutoConfiguration.class,
				NatsBusReactorAutoConfiguration.class))
		.withPropertyValues("natsbus.servers=" + nats.url());

	@Test
	void reactiveOperationsCallMonoAndFluxListeners() {
		this.runner.withUserConfiguration(ReactiveListeners.class).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(ReactiveBusOperations.class);
			ReactiveBusOperations reactive = context.getBean(ReactiveBusOperations.class);
			assertThat(reactive).isInstanceOfSatisfying(ReactiveBusTemplate.class,
					(template) -> assertThat(template.getTemplate()).isSameAs(context.getBean(BusTemplate.class)));
			assertThat(context.getBean(BusListenerContainerFactory.class).getReplyStreamAdapters())
				.hasAtLeastOneElementOfType(FluxReplyStreamAdapter.class);
			context.getBean(NatsConnectionPool.class).flush(WAIT);
			assertThat(reactive.request("boot.rx.mono", "ACME", String.class).block(WAIT)).isEqualTo("mono ACME");
			assertThatExceptionOfType(BusRemoteException.class)
				.isThrownBy(() -> reactive.request("boot.rx.failing", "x", String.class).block(WAIT))
				.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo(404));
			assertThat(
					reactive.requestMany("boot.rx.flux", "x", Integer.class, RequestMany.sentinel().withMaxWait(WAIT))
						.collectList()
						.block(WAIT))
				.containsExactly(1, 2, 3);
			BusReplies<Integer> onTheWire = context.getBean(BusTemplate.class)
				.requestMany("boot.rx.flux", "x", Integer.class, RequestMany.sentinel().withMaxWait(WAIT));
			assertThat(onTheWire.endedBy()).isEqualTo(BusReplies.EndedBy.SENTINEL);
		});
	}

	@Test
	void backsOffForTheApplicationsOwnReactiveOperations() {
		this.runner.withUserConfiguration(OwnReactiveOperations.class).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(ReactiveBusOperations.class);
			assertThat(context.getBean(ReactiveBusOperations.class))
				.isSameAs(context.getBean(OwnReactiveOperations.class).own);
		});
	}

	@Test
	void withoutReactorNothingReactiveIsDefinedAndTheBusWorks() {
		this.runner.withClassLoader(new FilteredClassLoader("reactor.", "org.reactivestreams."))
			.withUserConfiguration(PlainListener.class)
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(BusTemplate.class)
					.doesNotHaveBean(ReactiveBusOperations.class);
				context.getBean(NatsConnectionPool.class).flush(WAIT);
				assertThat(context.getBean(BusTemplate.class).request("boot.plain", "hi", String.class, WAIT))
					.isEqualTo("plain hi");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class ReactiveListeners {

		@BusListener("boot.rx.mono")
		Mono<String> mono(String symbol) {
			return Mono.delay(Duration.ofMillis(10)).map((tick) -> "mono " + symbol);
		}

		@BusListener("boot.rx.failing")
		Mono<String> failing(String ignored) {
			return Mono.error(new BusServiceException(404, "not here"));
		}

		@BusListener("boot.rx.flux")
		Flux<Integer> flux(String ignored) {
			return Flux.just(1, 2, 3);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnReactiveOperations {

		ReactiveBusOperations own;

		@Bean
		ReactiveBusOperations ownReactiveOperations(BusTemplate template) {
			this.own = new ReactiveBusTemplate(template);
			return this.own;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PlainListener {

		@BusListener("boot.plain")
		String plain(String text) {
			return "plain " + text;
		}

	}

}
