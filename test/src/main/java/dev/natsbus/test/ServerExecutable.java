package dev.natsbus.test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the nats-server binary, failing with instructions rather than an obscure
 * IOException.
 */
final class ServerExecutable {

	private static final String DEFAULT_NAME = "nats-server";

	private ServerExecutable() {
	}

	/**
	 * Resolves, in order: an explicit override, the
	 * {@value NatsServer#EXECUTABLE_PROPERTY} system property, the
	 * {@value NatsServer#EXECUTABLE_ENV} environment variable, {@code nats-server} on
	 * PATH.
	 */
	static Path resolve(Path override) {
		if (override != null) {
			return requireExecutable(override, "the builder's executable(..)");
		}
		String property = System.getProperty(NatsServer.EXECUTABLE_PROPERTY);
		if (property != null && !property.isBlank()) {
			return requireExecutable(Path.of(property.trim()), "system property " + NatsServer.EXECUTABLE_PROPERTY);
		}
		String env = System.getenv(NatsServer.EXECUTABLE_ENV);
		if (env != null && !env.isBlank()) {
			return requireExecutable(Path.of(env.trim()), "environment variable " + NatsServer.EXECUTABLE_ENV);
		}
		String path = System.getenv("PATH");
		if (path != null) {
			for (String dir : path.split(File.pathSeparator)) {
				if (dir.isBlank()) {
					continue;
				}
				Path candidate = Path.of(dir, DEFAULT_NAME);
				if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
					return candidate.toAbsolutePath();
				}
			}
		}
		throw new IllegalStateException("No '" + DEFAULT_NAME + "' executable found on PATH. " + howToFix());
	}

	private static Path requireExecutable(Path path, String source) {
		if (Files.isRegularFile(path) && Files.isExecutable(path)) {
			return path.toAbsolutePath();
		}
		throw new IllegalStateException("The nats-server executable '" + path + "' given by " + source
				+ " does not exist or is not executable. " + howToFix());
	}

	private static String howToFix() {
		return "Install nats-server (e.g. 'apt-get install -y nats-server', or a release from "
				+ "https://github.com/nats-io/nats-server/releases) or point the system property '"
				+ NatsServer.EXECUTABLE_PROPERTY + "' or the environment variable '" + NatsServer.EXECUTABLE_ENV
				+ "' at the binary.";
	}

}
