package dev.natsbus.autoconfigure;

import java.util.List;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Where and as whom to connect to NATS. Defined from {@code natsbus.*} properties unless a
 * test or tool supplies its own bean.
 */
public interface NatsBusConnectionDetails extends ConnectionDetails {

	/** Server URLs, such as {@code nats://localhost:4222}. */
	List<String> getServers();

	/** User name, or {@code null}. */
	default String getUsername() {
		return null;
	}

	/** Password, or {@code null}. */
	default String getPassword() {
		return null;
	}

	/** Token, or {@code null}. */
	default String getToken() {
		return null;
	}

}
