package dev.natsbus.autoconfigure;

import java.util.ArrayList;
import java.util.List;

import io.nats.client.Options;
import org.springframework.util.StringUtils;

/**
 * Builds the jnats {@link Options} of each pooled connection from the connection details,
 * the properties and the user's customizers, in that order.
 */
class NatsOptionsFactory {

	private final NatsBusConnectionDetails connectionDetails;

	private final NatsBusProperties properties;

	private final List<NatsOptionsBuilderCustomizer> customizers;

	private final String connectionName;

	NatsOptionsFactory(NatsBusConnectionDetails connectionDetails, NatsBusProperties properties,
			List<NatsOptionsBuilderCustomizer> customizers, String connectionName) {
		this.connectionDetails = connectionDetails;
		this.properties = properties;
		this.customizers = customizers;
		this.connectionName = connectionName;
	}

	List<Options> createAll() {
		int size = this.properties.getPool().getSize();
		if (size < 1) {
			throw new IllegalArgumentException("natsbus.pool.size must be at least 1, not " + size);
		}
		String[] servers = servers();
		List<Options> all = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			all.add(create(i, servers));
		}
		return all;
	}

	/** The server URLs; never empty, because jnats would then silently use localhost:4222. */
	private String[] servers() {
		List<String> servers = this.connectionDetails.getServers();
		if (servers == null || servers.isEmpty() || !servers.stream().allMatch(StringUtils::hasText)) {
			throw new IllegalStateException(
					"natsbus.servers must list at least one NATS server URL and no blank one, not " + servers);
		}
		return servers.stream().map(String::trim).toArray(String[]::new);
	}

	private Options create(int index, String[] servers) {
		NatsConnectionLogger logger = new NatsConnectionLogger();
		Options.Builder builder = new Options.Builder()
			.servers(servers)
			.connectionName(this.connectionName + "-" + index)
			.connectionTimeout(this.properties.getConnectionTimeout())
			.maxReconnects(this.properties.getMaxReconnects())
			.reconnectWait(this.properties.getReconnectWait())
			// A 503 becomes a distinct failure rather than a cancellation indistinguishable from a timeout.
			.reportNoResponders()
			.connectionListener(logger)
			.errorListener(logger);
		applyAuthentication(builder);
		this.customizers.forEach(customizer -> customizer.customize(builder));
		return builder.build();
	}

	private void applyAuthentication(Options.Builder builder) {
		String username = this.connectionDetails.getUsername();
		String password = this.connectionDetails.getPassword();
		String token = this.connectionDetails.getToken();
		boolean userInfo = StringUtils.hasText(username);
		boolean hasToken = StringUtils.hasText(token);
		if (userInfo && hasToken) {
			throw new IllegalStateException(
					"Both natsbus.username and natsbus.token are set; NATS accepts one authentication mode at a time");
		}
		if (userInfo) {
			builder.userInfo(username.toCharArray(), (password != null) ? password.toCharArray() : new char[0]);
		}
		else if (hasToken) {
			builder.token(token.toCharArray());
		}
	}

}
