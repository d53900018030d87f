package dev.natsbus.autoconfigure;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.core.io.Resource;

/**
 * Where and as whom to connect to NATS. Defined from {@code natsbus.*} properties unless
 * a test or tool supplies its own bean. At most one means of authentication may be given.
 */
public interface NatsBusConnectionDetails extends ConnectionDetails {

	/** Server URLs, such as {@code nats://localhost:4222}. */
	List<String> getServers();

	/** User name, or {@code null}. */
	default @Nullable String getUsername() {
		return null;
	}

	/** Password, or {@code null}. */
	default @Nullable String getPassword() {
		return null;
	}

	/** Token, or {@code null}. */
	default @Nullable String getToken() {
		return null;
	}

	/** NKey user seed ({@code SU...}), or {@code null}. */
	default @Nullable String getNkeySeed() {
		return null;
	}

	/**
	 * Credentials file (user JWT and NKey seed, as written by {@code nsc}), or
	 * {@code null}.
	 */
	default @Nullable Resource getCredentials() {
		return null;
	}

	/**
	 * SSL bundle for TLS, or {@code null} for TLS with the JVM defaults when a URL asks
	 * for it.
	 */
	default @Nullable SslBundle getSslBundle() {
		return null;
	}

}
