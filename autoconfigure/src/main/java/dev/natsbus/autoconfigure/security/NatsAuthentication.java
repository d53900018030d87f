package dev.natsbus.autoconfigure.security;

import dev.natsbus.autoconfigure.diagnostics.NatsBusConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.nats.client.AuthHandler;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.support.JwtUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.io.Resource;
import org.springframework.util.StringUtils;

/**
 * The one way a connection authenticates: user and password, token, NKey seed,
 * credentials file, or the application's {@link AuthHandler} bean, which wins over the
 * others. Two ways at once fail with a message naming both. Messages name properties,
 * never their values.
 */
public final class NatsAuthentication {

	private static final Logger logger = LoggerFactory.getLogger(NatsAuthentication.class);

	private static final Pattern JWT_BLOCK = Pattern
		.compile("-{3,}BEGIN NATS USER JWT-{3,}\\s*(\\S+)\\s*-{3,}END NATS USER JWT-{3,}");

	private static final Pattern SEED_BLOCK = Pattern.compile("-{3,}BEGIN USER NKEY SEED-{3,}");

	private static final String CREDENTIALS_ACTION = "Point %s at the credentials file (.creds) that nsc wrote for "
			+ "the user, readable by this application, for example file:/run/secrets/app.creds.";

	private static final Pattern EXPIRY = Pattern.compile("\"exp\"\\s*:\\s*(\\d+)");

	/** No authentication. */
	public static final NatsAuthentication NONE = new NatsAuthentication("no credentials", builder -> {
	}, null);

	private final String description;

	private final Consumer<Options.Builder> applier;

	private final Instant expiry;

	private NatsAuthentication(String description, Consumer<Options.Builder> applier, Instant expiry) {
		this.description = description;
		this.applier = applier;
		this.expiry = expiry;
	}

	/**
	 * The authentication to use.
	 * @param credentials what was configured: username, password, token, seed,
	 * credentials file
	 * @param authHandler the application's own {@link AuthHandler}, or {@code null}
	 * @throws IllegalStateException when two ways are configured or one is unusable
	 */
	public static NatsAuthentication resolve(Credentials credentials, AuthHandler authHandler) {
		Map<String, Supplier<NatsAuthentication>> modes = new LinkedHashMap<>();
		if (credentials.urlUserInfo() != null) {
			modes.put("user info in natsbus.servers", () -> userInfo(credentials.urlUserInfo()));
		}
		if (StringUtils.hasText(credentials.username())) {
			String password = (credentials.password() != null) ? credentials.password() : "";
			modes.put(credentials.label("natsbus.username"),
					() -> new NatsAuthentication(
							credentials.label("natsbus.username") + "/" + credentials.label("natsbus.password"),
							builder -> builder.userInfo(credentials.username().toCharArray(), password.toCharArray()),
							null));
		}
		else if (StringUtils.hasText(credentials.password())) {
			throw new NatsBusConfigurationException(
					credentials.label("natsbus.password") + " is set without " + credentials.label("natsbus.username"),
					"Set " + credentials.label("natsbus.username") + " too, or remove "
							+ credentials.label("natsbus.password") + ".");
		}
		if (StringUtils.hasText(credentials.token())) {
			String label = credentials.label("natsbus.token");
			modes.put(label, () -> new NatsAuthentication(label,
					builder -> builder.token(credentials.token().toCharArray()), null));
		}
		if (credentials.nkeySeed() != null) {
			String label = credentials.seedLabel();
			modes.put(label, () -> {
				String seed = credentials.nkeySeed().get();
				NKeyAuthHandler handler = NKeyAuthHandler.fromSeed(seed, label);
				return new NatsAuthentication(label + " (" + handler.getPublicKey() + ")",
						builder -> builder.authHandler(handler), null);
			});
		}
		if (credentials.credentialsFile() != null) {
			String label = credentials.label("natsbus.credentials");
			modes.put(label, () -> credentialsFile(credentials.credentialsFile(), label));
		}
		if (authHandler != null) {
			if (!modes.isEmpty()) {
				logger.info("Authenticating to NATS with the AuthHandler bean; ignoring {}",
						String.join(", ", modes.keySet()));
			}
			return new NatsAuthentication("the AuthHandler bean", builder -> builder.authHandler(authHandler), null);
		}
		if (modes.size() > 1) {
			List<String> names = new ArrayList<>(modes.keySet());
			String last = names.remove(names.size() - 1);
			throw new NatsBusConfigurationException(
					String.join(", ", names) + " and " + last + " are " + ((modes.size() == 2) ? "both" : "all")
							+ " set; NATS authenticates a connection in one way at a time, so set only one of them",
					"Keep the one of " + String.join(", ", names) + " and " + last
							+ " that the server's user is configured with, and remove the "
							+ ((modes.size() == 2) ? "other" : "others")
							+ " (also from environment variables and profiles). An AuthHandler bean wins over all "
							+ "of them.");
		}
		return modes.isEmpty() ? NONE : modes.values().iterator().next().get();
	}

	private static NatsAuthentication userInfo(String userInfo) {
		int colon = userInfo.indexOf(':');
		if (colon < 0) {
			return new NatsAuthentication("the token in natsbus.servers",
					builder -> builder.token(userInfo.toCharArray()), null);
		}
		char[] user = userInfo.substring(0, colon).toCharArray();
		char[] password = userInfo.substring(colon + 1).toCharArray();
		return new NatsAuthentication("the user info in natsbus.servers", builder -> builder.userInfo(user, password),
				null);
	}

	private static NatsAuthentication credentialsFile(Resource resource, String label) {
		if (!resource.exists()) {
			throw new NatsBusConfigurationException(label + ": " + resource.getDescription() + " does not exist",
					CREDENTIALS_ACTION.formatted(label));
		}
		byte[] content;
		try {
			content = resource.getContentAsByteArray();
		}
		catch (IOException ex) {
			throw new NatsBusConfigurationException(label + ": " + resource.getDescription() + " cannot be read",
					CREDENTIALS_ACTION.formatted(label), ex);
		}
		try {
			String text = new String(content, StandardCharsets.UTF_8);
			Matcher jwt = JWT_BLOCK.matcher(text);
			if (!jwt.find() || !SEED_BLOCK.matcher(text).find()) {
				throw new NatsBusConfigurationException(label + ": " + resource.getDescription()
						+ " is not a NATS credentials file; it needs a user JWT and an NKey seed, as written by nsc",
						CREDENTIALS_ACTION.formatted(label));
			}
			Instant expiry = expiry(jwt.group(1));
			String description = label + " (" + resource.getDescription() + ")";
			if (resource.isFile()) {
				// jnats reads the file on every connect, so that rotated credentials are
				// picked up.
				String path = resource.getFile().getAbsolutePath();
				return new NatsAuthentication(description, builder -> builder.authHandler(Nats.credentials(path)),
						expiry);
			}
			AuthHandler handler = Nats.staticCredentials(content.clone());
			return new NatsAuthentication(description, builder -> builder.authHandler(handler), expiry);
		}
		catch (IOException ex) {
			throw new NatsBusConfigurationException(label + ": " + resource.getDescription() + " cannot be read",
					CREDENTIALS_ACTION.formatted(label), ex);
		}
		finally {
			Arrays.fill(content, (byte) 0);
		}
	}

	/** When the user JWT expires, or {@code null}: a hint for failures, not a check. */
	private static Instant expiry(String jwt) {
		try {
			Matcher exp = EXPIRY.matcher(JwtUtils.getClaimBody(jwt));
			return exp.find() ? Instant.ofEpochSecond(Long.parseLong(exp.group(1))) : null;
		}
		catch (RuntimeException ex) {
			return null;
		}
	}

	/** Sets this authentication on the builder. */
	public void apply(Options.Builder builder) {
		this.applier.accept(builder);
	}

	/**
	 * Which configuration the credentials come from, e.g.
	 * {@code natsbus.username/natsbus.password}.
	 */
	public String getDescription() {
		return this.description;
	}

	/** When the user JWT of a credentials file expires, or {@code null}. */
	public Instant getExpiry() {
		return this.expiry;
	}

	@Override
	public String toString() {
		return "NatsAuthentication[" + this.description + "]";
	}

	/**
	 * What is configured for authentication.
	 *
	 * @param username the user name, or {@code null}
	 * @param password the password, or {@code null}
	 * @param token the token, or {@code null}
	 * @param nkeySeed reads the NKey seed (only if that mode is chosen), or {@code null}
	 * @param credentialsFile the credentials file, or {@code null}
	 * @param urlUserInfo user info found in the server URLs, or {@code null}
	 * @param seedProperty the property the seed comes from, for messages
	 * @param fromProperties whether these come from {@code natsbus.*} properties rather
	 * than a connection details bean, for messages
	 */
	public record Credentials(String username, String password, String token, Supplier<String> nkeySeed,
			Resource credentialsFile, String urlUserInfo, String seedProperty, boolean fromProperties) {

		String label(String property) {
			return this.fromProperties ? property
					: property.substring("natsbus.".length()) + " of the NatsBusConnectionDetails bean";
		}

		String seedLabel() {
			return label(this.seedProperty);
		}

		@Override
		public String toString() {
			return "Credentials[username=" + this.username + "]";
		}

	}

}
