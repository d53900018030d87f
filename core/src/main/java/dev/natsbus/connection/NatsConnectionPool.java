package dev.natsbus.connection;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import dev.natsbus.BusConnectionException;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;

/**
 * A fixed set of jnats connections, one per {@link Options}. Requests are spread over the
 * connected ones; listeners pick one each by index. Users who need jnats directly can
 * take a {@link Connection} from here.
 * <p>
 * Connecting in the background lets an application start while NATS is down: each slot
 * becomes available when its connection is first established.
 */
public class NatsConnectionPool implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(NatsConnectionPool.class);

	private final List<Options> options;

	private final List<CompletableFuture<Connection>> slots;

	private final List<Thread> connectors = new ArrayList<>();

	private final AtomicInteger next = new AtomicInteger();

	private volatile boolean closed;

	private NatsConnectionPool(List<Options> options) {
		this.options = List.copyOf(options);
		this.slots = new ArrayList<>(options.size());
		for (int i = 0; i < options.size(); i++) {
			this.slots.add(new CompletableFuture<>());
		}
	}

	/**
	 * Connects every slot now, failing with a message that names the servers tried and
	 * the cause when one cannot connect (the others are closed again).
	 */
	public static NatsConnectionPool connect(List<Options> options) {
		NatsConnectionPool pool = new NatsConnectionPool(options);
		for (int i = 0; i < options.size(); i++) {
			Options slotOptions = options.get(i);
			try {
				pool.slots.get(i).complete(Nats.connect(slotOptions));
			}
			catch (IOException ex) {
				pool.close();
				throw new BusConnectionException("Could not connect to NATS at " + describeServers(slotOptions)
						+ " (connection '" + slotOptions.getConnectionName() + "'): " + rootMessage(ex), ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				pool.close();
				throw new BusConnectionException("Interrupted while connecting to NATS", ex);
			}
		}
		return pool;
	}

	/**
	 * Returns at once and connects every slot in the background, retrying until connected
	 * (the options must allow reconnects), on daemon threads named
	 * {@code natsbus-connect-<connection name>}.
	 */
	public static NatsConnectionPool connectInBackground(List<Options> options) {
		return connectInBackground(options, (slotOptions) -> {
			CustomizableThreadFactory threads = new CustomizableThreadFactory(
					"natsbus-connect-" + slotOptions.getConnectionName() + "-");
			threads.setDaemon(true);
			return threads;
		});
	}

	/**
	 * Returns at once and connects every slot in the background, retrying until connected
	 * (the options must allow reconnects), on a thread from the factory given for its
	 * options.
	 */
	public static NatsConnectionPool connectInBackground(List<Options> options,
			Function<Options, ThreadFactory> threads) {
		NatsConnectionPool pool = new NatsConnectionPool(options);
		for (int i = 0; i < options.size(); i++) {
			int index = i;
			Options slotOptions = options.get(i);
			Thread connector = threads.apply(slotOptions).newThread(() -> pool.connectSlot(index, slotOptions));
			pool.connectors.add(connector);
			connector.start();
		}
		return pool;
	}

	/**
	 * Tries to connect until connected, as often as the options allow reconnects, waiting
	 * their reconnect wait between attempts. Each attempt is a plain connect rather than
	 * jnats' reconnect-on-connect, whose connection cannot be closed before it first
	 * connects: a pool closed meanwhile would leave it trying (and logging) for ever.
	 */
	private void connectSlot(int index, Options slotOptions) {
		CompletableFuture<Connection> slot = this.slots.get(index);
		int maxReconnects = slotOptions.getMaxReconnect();
		for (int attempt = 0; !this.closed; attempt++) {
			try {
				Connection connection = Nats.connect(slotOptions);
				// close() may have run meanwhile and cancelled the slot: then nobody else
				// closes it.
				if (!slot.complete(connection) || this.closed) {
					closeQuietly(connection);
				}
				return;
			}
			catch (IOException ex) {
				if (maxReconnects >= 0 && attempt >= maxReconnects) {
					logger.warn("Could not connect to NATS at {} (connection '{}'): {}", describeServers(slotOptions),
							slotOptions.getConnectionName(), rootMessage(ex));
					slot.completeExceptionally(ex);
					return;
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				slot.cancel(false);
				return;
			}
			try {
				Thread.sleep(Math.max(1, slotOptions.getReconnectWait().toMillis()));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				slot.cancel(false);
				return;
			}
		}
		slot.cancel(false);
	}

	/** The number of connections this pool holds (connected or not). */
	public int size() {
		return this.slots.size();
	}

	/** The connection of slot {@code index}, completed when it is first connected. */
	public CompletableFuture<Connection> whenConnected(int index) {
		return this.slots.get(index).copy();
	}

	/** The connection of slot {@code index}, if it has been established. */
	public Optional<Connection> connection(int index) {
		CompletableFuture<Connection> slot = this.slots.get(index);
		return (slot.isDone() && !slot.isCompletedExceptionally()) ? Optional.of(slot.join()) : Optional.empty();
	}

	/** The connections established so far, in slot order. */
	public List<Connection> connections() {
		List<Connection> connections = new ArrayList<>(this.slots.size());
		for (int i = 0; i < this.slots.size(); i++) {
			connection(i).ifPresent(connections::add);
		}
		return connections;
	}

	/**
	 * The next connection for a request, round robin, preferring one that is connected
	 * now.
	 * @throws BusConnectionException when the pool is closed or no connection exists yet
	 */
	public Connection next() {
		if (this.closed) {
			throw new BusConnectionException("The NATS connection pool is closed");
		}
		int size = this.slots.size();
		int start = (size == 1) ? 0 : Math.floorMod(this.next.getAndIncrement(), size);
		Connection fallback = null;
		for (int i = 0; i < size; i++) {
			CompletableFuture<Connection> slot = this.slots.get((start + i) % size);
			if (!slot.isDone() || slot.isCompletedExceptionally()) {
				continue;
			}
			Connection connection = slot.join();
			if (connection.getStatus() == Connection.Status.CONNECTED) {
				return connection;
			}
			if (fallback == null) {
				fallback = connection;
			}
		}
		if (fallback != null) {
			return fallback;
		}
		throw new BusConnectionException("Not connected to NATS at " + describeServers(this.options.get(0))
				+ ": still connecting in the background");
	}

	/** The options of slot {@code index}. */
	public Options options(int index) {
		return this.options.get(index);
	}

	/**
	 * Flushes every connection so that published replies reach the server, waiting at
	 * most {@code timeout} for each.
	 */
	public void flush(Duration timeout) {
		for (Connection connection : connections()) {
			if (connection.getStatus() == Connection.Status.CONNECTED) {
				try {
					connection.flush(timeout);
				}
				catch (TimeoutException ex) {
					logger.warn("Flush of NATS connection '{}' did not complete within {} ms",
							connection.getOptions().getConnectionName(), timeout.toMillis());
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	public boolean isClosed() {
		return this.closed;
	}

	@Override
	public void close() {
		if (this.closed) {
			return;
		}
		this.closed = true;
		this.connectors.forEach(Thread::interrupt);
		for (CompletableFuture<Connection> slot : this.slots) {
			if (!slot.isDone()) {
				slot.cancel(false);
				continue;
			}
			connection(this.slots.indexOf(slot)).ifPresent(NatsConnectionPool::closeQuietly);
		}
	}

	private static void closeQuietly(Connection connection) {
		try {
			connection.close();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/** The server URLs of some options, for messages: never credentials. */
	public static String describeServers(Options options) {
		List<String> servers = new ArrayList<>();
		options.getServers().forEach(uri -> servers.add(uri.getScheme() + "://" + uri.getHost() + ":" + uri.getPort()));
		return String.join(", ", servers);
	}

	private static String rootMessage(Throwable ex) {
		Throwable root = ex;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = (root == ex) ? ex.getMessage() : ex.getMessage() + " (" + root + ")";
		return (message != null) ? message : ex.toString();
	}

}
