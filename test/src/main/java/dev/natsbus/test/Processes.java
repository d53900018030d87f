package dev.natsbus.test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short command to its end, failing with its output when it fails. */
final class Processes {

	private static final long TIMEOUT_SECONDS = 10;

	private Processes() {
	}

	/**
	 * Runs {@code command}; {@code purpose} says what for, in the failure message.
	 * @throws IllegalStateException if it cannot run, fails or hangs
	 */
	static void run(List<String> command, String purpose) {
		Process process;
		try {
			process = new ProcessBuilder(command).redirectErrorStream(true).start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not " + purpose + ": " + ex.getMessage(), ex);
		}
		try (InputStream output = process.getInputStream()) {
			String text = new String(output.readAllBytes(), StandardCharsets.UTF_8).strip();
			if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException("Could not " + purpose + ": " + command.get(0) + " hangs");
			}
			if (process.exitValue() != 0) {
				throw new IllegalStateException("Could not " + purpose + ": exit code " + process.exitValue()
						+ (text.isEmpty() ? "" : ", " + text));
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not " + purpose + ": " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while trying to " + purpose, ex);
		}
	}

}
