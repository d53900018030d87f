package dev.natsbus.test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code nats-server -t} on a generated config before starting the server, so a
 * broken config fails at once with the parser's message instead of after the runner's
 * connect retries.
 */
final class ConfigCheck {

	private static final long TIMEOUT_SECONDS = 10;

	private ConfigCheck() {
	}

	static void verify(Path executable, Path config) {
		Process process;
		try {
			process = new ProcessBuilder(executable.toString(), "-t", "-c", config.toString()).redirectErrorStream(true)
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run " + executable + " to check " + config, ex);
		}
		try (InputStream output = process.getInputStream()) {
			String text = new String(output.readAllBytes(), StandardCharsets.UTF_8).strip();
			if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("Checking nats-server config " + config + " timed out");
			}
			if (process.exitValue() != 0) {
				throw new IllegalStateException("Invalid nats-server config " + config + ": " + text);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not read the config check output for " + config, ex);
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while checking " + config, ex);
		}
	}

}
