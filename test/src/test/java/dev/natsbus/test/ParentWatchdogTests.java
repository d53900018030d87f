package dev.natsbus.test;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * No nats-server outlives the JVM that started it, even when that JVM dies of SIGKILL and
 * runs no shutdown hook (a developer's IDE stopping {@code spring-boot:test-run}, an OOM
 * killer, a CI timeout).
 */
@Timeout(90)
class ParentWatchdogTests {

	private static final Pattern STARTED = Pattern.compile("PID (\\d+) PORT (\\d+)");

	@Test
	void theServerEndsWhenItsJvmIsKilled() throws Exception {
		Process child = childJvm();
		try {
			Matcher started = awaitStarted(child);
			long serverPid = Long.parseLong(started.group(1));
			int port = Integer.parseInt(started.group(2));
			ProcessHandle server = ProcessHandle.of(serverPid).orElseThrow();
			assertThat(server.isAlive()).isTrue();
			assertThat(Ports.isListening(port)).isTrue();

			child.destroyForcibly();
			assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
			assertThat(child.exitValue()).as("killed by SIGKILL").isEqualTo(128 + 9);

			await().atMost(Duration.ofSeconds(10)).until(() -> !server.isAlive());
			assertThat(Ports.isListening(port)).isFalse();
		}
		finally {
			child.destroyForcibly();
		}
	}

	@Test
	void stoppingTheServerEndsItsWatchdog() {
		try (NatsServer server = NatsServer.builder().start()) {
			long pid = server.pid();
			await().atMost(Duration.ofSeconds(5)).until(() -> watchdogOf(pid).isPresent());

			server.stop();

			await().atMost(Duration.ofSeconds(5)).until(() -> watchdogOf(pid).isEmpty());
			server.start();
			long restarted = server.pid();
			await().atMost(Duration.ofSeconds(5)).until(() -> watchdogOf(restarted).isPresent());
			server.kill();
			await().atMost(Duration.ofSeconds(5)).until(() -> watchdogOf(restarted).isEmpty());
		}
	}

	private static java.util.Optional<ProcessHandle> watchdogOf(long serverPid) {
		return ProcessHandle.current()
			.children()
			.filter(child -> child.info()
				.arguments()
				.map(List::of)
				.map(arguments -> arguments.contains("nats-server-watchdog")
						&& arguments.contains(Long.toString(serverPid)))
				.orElse(false))
			.findFirst();
	}

	private static Process childJvm() throws Exception {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		String executable = System.getProperty(NatsServer.EXECUTABLE_PROPERTY);
		if (executable != null) {
			command.add("-D" + NatsServer.EXECUTABLE_PROPERTY + "=" + executable);
		}
		command.addAll(List.of("-cp", System.getProperty("java.class.path"), ServerInChildJvm.class.getName()));
		return new ProcessBuilder(command).redirectErrorStream(true).start();
	}

	private static Matcher awaitStarted(Process child) throws Exception {
		BufferedReader output = new BufferedReader(
				new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
		StringBuilder seen = new StringBuilder();
		return CompletableFuture.supplyAsync(() -> {
			try {
				for (String line = output.readLine(); line != null; line = output.readLine()) {
					seen.append(line).append('\n');
					Matcher matcher = STARTED.matcher(line);
					if (matcher.matches()) {
						return matcher;
					}
				}
			}
			catch (java.io.IOException ex) {
				throw new java.io.UncheckedIOException(ex);
			}
			throw new IllegalStateException("The child JVM ended without starting a server:\n" + seen);
		}).get(60, TimeUnit.SECONDS);
	}

}
