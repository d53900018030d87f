package dev.natsbus.interop;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs the nats.js scripts of {@code src/test/js} with the machine's Node.js, as child
 * processes bounded in time and killed by their PID when they overrun. The first use
 * installs their npm packages into {@code target/interop-js} with {@code npm ci} from the
 * committed lock file (again only when the lock file changed), so a fresh clone needs
 * nothing but {@code node} and {@code npm} on the {@code PATH} and the npm registry.
 */
final class NodeScripts {

	private static final Path SOURCES = Path.of("src", "test", "js").toAbsolutePath();

	private static final Path WORK = Path.of("target", "interop-js").toAbsolutePath();

	private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);

	private static boolean installed;

	private NodeScripts() {
	}

	/**
	 * Copies the scripts to {@code target/interop-js} and installs their packages once.
	 * @throws IllegalStateException when Node.js or npm is missing or the install fails,
	 * with what to do about it
	 */
	static synchronized Path install() {
		if (installed) {
			return WORK;
		}
		try {
			Files.createDirectories(WORK);
			try (Stream<Path> files = Files.list(SOURCES)) {
				for (Path file : files.filter(Files::isRegularFile).toList()) {
					Files.copy(file, WORK.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
				}
			}
			Path lock = WORK.resolve("package-lock.json");
			Path installedLock = WORK.resolve("node_modules").resolve(".installed-package-lock.json");
			if (!Files.exists(installedLock) || Files.mismatch(lock, installedLock) != -1) {
				String version = runQuietly(List.of("node", "--version"), Duration.ofSeconds(30));
				int major = Integer.parseInt(version.trim().replaceFirst("^v(\\d+).*$", "$1"));
				if (major < 18) {
					throw new IllegalStateException(
							"The nats.js interop tests need Node.js 18 or later, found " + version);
				}
				runQuietly(List.of("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"), INSTALL_TIMEOUT);
				Files.copy(lock, installedLock, StandardCopyOption.REPLACE_EXISTING);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not prepare " + WORK, ex);
		}
		installed = true;
		return WORK;
	}

	/** Starts {@code node script args...}; its output is read line by line. */
	static Script start(String script, String... args) {
		Path work = install();
		List<String> command = new ArrayList<>(List.of("node", script));
		command.addAll(List.of(args));
		try {
			Process process = new ProcessBuilder(command).directory(work.toFile())
				.redirectError(work.resolve(script + ".err.log").toFile())
				.start();
			return new Script(script, process);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run " + command + ": is Node.js on the PATH?", ex);
		}
	}

	private static String runQuietly(List<String> command, Duration timeout) {
		Path log = WORK.resolve(command.get(0) + ".log");
		Process process;
		try {
			process = new ProcessBuilder(command).directory(WORK.toFile())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("The nats.js interop tests need '" + command.get(0)
					+ "' on the PATH (Node.js 18+ with npm): " + ex.getMessage(), ex);
		}
		try {
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				kill(process);
				throw new IllegalStateException(command + " did not finish within " + timeout.toSeconds() + " s");
			}
			String output = Files.readString(log, StandardCharsets.UTF_8);
			if (process.exitValue() != 0) {
				throw new IllegalStateException(
						command + " failed with exit code " + process.exitValue() + ":\n" + output);
			}
			return output;
		}
		catch (InterruptedException ex) {
			kill(process);
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while running " + command, ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** Ends a process this class started, and any it started, by their PIDs. */
	private static void kill(Process process) {
		process.descendants().forEach(ProcessHandle::destroyForcibly);
		process.destroyForcibly();
	}

	/**
	 * One running script: its output lines as they come, bounded waits, a kill at the
	 * end.
	 */
	static final class Script implements AutoCloseable {

		private final String name;

		private final Process process;

		private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

		Script(String name, Process process) {
			this.name = name;
			this.process = process;
			Thread reader = new Thread(() -> {
				try (BufferedReader output = new BufferedReader(
						new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
					String line;
					while ((line = output.readLine()) != null) {
						this.lines.add(line);
					}
				}
				catch (IOException ex) {
					// The process ended.
				}
			}, "node-" + name);
			reader.setDaemon(true);
			reader.start();
		}

		/**
		 * The next line the script prints.
		 * @throws AssertionError when none comes within {@code timeout}
		 */
		String nextLine(Duration timeout) throws InterruptedException {
			String line = this.lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
			if (line == null) {
				throw new AssertionError(this.name + " printed nothing within " + timeout.toMillis() + " ms (pid "
						+ this.process.pid() + ", alive " + this.process.isAlive() + "); see " + errorLog());
			}
			return line;
		}

		/**
		 * Waits for the script to exit on its own.
		 * @return its exit code
		 * @throws AssertionError when it is still running after {@code timeout}
		 */
		int awaitExit(Duration timeout) throws InterruptedException {
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				throw new AssertionError(this.name + " still runs after " + timeout.toMillis() + " ms");
			}
			return this.process.exitValue();
		}

		String errorLog() {
			try {
				return Files.readString(WORK.resolve(this.name + ".err.log"), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				return "(no error log)";
			}
		}

		@Override
		public void close() {
			if (this.process.isAlive()) {
				kill(this.process);
			}
		}

	}

}
