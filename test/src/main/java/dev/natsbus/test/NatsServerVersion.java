package dev.natsbus.test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The version of a nats-server binary ({@code nats-server --version}), so that tests can
 * require one: {@code server.version().isAtLeast("2.10")}, or {@link RequiresNatsServer}.
 * Pre-release suffixes ({@code -RC.1}) are ignored.
 */
public final class NatsServerVersion implements Comparable<NatsServerVersion> {

	private static final Pattern VERSION = Pattern.compile("v?(\\d+)\\.(\\d+)(?:\\.(\\d+))?");

	private static final Map<Path, NatsServerVersion> BY_EXECUTABLE = new ConcurrentHashMap<>();

	private static final long TIMEOUT_SECONDS = 10;

	private final int major;

	private final int minor;

	private final int patch;

	private NatsServerVersion(int major, int minor, int patch) {
		this.major = major;
		this.minor = minor;
		this.patch = patch;
	}

	/**
	 * Parses {@code 2.10}, {@code 2.9.10}, {@code v2.15.1} or the whole output of
	 * {@code nats-server --version} ({@code nats-server: v2.9.10}).
	 * @throws IllegalArgumentException if the text names no version
	 */
	public static NatsServerVersion parse(String text) {
		Matcher matcher = VERSION.matcher(text == null ? "" : text);
		if (!matcher.find()) {
			throw new IllegalArgumentException("Not a nats-server version: '" + text + "'");
		}
		int patch = matcher.group(3) != null ? Integer.parseInt(matcher.group(3)) : 0;
		return new NatsServerVersion(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2)), patch);
	}

	/**
	 * The version of the binary that {@link NatsServer} runs when the builder names none
	 * (system property, environment variable, then PATH).
	 * @throws IllegalStateException if there is no such binary or it does not tell its
	 * version
	 */
	public static NatsServerVersion installed() {
		return of(ServerExecutable.resolve(null));
	}

	/** The version of {@code executable}, asked once per binary and remembered. */
	static NatsServerVersion of(Path executable) {
		return BY_EXECUTABLE.computeIfAbsent(executable, NatsServerVersion::ask);
	}

	private static NatsServerVersion ask(Path executable) {
		Process process;
		try {
			process = new ProcessBuilder(executable.toString(), "--version").redirectErrorStream(true).start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not run " + executable + " --version", ex);
		}
		try (InputStream output = process.getInputStream()) {
			String text = new String(output.readAllBytes(), StandardCharsets.UTF_8).strip();
			if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(executable + " --version did not answer");
			}
			try {
				return parse(text);
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException(executable + " --version printed no version: " + text, ex);
			}
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not read the output of " + executable + " --version", ex);
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while asking " + executable + " for its version", ex);
		}
	}

	public int major() {
		return this.major;
	}

	public int minor() {
		return this.minor;
	}

	public int patch() {
		return this.patch;
	}

	/** Whether this version is {@code minimum} (e.g. {@code "2.10"}) or newer. */
	public boolean isAtLeast(String minimum) {
		return compareTo(parse(minimum)) >= 0;
	}

	@Override
	public int compareTo(NatsServerVersion other) {
		int byMajor = Integer.compare(this.major, other.major);
		if (byMajor != 0) {
			return byMajor;
		}
		int byMinor = Integer.compare(this.minor, other.minor);
		return (byMinor != 0) ? byMinor : Integer.compare(this.patch, other.patch);
	}

	@Override
	public boolean equals(Object other) {
		return other instanceof NatsServerVersion version && compareTo(version) == 0;
	}

	@Override
	public int hashCode() {
		return (this.major * 1_000 + this.minor) * 1_000 + this.patch;
	}

	/** {@code 2.9.10}. */
	@Override
	public String toString() {
		return this.major + "." + this.minor + "." + this.patch;
	}

}
