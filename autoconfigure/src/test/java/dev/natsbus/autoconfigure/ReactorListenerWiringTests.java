package dev.natsbus.autoconfigure;

import java.time.Duration;

import dev.natsbus.BusListener;
import dev.natsbus.BusRemoteException;
import dev.natsbus.BusReplies;
import dev.natsbus.BusServiceException;
import dev.natsbus.RequestMany;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.listener.BusListenerContainerFactory;
import dev.natsbus.listener.adapter.FluxReplyStreamAdapter;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * With Boot and Reactor on the class path, {@code Mono} and {@code Flux} listeners answer
 * through the auto-configured listener factory, against a real server.
 */
@Timeout(60)
class ReactorListenerWiringTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	@RegisterExtension
	static final NatsServerExtension nats = NatsServerExtension.server();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, NatsBusAutoConfiguration.class))
		.withPropertyValues("natsbus.servers=" + nats.url());

	@Test
	void monoAndFluxListenersAnswer() {
		this.runner.withUserConfiguration(ReactiveListeners.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(BusListenerContainerFactory.class).getReplyStreamAdapters())
				.hasAtLeastOneElementOfType(FluxReplyStreamAdapter.class);
			context.getBean(NatsConnectionPool.class).flush(WAIT);
			BusTemplate bus = context.getBean(BusTemplate.class);
			assertThat(bus.request("boot.rx.mono", "ACME", String.class, WAIT)).isEqualTo("mono ACME");
			assertThatExceptionOfType(BusRemoteException.class)
				.isThrownBy(() -> bus.request("boot.rx.failing", "x", String.class, WAIT))
				.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo(404));
			BusReplies<Integer> replies = bus.requestMany("boot.rx.flux", "x", Integer.class,
					RequestMany.sentinel().withMaxWait(WAIT));
			assertThat(replies.values()).containsExactly(1, 2, 3);
			assertThat(replies.endedBy()).isEqualTo(BusReplies.EndedBy.SENTINEL);
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

}
