package dev.natsbus.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.natsbus.autoconfigure.security.ServerUrls;
import dev.natsbus.listener.BusListenerContainerFactory;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.template.BusTemplate;
import io.nats.client.Options;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of nats-bus, under {@code natsbus}.
 */
@ConfigurationProperties("natsbus")
public class NatsBusProperties {

	/** NATS server URLs; the client picks one and fails over to the others. */
	private List<String> servers = new ArrayList<>(List.of(Options.DEFAULT_URL));

	/**
	 * Connection name shown by the server (monitoring, logs); each pooled connection adds
	 * its index. Defaults to spring.application.name, else "natsbus".
	 */
	private @Nullable String connectionName;

	/** User name for user/password authentication. */
	private @Nullable String username;

	/** Password for user/password authentication. */
	private @Nullable String password;

	/** Token for token authentication. */
	private @Nullable String token;

	/** NKey user seed ("SU...") for NKey authentication. */
	private @Nullable String nkeySeed;

	/**
	 * File holding the NKey user seed, an alternative to nkey-seed that keeps the seed
	 * out of the configuration.
	 */
	private @Nullable Resource nkeySeedFile;

	/**
	 * Credentials file (user JWT and NKey seed, as written by nsc) for decentralized JWT
	 * authentication. A file, rather than a class path resource, is read again on every
	 * connect so that rotated credentials are picked up.
	 */
	private @Nullable Resource credentials;

	/**
	 * Whether to start even when no server is reachable, connecting in the background
	 * until one is.
	 */
	private boolean backgroundConnect;

	/** Time allowed to establish a connection to a server. */
	private Duration connectionTimeout = Options.DEFAULT_CONNECTION_TIMEOUT;

	/** Maximum reconnect attempts after a connection is lost; -1 for no limit. */
	private int maxReconnects = -1;

	/** Wait between reconnect attempts to the same server. */
	private Duration reconnectWait = Options.DEFAULT_RECONNECT_WAIT;

	/**
	 * Random time up to this long added to reconnect-wait, so that clients do not all
	 * come back at once.
	 */
	private Duration reconnectJitter = Options.DEFAULT_RECONNECT_JITTER;

	/**
	 * Random time up to this long added to reconnect-wait for TLS connections, whose
	 * handshake costs the server more.
	 */
	private Duration reconnectJitterTls = Options.DEFAULT_RECONNECT_JITTER_TLS;

	/**
	 * Outgoing messages buffered while reconnecting; 0 buffers nothing (publishing fails
	 * at once), a negative size has no limit.
	 */
	private DataSize reconnectBufferSize = DataSize.ofBytes(Options.DEFAULT_RECONNECT_BUF_SIZE);

	/** Interval of the client's pings, which detect a dead connection. */
	private Duration pingInterval = Options.DEFAULT_PING_INTERVAL;

	/** Pings left unanswered before the connection is considered dead and reconnects. */
	private int maxPingsOut = Options.DEFAULT_MAX_PINGS_OUT;

	/**
	 * Prefix of reply subjects, for accounts that may not subscribe to the default
	 * _INBOX.>.
	 */
	private String inboxPrefix = Options.DEFAULT_INBOX_PREFIX;

	/**
	 * Whether the server should not deliver a connection's own messages back to its own
	 * subscriptions.
	 */
	private boolean noEcho;

	private final Ssl ssl = new Ssl();

	private final Pool pool = new Pool();

	private final Request request = new Request();

	private final Listener listener = new Listener();

	private final Shutdown shutdown = new Shutdown();

	public List<String> getServers() {
		return this.servers;
	}

	/**
	 * @throws NatsBusConfigurationException when an entry is not a NATS server URL, so
	 * that a typo fails when the properties bind rather than as a strange connect error
	 */
	public void setServers(List<String> servers) {
		ServerUrls.requireValid("natsbus.servers", servers);
		this.servers = servers;
	}

	public @Nullable String getConnectionName() {
		return this.connectionName;
	}

	public void setConnectionName(@Nullable String connectionName) {
		this.connectionName = connectionName;
	}

	public @Nullable String getUsername() {
		return this.username;
	}

	public void setUsername(@Nullable String username) {
		this.username = username;
	}

	public @Nullable String getPassword() {
		return this.password;
	}

	public void setPassword(@Nullable String password) {
		this.password = password;
	}

	public @Nullable String getToken() {
		return this.token;
	}

	public void setToken(@Nullable String token) {
		this.token = token;
	}

	public @Nullable String getNkeySeed() {
		return this.nkeySeed;
	}

	public void setNkeySeed(@Nullable String nkeySeed) {
		this.nkeySeed = nkeySeed;
	}

	public @Nullable Resource getNkeySeedFile() {
		return this.nkeySeedFile;
	}

	public void setNkeySeedFile(@Nullable Resource nkeySeedFile) {
		this.nkeySeedFile = nkeySeedFile;
	}

	public @Nullable Resource getCredentials() {
		return this.credentials;
	}

	public void setCredentials(@Nullable Resource credentials) {
		this.credentials = credentials;
	}

	public boolean isBackgroundConnect() {
		return this.backgroundConnect;
	}

	public void setBackgroundConnect(boolean backgroundConnect) {
		this.backgroundConnect = backgroundConnect;
	}

	public Duration getConnectionTimeout() {
		return this.connectionTimeout;
	}

	public void setConnectionTimeout(Duration connectionTimeout) {
		this.connectionTimeout = connectionTimeout;
	}

	public int getMaxReconnects() {
		return this.maxReconnects;
	}

	public void setMaxReconnects(int maxReconnects) {
		this.maxReconnects = maxReconnects;
	}

	public Duration getReconnectWait() {
		return this.reconnectWait;
	}

	public void setReconnectWait(Duration reconnectWait) {
		this.reconnectWait = reconnectWait;
	}

	public Duration getReconnectJitter() {
		return this.reconnectJitter;
	}

	public void setReconnectJitter(Duration reconnectJitter) {
		this.reconnectJitter = reconnectJitter;
	}

	public Duration getReconnectJitterTls() {
		return this.reconnectJitterTls;
	}

	public void setReconnectJitterTls(Duration reconnectJitterTls) {
		this.reconnectJitterTls = reconnectJitterTls;
	}

	public DataSize getReconnectBufferSize() {
		return this.reconnectBufferSize;
	}

	public void setReconnectBufferSize(DataSize reconnectBufferSize) {
		this.reconnectBufferSize = reconnectBufferSize;
	}

	public Duration getPingInterval() {
		return this.pingInterval;
	}

	public void setPingInterval(Duration pingInterval) {
		this.pingInterval = pingInterval;
	}

	public int getMaxPingsOut() {
		return this.maxPingsOut;
	}

	public void setMaxPingsOut(int maxPingsOut) {
		this.maxPingsOut = maxPingsOut;
	}

	public String getInboxPrefix() {
		return this.inboxPrefix;
	}

	public void setInboxPrefix(String inboxPrefix) {
		this.inboxPrefix = inboxPrefix;
	}

	public boolean isNoEcho() {
		return this.noEcho;
	}

	public void setNoEcho(boolean noEcho) {
		this.noEcho = noEcho;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	public Pool getPool() {
		return this.pool;
	}

	public Request getRequest() {
		return this.request;
	}

	public Listener getListener() {
		return this.listener;
	}

	public Shutdown getShutdown() {
		return this.shutdown;
	}

	@Override
	public String toString() {
		// Never the password, token or seed; file locations and the bundle name are not
		// secret.
		return "NatsBusProperties[servers=" + ServerUrls.redact(this.servers) + ", connectionName="
				+ this.connectionName + ", username=" + this.username + ", nkeySeedFile=" + this.nkeySeedFile
				+ ", credentials=" + this.credentials + ", ssl.bundle=" + this.ssl.bundle + ", pool.size="
				+ this.pool.size + "]";
	}

	public static class Ssl {

		/**
		 * Whether to use TLS. Turned on by a bundle, tls-first or a tls:// server URL
		 * unless set to false.
		 */
		private @Nullable Boolean enabled;

		/**
		 * Name of the SSL bundle (spring.ssl.bundle.*) with the trust material and, for
		 * mutual TLS, the client key. Without one, TLS uses the JVM's default trust
		 * store.
		 */
		private @Nullable String bundle;

		/**
		 * Whether to start the TLS handshake at once rather than after the server's INFO,
		 * for servers configured with handshake_first.
		 */
		private boolean tlsFirst;

		/** Whether the server's certificate must name the host the client connects to. */
		private boolean verifyHostname = true;

		public @Nullable Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(@Nullable Boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

		public boolean isTlsFirst() {
			return this.tlsFirst;
		}

		public void setTlsFirst(boolean tlsFirst) {
			this.tlsFirst = tlsFirst;
		}

		public boolean isVerifyHostname() {
			return this.verifyHostname;
		}

		public void setVerifyHostname(boolean verifyHostname) {
			this.verifyHostname = verifyHostname;
		}

	}

	public static class Pool {

		/** Number of NATS connections requests and listeners are spread over. */
		private int size = 1;

		public int getSize() {
			return this.size;
		}

		public void setSize(int size) {
			this.size = size;
		}

	}

	public static class Request {

		/** Timeout of requests that do not give one. */
		private Duration timeout = BusTemplate.DEFAULT_TIMEOUT;

		/**
		 * Whether requests carry their deadline (header Nats-Bus-Deadline) so that
		 * listeners skip requests whose caller has already given up. Costs one header per
		 * request.
		 */
		private boolean propagateDeadline = true;

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public boolean isPropagateDeadline() {
			return this.propagateDeadline;
		}

		public void setPropagateDeadline(boolean propagateDeadline) {
			this.propagateDeadline = propagateDeadline;
		}

	}

	public static class Listener {

		/**
		 * Invocations of one listener that may run at once, for listeners that do not set
		 * concurrency.
		 */
		private int concurrency = BusListenerContainerFactory.DEFAULT_CONCURRENCY;

		/**
		 * Queue group of listeners that do not set one; instances in one group share the
		 * messages.
		 */
		private String queue = BusListenerContainerFactory.DEFAULT_QUEUE;

		/**
		 * Messages a listener may hold undelivered before it drops them as a slow
		 * consumer.
		 */
		private long pendingMessages = BusListenerContainerFactory.DEFAULT_PENDING_MESSAGE_LIMIT;

		/**
		 * Bytes a listener may hold undelivered before it drops them as a slow consumer
		 * (a size such as {@code 64MB}; a bare number is bytes).
		 */
		private DataSize pendingBytes = DataSize.ofBytes(BusListenerContainerFactory.DEFAULT_PENDING_BYTE_LIMIT);

		private final ListenerError error = new ListenerError();

		// the metadata shows it

		public int getConcurrency() {
			return this.concurrency;
		}

		public void setConcurrency(int concurrency) {
			this.concurrency = concurrency;
		}

		public String getQueue() {
			return this.queue;
		}

		public void setQueue(String queue) {
			this.queue = queue;
		}

		public long getPendingMessages() {
			return this.pendingMessages;
		}

		public void setPendingMessages(long pendingMessages) {
			this.pendingMessages = pendingMessages;
		}

		public DataSize getPendingBytes() {
			return this.pendingBytes;
		}

		public void setPendingBytes(DataSize pendingBytes) {
			this.pendingBytes = pendingBytes;
		}

		public ListenerError getError() {
			return this.error;
		}

	}

	/** What error replies of listeners say, in the style of server.error.*. */
	public static class ListenerError {

		/**
		 * When the reply to a listener's unexpected failure (500) carries the exception's
		 * message. Never by default: it names only the listener and an error id that the
		 * listener's log line repeats.
		 */
		private IncludeMessage includeMessage = IncludeMessage.NEVER;

		public IncludeMessage getIncludeMessage() {
			return this.includeMessage;
		}

		public void setIncludeMessage(IncludeMessage includeMessage) {
			this.includeMessage = includeMessage;
		}

		/** When to include the exception's message. */
		public enum IncludeMessage {

			/** Never: the caller learns which listener failed and an error id. */
			NEVER,

			/** Always: the exception's message goes to the caller, with the error id. */
			ALWAYS

		}

	}

	public static class Shutdown {

		/**
		 * Longest wait, on shutdown, for delivered messages to be answered and for
		 * requests in flight to get replies. Capped by
		 * spring.lifecycle.timeout-per-shutdown-phase.
		 */
		private Duration drainTimeout = BusListenerRegistry.DEFAULT_DRAIN_TIMEOUT;

		public Duration getDrainTimeout() {
			return this.drainTimeout;
		}

		public void setDrainTimeout(Duration drainTimeout) {
			this.drainTimeout = drainTimeout;
		}

	}

}
