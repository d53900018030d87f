package dev.natsbus.autoconfigure.security;

import java.io.PrintWriter;
import java.io.StringWriter;

import dev.natsbus.BusConnectionException;
import dev.natsbus.BusListener;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.autoconfigure.NatsBusAutoConfiguration;
import org.assertj.core.api.AbstractThrowableAssert;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the security tests share: the context runner, a listener to round-trip through,
 * checks.
 */
final class SecurityTestSupport {

	private SecurityTestSupport() {
	}

	/**
	 * Short timeouts: every failure here is immediate or a handshake that never
	 * completes.
	 */
	static ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, NatsBusAutoConfiguration.class))
			.withPropertyValues("natsbus.connection-timeout=1s", "natsbus.reconnect-wait=100ms")
			.withUserConfiguration(Echo.class);
	}

	/** A request/reply round trip through the connection the context made. */
	static void assertRoundTrip(AssertableApplicationContext context) {
		assertThat(context).hasNotFailed();
		assertThat(context.getBean(BusTemplate.class).request("security.echo", "ping", String.class))
			.isEqualTo("echo:ping");
	}

	/** The start-up failure's explanation: the BusConnectionException that says why. */
	static AbstractThrowableAssert<?, ? extends Throwable> assertConnectFailure(AssertableApplicationContext context) {
		Throwable failure = context.getStartupFailure();
		assertThat(failure).as("start-up failure").isNotNull();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof BusConnectionException) {
				return assertThat(cause);
			}
		}
		throw new AssertionError("No BusConnectionException among the causes of " + failure, failure);
	}

	/**
	 * Neither the messages nor the printed stack trace (causes, suppressed) contain any
	 * secret.
	 */
	static void assertNoSecrets(Throwable failure, String... secrets) {
		StringWriter printed = new StringWriter();
		failure.printStackTrace(new PrintWriter(printed));
		for (String secret : secrets) {
			assertThat(printed.toString()).as("stack trace").doesNotContain(secret);
		}
	}

	static class Echo {

		@BusListener(subject = "security.echo", id = "security.echo")
		String echo(String text) {
			return "echo:" + text;
		}

	}

}
