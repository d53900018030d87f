package dev.natsbus.autoconfigure.diagnostics;

import java.io.IOException;
import java.net.ServerSocket;

import dev.natsbus.BusListener;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * What a user sees when the application cannot start: Boot's "APPLICATION FAILED TO
 * START" report, printed by a real {@code SpringApplication} run, with the analyzers
 * found through {@code META-INF/spring.factories}.
 */
@Timeout(60)
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureReportTests {

	@Test
	void unreachableServerIsReportedWithItsCauseAndWhatToCheck(CapturedOutput output) throws IOException {
		String server = "nats://127.0.0.1:" + closedPort();
		assertThatException().isThrownBy(() -> run(App.class, "--natsbus.servers=" + server));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("nats-bus could not connect to NATS (connection 'natsbus-0')")
			.contains(server + ": connection refused (nothing listens there)")
			.contains("natsbus.background-connect=true")
			.doesNotContain("disconnected from null")
			.doesNotContain("reconnecting");
	}

	@Test
	void malformedServerUrlIsReportedWithoutItsPassword(CapturedOutput output) {
		assertThatException().isThrownBy(() -> run(App.class, "--natsbus.servers=nats//app:s3cret-pw@localhost:4222"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("natsbus.servers[0] 'nats//***@localhost:4222' is not a NATS server URL: the scheme must be "
					+ "followed by '://'")
			.contains("Origin: \"natsbus.servers\" from property source \"commandLineArgs\"")
			.contains("Correct natsbus.servers")
			.doesNotContain("s3cret-pw");
	}

	@Test
	void twoAuthenticationModesAreReported(CapturedOutput output) {
		assertThatException().isThrownBy(() -> run(App.class, "--natsbus.servers=nats://127.0.0.1:1",
				"--natsbus.token=t0ken-value", "--natsbus.username=app", "--natsbus.password=pa55-value"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("natsbus.username and natsbus.token are both set")
			.contains("Keep the one of natsbus.username and natsbus.token")
			.doesNotContain("t0ken-value")
			.doesNotContain("pa55-value");
	}

	@Test
	void invalidListenerDeclarationIsReported(CapturedOutput output) {
		assertThatException().isThrownBy(() -> run(PrivateListenerApp.class, "--natsbus.servers=nats://127.0.0.1:1"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("The @BusListener method PrivateListener.quote (bean '")
			.contains("cannot work: the method must not be private")
			.contains("Make PrivateListener.quote package-private, protected or public.");
	}

	private static void run(Class<?> application, String... args) {
		new SpringApplicationBuilder(application).web(WebApplicationType.NONE)
			.run(concat(args, "--natsbus.connection-timeout=500ms", "--spring.main.banner-mode=off"))
			.close();
	}

	private static String[] concat(String[] args, String... more) {
		String[] all = new String[args.length + more.length];
		System.arraycopy(args, 0, all, 0, args.length);
		System.arraycopy(more, 0, all, args.length, more.length);
		return all;
	}

	private static int closedPort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class App {

	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class PrivateListenerApp {

		@org.springframework.context.annotation.Bean
		PrivateListener privateListener() {
			return new PrivateListener();
		}

	}

	static class PrivateListener {

		@BusListener("quotes.get")
		private String quote(String symbol) {
			return symbol;
		}

	}

}
