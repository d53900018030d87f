package dev.natsbus.reliability;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Applications in a JVM of their own, started from this test's class path, so that a test
 * can kill them as a crash does (SIGKILL: no shutdown, sockets reset by the kernel). The
 * child ends by itself when this JVM goes away (its standard input closes).
 */
final class ChildJvm implements AutoCloseable {

	static final String READY = "CHILD-JVM-READY";

	private final Process process;

	private final StringBuffer output = new StringBuffer();

	private final CompletableFuture<Void> ready = new CompletableFuture<>();

	private ChildJvm(Process process) {
		this.process = process;
		Thread reader = new Thread(this::read, "child-jvm-output-" + process.pid());
		reader.setDaemon(true);
		reader.start();
	}

	/**
	 * Starts {@link ChildApplications} with {@code arguments} and waits until it says it
	 * is ready.
	 */
	static ChildJvm start(List<String> arguments, Duration timeout) throws Exception {
		List<String> command = new ArrayList<>(
				List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
						"-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
						ChildApplications.class.getName()));
		command.addAll(arguments);
		ChildJvm child = new ChildJvm(new ProcessBuilder(command).redirectErrorStream(true).start());
		try {
			child.ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (Exception ex) {
			child.close();
			throw new IllegalStateException("Child JVM not ready in " + timeout + ":\n" + child.output, ex);
		}
		return child;
	}

	/** Kills the JVM with SIGKILL and returns once it is gone. */
	void kill() throws InterruptedException {
		this.process.destroyForcibly();
		if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
			throw new IllegalStateException("Child JVM " + this.process.pid() + " survived SIGKILL");
		}
	}

	@Override
	public void close() throws InterruptedException {
		if (this.process.isAlive()) {
			kill();
		}
	}

	private void read() {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			for (String line = reader.readLine(); line != null; line = reader.readLine()) {
				if (line.equals(READY)) {
					this.ready.complete(null);
				}
				else if (this.output.length() < 100_000) {
					this.output.append(line).append('\n');
				}
			}
			this.ready.completeExceptionally(new IllegalStateException("Child JVM ended"));
		}
		catch (IOException ex) {
			this.ready.completeExceptionally(new UncheckedIOException(ex));
		}
	}

}
