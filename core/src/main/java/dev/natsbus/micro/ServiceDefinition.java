package dev.natsbus.micro;

import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

import io.nats.client.support.Validator;

/**
 * What a NATS micro service declares about itself: the same for every running instance.
 * The name and version are checked against the protocol (ADR-32) here, so that a wrong
 * value fails start-up rather than making discovery tools reject the responses.
 *
 * @param name the service name, letters, digits, {@code -} and {@code _}
 * @param version a semantic version such as {@code 1.2.0} or {@code 2.0.0-rc.1}
 * @param description a description for humans, possibly empty
 * @param metadata free-form metadata of the instance, possibly empty
 */
public record ServiceDefinition(String name, String version, String description, Map<String, String> metadata) {

	private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

	/**
	 * @throws IllegalArgumentException when the name or the version breaks the protocol
	 */
	public ServiceDefinition {
		if (!isValidName(name)) {
			throw new IllegalArgumentException(
					"NATS micro service name '" + name + "' is invalid: use only letters, digits, '-' and '_'");
		}
		if (version == null || !Validator.isSemVer(version)) {
			throw new IllegalArgumentException("NATS micro service '" + name + "' has version '" + version
					+ "', which is not a semantic version (such as 1.0.0 or 1.2.0-SNAPSHOT)");
		}
		description = Objects.requireNonNullElse(description, "");
		metadata = (metadata != null) ? Map.copyOf(metadata) : Map.of();
	}

	/** Whether {@code name} may name a service or an endpoint. */
	public static boolean isValidName(String name) {
		return name != null && NAME.matcher(name).matches();
	}

	/** Whether {@code version} is a semantic version. */
	public static boolean isValidVersion(String version) {
		return version != null && Validator.isSemVer(version);
	}

	/** A copy with another name, version and description, keeping the metadata. */
	ServiceDefinition with(String name, String version, String description) {
		return new ServiceDefinition(name, version, description, this.metadata);
	}

}
