package dev.natsbus.autoconfigure;

import dev.natsbus.autoconfigure.diagnostics.NatsBusConfigurationException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;

import dev.natsbus.BusConnectionException;
import dev.natsbus.autoconfigure.security.NatsAuthentication;
import dev.natsbus.autoconfigure.security.NatsConnectFailures;
import dev.natsbus.autoconfigure.security.NatsPermissionViolations;
import dev.natsbus.autoconfigure.security.NatsSecurityErrorListener;
import dev.natsbus.autoconfigure.security.NatsTls;
import dev.natsbus.autoconfigure.security.ServerUrls;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.autoconfigure.security.ConnectAttempts;
import dev.natsbus.listener.BusListenerContainer;
import io.nats.client.AuthHandler;
import io.nats.client.ConnectionListener;
import io.nats.client.Consumer;
import io.nats.client.Options;
import io.nats.client.ServerPool;

import org.springframework.util.StringUtils;

/**
 * Builds the jnats {@link Options} of each pooled connection from the connection details,
 * the properties and the user's customizers, in that order, and connects the pool.
 */
class NatsOptionsFactory {

	private final NatsBusConnectionDetails connectionDetails;

	private final NatsBusProperties properties;

	private final List<NatsOptionsBuilderCustomizer> customizers;

	private final String connectionName;

	private final boolean fromProperties;

	private final NatsConnectFailures failures;

	private ConnectionListener connectionEvents;

	private AuthHandler authHandler;

	private NatsPermissionViolations permissionViolations;

	private Function<Consumer, Optional<BusListenerContainer>> listeners = (consumer) -> Optional.empty();

	private Function<Options, ThreadFactory> connectThreads;

	private NatsAuthentication authentication = NatsAuthentication.NONE;

	private NatsTls tls = NatsTls.NONE;

	NatsOptionsFactory(NatsBusConnectionDetails connectionDetails, NatsBusProperties properties,
			List<NatsOptionsBuilderCustomizer> customizers, String connectionName) {
		this.connectionDetails = connectionDetails;
		this.properties = properties;
		this.customizers = customizers;
		this.connectionName = connectionName;
		this.fromProperties = connectionDetails instanceof PropertiesNatsBusConnectionDetails;
		this.failures = new NatsConnectFailures(serversSource());
	}

	private String serversSource() {
		return this.fromProperties ? "natsbus.servers" : "the servers of the NatsBusConnectionDetails bean";
	}

	/**
	 * Told each change of a connection's state, once (e.g. to publish it as an
	 * application event); may be {@code null}.
	 */
	void setConnectionEvents(ConnectionListener connectionEvents) {
		this.connectionEvents = connectionEvents;
	}

	/**
	 * The application's own authentication, which wins over the properties; may be
	 * {@code null}.
	 */
	void setAuthHandler(AuthHandler authHandler) {
		this.authHandler = authHandler;
	}

	/** Makes the thread that connects a pooled connection in the background. */
	void setConnectThreads(Function<Options, ThreadFactory> connectThreads) {
		this.connectThreads = connectThreads;
	}

	/** Finds the listener of a subscription that a slow-consumer report names. */
	void setListeners(Function<Consumer, Optional<BusListenerContainer>> listeners) {
		this.listeners = listeners;
	}

	/**
	 * Where permission violations reported by the servers are recorded; may be
	 * {@code null}.
	 */
	void setPermissionViolations(NatsPermissionViolations permissionViolations) {
		this.permissionViolations = permissionViolations;
	}

	/**
	 * Connects the pool, now or in the background as configured, with a start-up failure
	 * that says why when authentication or TLS failed.
	 */
	NatsConnectionPool connect() {
		List<Options> all = createAll();
		if (this.properties.isBackgroundConnect()) {
			return (this.connectThreads != null) ? NatsConnectionPool.connectInBackground(all, this.connectThreads)
					: NatsConnectionPool.connectInBackground(all);
		}
		try {
			return NatsConnectionPool.connect(all);
		}
		catch (BusConnectionException ex) {
			throw this.failures.explain(ex, all, this.authentication, this.tls);
		}
	}

	List<Options> createAll() {
		int size = this.properties.getPool().getSize();
		if (size < 1) {
			throw new IllegalArgumentException("natsbus.pool.size must be at least 1, not " + size);
		}
		List<String> urls = serverUrls();
		String[] servers = urls.stream().map(ServerUrls::redact).toArray(String[]::new);
		this.authentication = NatsAuthentication.resolve(credentials(urls), this.authHandler);
		this.tls = NatsTls.resolve(tlsSettings(), servers);
		List<Options> all = new ArrayList<>(size);
		for (int i = 0; i < size; i++) {
			all.add(create(i, servers));
		}
		return all;
	}

	/**
	 * The server URLs; never empty, because jnats would then silently use localhost:4222.
	 */
	private List<String> serverUrls() {
		List<String> servers = this.connectionDetails.getServers();
		if (servers == null || servers.isEmpty() || !servers.stream().allMatch(StringUtils::hasText)) {
			throw new NatsBusConfigurationException(
					serversSource() + " must list at least one NATS server URL and no blank one, not "
							+ ServerUrls.redact(servers),
					"Set natsbus.servers to the URLs of your NATS servers, e.g. nats://localhost:4222.");
		}
		ServerUrls.requireValid(serversSource(), servers);
		return servers.stream().map(String::trim).toList();
	}

	/**
	 * What is configured for authentication. User info in the URLs is taken out of them,
	 * so that jnats, which quotes URLs in its exceptions, never sees it.
	 */
	private NatsAuthentication.Credentials credentials(List<String> urls) {
		List<String> userInfos = urls.stream().map(ServerUrls::userInfo).distinct().toList();
		if (userInfos.size() > 1) {
			throw new NatsBusConfigurationException(
					"natsbus.servers carry different user info; set natsbus.username and "
							+ "natsbus.password (or natsbus.token) instead",
					"Remove the user info from the URLs in natsbus.servers and set natsbus.username and "
							+ "natsbus.password (or natsbus.token) once.");
		}
		String urlUserInfo = userInfos.get(0);
		boolean fromProperties = this.fromProperties;
		String seedProperty = (fromProperties && this.properties.getNkeySeedFile() != null
				&& !StringUtils.hasText(this.properties.getNkeySeed())) ? "natsbus.nkey-seed-file"
						: "natsbus.nkey-seed";
		boolean hasSeed = fromProperties
				? StringUtils.hasText(this.properties.getNkeySeed()) || this.properties.getNkeySeedFile() != null
				: StringUtils.hasText(this.connectionDetails.getNkeySeed());
		return new NatsAuthentication.Credentials(this.connectionDetails.getUsername(),
				this.connectionDetails.getPassword(), this.connectionDetails.getToken(),
				hasSeed ? this.connectionDetails::getNkeySeed : null, this.connectionDetails.getCredentials(),
				urlUserInfo, seedProperty, fromProperties);
	}

	private NatsTls.Settings tlsSettings() {
		NatsBusProperties.Ssl ssl = this.properties.getSsl();
		String bundleName = ssl.getBundle();
		String bundleDescription = StringUtils.hasText(bundleName) ? "SSL bundle '" + bundleName + "'"
				: "the SSL bundle of the NatsBusConnectionDetails bean";
		return new NatsTls.Settings(ssl.getEnabled(), this.connectionDetails.getSslBundle(), bundleDescription,
				ssl.isTlsFirst(), ssl.isVerifyHostname());
	}

	private Options create(int index, String[] servers) {
		String name = this.connectionName + "-" + index;
		NatsBusProperties properties = this.properties;
		ConnectAttempts attempts = this.failures.attempts(name);
		NatsAuthentication authentication = this.authentication;
		NatsTls tls = this.tls;
		NatsConnectionLogger logger = new NatsConnectionLogger(this.connectionEvents, attempts,
				attempt -> this.failures.describe(attempt, authentication, tls, properties.getConnectionTimeout()),
				properties.isBackgroundConnect(), this.listeners);
		NatsSecurityErrorListener errorListener = new NatsSecurityErrorListener(logger, attempts,
				this.permissionViolations, this.authentication.getDescription());
		ServerPool serverPool = attempts.serverPool(null);
		Options.Builder builder = new Options.Builder().servers(servers)
			.connectionName(name)
			.connectionTimeout(properties.getConnectionTimeout())
			.maxReconnects(properties.getMaxReconnects())
			.reconnectWait(properties.getReconnectWait())
			.reconnectJitter(properties.getReconnectJitter())
			.reconnectJitterTls(properties.getReconnectJitterTls())
			.reconnectBufferSize(properties.getReconnectBufferSize().toBytes())
			.pingInterval(properties.getPingInterval())
			.maxPingsOut(properties.getMaxPingsOut())
			.inboxPrefix(Objects.requireNonNullElse(properties.getInboxPrefix(), "_INBOX."))
			// A 503 becomes a distinct failure rather than a cancellation
			// indistinguishable from a timeout.
			.reportNoResponders()
			.connectionListener(logger)
			.errorListener(errorListener)
			.serverPool(serverPool);
		if (properties.isNoEcho()) {
			builder.noEcho();
		}
		this.authentication.apply(builder);
		this.tls.apply(builder);
		this.customizers.forEach(customizer -> customizer.customize(builder));
		Options options = builder.build();
		attempts.setObserved(options.getConnectionListener() == logger && options.getErrorListener() == errorListener
				&& options.getServerPool() == serverPool);
		return options;
	}

}
