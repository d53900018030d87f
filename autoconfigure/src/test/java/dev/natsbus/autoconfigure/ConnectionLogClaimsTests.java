package dev.natsbus.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import dev.natsbus.test.NatsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The README's "Logging and connection events" for the two changes no other test brings
 * about: a real server entering lame duck mode, and the connection closing, each logged
 * once on {@code dev.natsbus.connection} with the server URL.
 */
@Timeout(60)
@ExtendWith(OutputCaptureExtension.class)
class ConnectionLogClaimsTests {

	private static final Pattern LOGGER = Pattern.compile("\\bdev\\.natsbus\\.connection\\s");

	@Test
	void lameDuckAndCloseAreLoggedOnceWithTheServer(CapturedOutput output) {
		try (NatsServer server = NatsServer.builder()
			.lameDuck(Duration.ofSeconds(30), Duration.ofSeconds(20))
			.start()) {
			new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NatsBusAutoConfiguration.class))
				.withPropertyValues("natsbus.servers=" + server.url(), "natsbus.connection-name=ducks")
				.run((context) -> {
					assertThat(context).hasNotFailed();
					server.lameDuck();
					await().atMost(Duration.ofSeconds(10))
						.until(() -> !lines(output, "entered lame duck mode").isEmpty());
					assertThat(lines(output, "entered lame duck mode")).singleElement()
						.satisfies((line) -> assertThat(line).contains("WARN")
							.contains(
									"NATS server " + server.url() + " of connection 'ducks-0' entered lame duck mode"));
				});
			// The context has closed, and with it the connection.
			assertThat(lines(output, "closed")).singleElement()
				.satisfies((line) -> assertThat(line).contains("INFO")
					.contains("NATS connection 'ducks-0' to " + server.url() + " closed"));
		}
	}

	private static List<String> lines(CapturedOutput output, String text) {
		return output.getAll().lines().filter((line) -> LOGGER.matcher(line).find() && line.contains(text)).toList();
	}

}
