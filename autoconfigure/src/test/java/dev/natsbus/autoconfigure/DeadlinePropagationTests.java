package dev.natsbus.autoconfigure;

import dev.natsbus.BusListener;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.protocol.Deadlines;
import dev.natsbus.test.NatsServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code natsbus.request.propagate-deadline}: whether requests carry their caller's
 * deadline.
 */
@Timeout(30)
class DeadlinePropagationTests {

	@RegisterExtension
	static final NatsServerExtension nats = NatsServerExtension.server();

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsBusAutoConfiguration.class))
		.withUserConfiguration(DeadlineEcho.class)
		.withPropertyValues("natsbus.servers=" + nats.url());

	@Test
	void requestsCarryTheirDeadlineByDefault() {
		this.runner.run(context -> {
			long before = System.currentTimeMillis();
			String deadline = context.getBean(BusTemplate.class)
				.request("deadline.echo", "", String.class, java.time.Duration.ofSeconds(3));
			assertThat(Long.parseLong(deadline)).isBetween(before + 3000, System.currentTimeMillis() + 3000);
		});
	}

	@Test
	void propagationCanBeSwitchedOff() {
		this.runner.withPropertyValues("natsbus.request.propagate-deadline=false")
			.run(context -> assertThat(context.getBean(BusTemplate.class).request("deadline.echo", "", String.class))
				.isEqualTo("none"));
	}

	@Configuration(proxyBeanMethods = false)
	static class DeadlineEcho {

		@Bean
		Echo deadlineEchoListener() {
			return new Echo();
		}

	}

	static class Echo {

		@BusListener("deadline.echo")
		String echo(io.nats.client.Message message) {
			String deadline = (message.getHeaders() != null) ? message.getHeaders().getFirst(Deadlines.HEADER) : null;
			return (deadline != null) ? deadline : "none";
		}

	}

}
