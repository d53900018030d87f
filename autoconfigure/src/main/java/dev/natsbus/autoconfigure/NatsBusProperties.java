package dev.natsbus.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of nats-bus, under {@code natsbus}.
 */
@ConfigurationProperties("natsbus")
public class NatsBusProperties {

	/** NATS server URLs; the client picks one and fails over to the others. */
	private List<String> servers = new ArrayList<>(List.of("nats://localhost:4222"));

	/** Connection name shown by the server (monitoring, logs); each pooled connection adds its index. Defaults to spring.application.name, else "natsbus". */
	private String connectionName;

	/** User name for user/password authentication. */
	private String username;

	/** Password for user/password authentication. */
	private String password;

	/** Token for token authentication. */
	private String token;

	/** Whether to start even when no server is reachable, connecting in the background until one is. */
	private boolean backgroundConnect;

	/** Time allowed to establish a connection to a server. */
	private Duration connectionTimeout = Duration.ofSeconds(2);

	/** Maximum reconnect attempts after a connection is lost; -1 for no limit. */
	private int maxReconnects = -1;

	/** Wait between reconnect attempts to the same server. */
	private Duration reconnectWait = Duration.ofSeconds(2);

	private final Pool pool = new Pool();

	private final Request request = new Request();

	private final Listener listener = new Listener();

	private final Shutdown shutdown = new Shutdown();

	public List<String> getServers() {
		return this.servers;
	}

	public void setServers(List<String> servers) {
		this.servers = servers;
	}

	public String getConnectionName() {
		return this.connectionName;
	}

	public void setConnectionName(String connectionName) {
		this.connectionName = connectionName;
	}

	public String getUsername() {
		return this.username;
	}

	public void setUsername(String username) {
		this.username = username;
	}

	public String getPassword() {
		return this.password;
	}

	public void setPassword(String password) {
		this.password = password;
	}

	public String getToken() {
		return this.token;
	}

	public void setToken(String token) {
		this.token = token;
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
		// Never the password or token.
		return "NatsBusProperties[servers=" + this.servers + ", connectionName=" + this.connectionName + ", username="
				+ this.username + ", pool.size=" + this.pool.size + "]";
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
		private Duration timeout = Duration.ofSeconds(2);

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	public static class Listener {

		/** Invocations of one listener that may run at once, for listeners that do not set concurrency. */
		private int concurrency = 1;

		/** Queue group of listeners that do not set one; instances in one group share the messages. */
		private String queue = "q";

		/** Messages a listener may hold undelivered before it drops them as a slow consumer. */
		private long pendingMessages = 65_536;

		/** Bytes a listener may hold undelivered before it drops them as a slow consumer. */
		private long pendingBytes = 67_108_864; // 64 MiB, written as a literal so that the metadata shows it

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

		public long getPendingBytes() {
			return this.pendingBytes;
		}

		public void setPendingBytes(long pendingBytes) {
			this.pendingBytes = pendingBytes;
		}

	}

	public static class Shutdown {

		/** Longest wait, on shutdown, for delivered messages to be answered and for requests in flight to get replies. Capped by spring.lifecycle.timeout-per-shutdown-phase. */
		private Duration drainTimeout = Duration.ofSeconds(10);

		public Duration getDrainTimeout() {
			return this.drainTimeout;
		}

		public void setDrainTimeout(Duration drainTimeout) {
			this.drainTimeout = drainTimeout;
		}

	}

}
