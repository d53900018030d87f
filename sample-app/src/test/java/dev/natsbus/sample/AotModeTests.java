package dev.natsbus.sample;

import java.io.File;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.natsbus.test.NatsServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.core.ParameterizedTypeReference;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The sample app as the build's AOT processing ({@code spring-boot:process-aot}) left it,
 * started in AOT mode on the JVM ({@code -Dspring.aot.enabled=true}) in a child process
 * against a real nats-server: its generated bean definitions and the bus's hints are
 * enough for the HTTP endpoints to reach the listeners over NATS and back.
 */
@Timeout(180)
class AotModeTests {

	private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

	@Test
	void aotProcessedAppServesItsEndpointsOverNats(@TempDir Path directory) throws Exception {
		Path output = directory.resolve("app.log");
		try (NatsServer server = NatsServer.builder().start()) {
			Process app = start(server.url(), output);
			try {
				int port = awaitPort(app, output);
				assertThat(Files.readString(output)).contains("Starting AOT-processed SampleApplication");
				RestClient http = RestClient.create("http://127.0.0.1:" + port);
				assertThat(http.get().uri("/quotes/{symbol}", "aapl").retrieve().body(Quote.class))
					.isEqualTo(new Quote("AAPL", "Apple Inc.", new BigDecimal("227.48"), "USD"));
				List<Quote> all = http.get().uri("/quotes").retrieve().body(new ParameterizedTypeReference<>() {
				});
				assertThat(all).extracting(Quote::symbol).containsExactly("AAPL", "MSFT", "SAP");
				assertThatExceptionOfType(HttpClientErrorException.NotFound.class)
					.isThrownBy(() -> http.get().uri("/quotes/{symbol}", "NOPE").retrieve().toBodilessEntity());
			}
			finally {
				app.destroy();
				if (!app.waitFor(30, TimeUnit.SECONDS)) {
					app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
				}
			}
		}
	}

	/** The application's own classes (with the generated ones) and its dependencies. */
	private static Process start(String natsUrl, Path output) throws IOException {
		String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		Path testClasses = Paths.get("target", "test-classes").toAbsolutePath();
		String appClassPath = Arrays.stream(classPath.split(File.pathSeparator))
			.filter((entry) -> !entry.isEmpty() && !Paths.get(entry).toAbsolutePath().equals(testClasses))
			.collect(Collectors.joining(File.pathSeparator));
		assertThat(Paths.get("target", "classes", "dev", "natsbus", "sample",
				"SampleApplication__ApplicationContextInitializer.class"))
			.as("the AOT-processed classes of the build's process-aot execution")
			.exists();
		List<String> command = new ArrayList<>();
		command.add(Paths.get(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-Dspring.aot.enabled=true");
		command.add("-cp");
		command.add(appClassPath);
		command.add(SampleApplication.class.getName());
		command.add("--server.port=0");
		command.add("--server.address=127.0.0.1");
		command.add("--natsbus.servers=" + natsUrl);
		return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
	}

	private static int awaitPort(Process app, Path output) {
		return await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> {
			String log = Files.readString(output, StandardCharsets.UTF_8);
			assertThat(app.isAlive()).as(() -> "the AOT-mode app exited:\n" + log).isTrue();
			Matcher port = PORT.matcher(log);
			return port.find() ? Integer.parseInt(port.group(1)) : -1;
		}, (port) -> port > 0);
	}

}
