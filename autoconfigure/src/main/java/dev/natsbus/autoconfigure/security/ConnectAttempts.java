package dev.natsbus.autoconfigure.security;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.nats.client.Options;
import io.nats.client.ServerPool;
import io.nats.client.impl.NatsServerPool;
import io.nats.client.support.NatsUri;

/**
 * What went wrong in each attempt of one connection to reach a server, until it first
 * connects. jnats reports a failed attempt's exception and its end (a DISCONNECTED event)
 * on its callback thread, without the server, while its connect thread has moved on to
 * the next one. So the {@link #serverPool(ServerPool) server pool} notes, in order, each
 * server handed out and the addresses its host resolved to (one attempt each), and the
 * listeners pair the reported ends with them in the same order.
 */
public final class ConnectAttempts {

	/** Servers noted but not yet paired; bounded in case nobody pairs them. */
	private static final int MAX_PENDING = 256;

	private final Deque<Tried> tried = new ArrayDeque<>();

	private final List<Object> problems = new ArrayList<>();

	/** The last attempt per server, in the order first tried. */
	private final Map<String, Attempt> lastAttempts = new LinkedHashMap<>();

	private Object lastProblem;

	private boolean connected;

	private boolean closed;

	private volatile boolean observed;

	/**
	 * Wraps the server pool of a connection (jnats' default when {@code null}) so that it
	 * notes the servers tried here.
	 */
	public ServerPool serverPool(ServerPool delegate) {
		return new NotingServerPool((delegate != null) ? delegate : new NatsServerPool(), this);
	}

	/**
	 * Whether the server pool and both listeners of the built options are the ones that
	 * feed this record; when a customizer replaced one, attempts cannot be told apart.
	 */
	public void setObserved(boolean observed) {
		this.observed = observed;
	}

	public boolean isObserved() {
		return this.observed;
	}

	synchronized void serverTried(NatsUri server) {
		if (this.connected) {
			return;
		}
		if (this.tried.size() == MAX_PENDING) {
			this.tried.removeFirst();
		}
		this.tried.addLast(new Tried(ServerUrls.redact(server.toString())));
	}

	synchronized void resolved(List<String> addresses) {
		Tried last = this.tried.peekLast();
		if (last != null && addresses != null && !addresses.isEmpty()) {
			last.addresses = List.copyOf(addresses);
		}
	}

	/**
	 * A problem reported during an attempt: an exception, or the server's error text.
	 */
	public synchronized void problem(Object problem) {
		if (!this.connected) {
			this.problems.add(problem);
		}
		this.lastProblem = problem;
		notifyAll();
	}

	/**
	 * An attempt ended without a connection (jnats' DISCONNECTED before the first
	 * CONNECTED).
	 * @return the attempt, with the server it went to ({@code null} when unknown) and its
	 * problems
	 */
	public synchronized Attempt attemptFailed() {
		Tried next = this.tried.peekFirst();
		String server = null;
		String address = null;
		if (next != null) {
			server = next.server;
			if (next.addresses.size() > 1) {
				address = next.addresses.get(next.used);
			}
			if (++next.used >= Math.max(1, next.addresses.size())) {
				this.tried.removeFirst();
			}
		}
		Attempt attempt = new Attempt(server, address, List.copyOf(this.problems));
		this.problems.clear();
		this.lastAttempts.remove(attemptKey(attempt));
		this.lastAttempts.put(attemptKey(attempt), attempt);
		return attempt;
	}

	private static String attemptKey(Attempt attempt) {
		return attempt.server() + " " + attempt.address();
	}

	/** The connection is established: later attempts are reconnects, not recorded. */
	public synchronized void connected() {
		this.connected = true;
		this.tried.clear();
		this.problems.clear();
		notifyAll();
	}

	/** The connection is closed; every earlier report has been delivered. */
	public synchronized void closed() {
		this.closed = true;
		notifyAll();
	}

	public synchronized boolean isConnected() {
		return this.connected;
	}

	/**
	 * The last attempt to each server, waiting at most {@code wait} for the connection's
	 * close to be reported (after which every attempt is); when not {@link #isObserved()
	 * observed}, only until any problem is reported.
	 */
	public synchronized List<Attempt> awaitAttempts(Duration wait) {
		long deadline = System.nanoTime() + wait.toNanos();
		while (this.observed ? !this.closed : this.lastProblem == null) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				break;
			}
			try {
				wait(Math.max(1, left / 1_000_000));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				break;
			}
		}
		return List.copyOf(this.lastAttempts.values());
	}

	/**
	 * The last problem reported for this connection, also after it connected (e.g. a
	 * reconnect), or {@code null}.
	 */
	public synchronized Object lastProblem() {
		return this.lastProblem;
	}

	/**
	 * One failed attempt.
	 *
	 * @param server the URL tried, without user info; {@code null} when unknown
	 * @param address the address its host resolved to when it resolved to several (each
	 * is an attempt), else {@code null}
	 * @param problems what was reported: exceptions and server error texts, in order
	 */
	public record Attempt(String server, String address, List<Object> problems) {
	}

	private static final class Tried {

		final String server;

		List<String> addresses = List.of();

		int used;

		Tried(String server) {
			this.server = server;
		}

	}

	/** jnats' server pool, noting what it hands out. */
	private static final class NotingServerPool implements ServerPool {

		private final ServerPool delegate;

		private final ConnectAttempts attempts;

		NotingServerPool(ServerPool delegate, ConnectAttempts attempts) {
			this.delegate = delegate;
			this.attempts = attempts;
		}

		@Override
		public void initialize(Options opts) {
			this.delegate.initialize(opts);
		}

		@Override
		public boolean acceptDiscoveredUrls(List<String> discoveredServers) {
			return this.delegate.acceptDiscoveredUrls(discoveredServers);
		}

		@Override
		public NatsUri peekNextServer() {
			return this.delegate.peekNextServer();
		}

		@Override
		public NatsUri nextServer() {
			NatsUri server = this.delegate.nextServer();
			if (server != null) {
				this.attempts.serverTried(server);
			}
			return server;
		}

		@Override
		public List<String> resolveHostToIps(String host) {
			return noted(this.delegate.resolveHostToIps(host));
		}

		@Override
		public List<String> resolveHostToIps(String host, boolean maxOneResult, boolean includeIpV6) {
			return noted(this.delegate.resolveHostToIps(host, maxOneResult, includeIpV6));
		}

		private List<String> noted(List<String> addresses) {
			this.attempts.resolved(addresses);
			return addresses;
		}

		@Override
		public void connectSucceeded(NatsUri server) {
			this.delegate.connectSucceeded(server);
		}

		@Override
		public void connectFailed(NatsUri server) {
			this.delegate.connectFailed(server);
		}

		@Override
		public List<String> getServerList() {
			return this.delegate.getServerList();
		}

		@Override
		public boolean hasSecureServer() {
			return this.delegate.hasSecureServer();
		}

	}

}
