package dev.natsbus.test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A full mesh of {@link NatsServer} nodes routed to each other on loopback, for failover
 * and cross-node request/reply tests. Each node keeps its client, cluster and monitoring
 * ports for life, so {@link #stop(int)} / {@link #start(int)} bring a node back where
 * clients and peers expect it.
 *
 * <p>
 * Monitoring is always on: {@link #awaitRoutes()} reads {@code /varz} and
 * {@code /routez}.
 */
public final class NatsCluster implements AutoCloseable {

	/**
	 * Upper bound for the mesh to form; routes retry once a second, so this leaves ample
	 * room.
	 */
	public static final Duration DEFAULT_ROUTE_TIMEOUT = Duration.ofSeconds(15);

	private final String name;

	private final List<NatsServer> nodes;

	private NatsCluster(Builder builder) {
		this.name = builder.name;
		List<Integer> clusterPorts = IntStream.range(0, builder.nodes).mapToObj(i -> Ports.free()).toList();
		List<NatsServer> servers = new ArrayList<>();
		for (int i = 0; i < builder.nodes; i++) {
			NatsServer.Builder node = NatsServer.builder()
				.name(name + "-" + i)
				.monitoring()
				.config(clusterBlock(i, clusterPorts))
				.executable(builder.executable);
			if (builder.acceptLeafNodes) {
				node.acceptLeafNodes();
			}
			if (builder.lameDuckDuration != null) {
				node.lameDuck(builder.lameDuckDuration, builder.lameDuckGracePeriod);
			}
			if (builder.nodeConfig != null) {
				node.config(builder.nodeConfig.apply(i));
			}
			builder.config.forEach(node::config);
			servers.add(node.build());
		}
		this.nodes = List.copyOf(servers);
	}

	/** Starts describing a cluster of three nodes. */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Starts every node and waits until the mesh is complete. Nodes already running are
	 * left alone.
	 */
	public NatsCluster start() {
		nodes.forEach(NatsServer::start);
		awaitRoutes();
		return this;
	}

	/** Stops every node. */
	public void stop() {
		RuntimeException failure = null;
		for (NatsServer node : nodes) {
			try {
				node.stop();
			}
			catch (RuntimeException ex) {
				failure = failure == null ? ex : addSuppressed(failure, ex);
			}
		}
		if (failure != null) {
			throw failure;
		}
	}

	/**
	 * Starts node {@code index} again on its previous ports. Does not wait for routes:
	 * call {@link #awaitRoutes()} when the test needs the mesh back.
	 */
	public NatsServer start(int index) {
		return node(index).start();
	}

	/**
	 * Stops node {@code index} cleanly (SIGTERM); the other nodes keep running and
	 * clients fail over to them.
	 */
	public void stop(int index) {
		node(index).stop();
	}

	/** Kills node {@code index} with SIGKILL, see {@link NatsServer#kill()}. */
	public void kill(int index) {
		node(index).kill();
	}

	/** Freezes node {@code index} with SIGSTOP, see {@link NatsServer#freeze()}. */
	public void freeze(int index) {
		node(index).freeze();
	}

	/** Thaws node {@code index} with SIGCONT, see {@link NatsServer#thaw()}. */
	public void thaw(int index) {
		node(index).thaw();
	}

	/**
	 * Puts node {@code index} into lame duck mode, see {@link NatsServer#lameDuck()}; its
	 * clients move to the other nodes.
	 */
	public void lameDuck(int index) {
		node(index).lameDuck();
	}

	/**
	 * The index of the node listening on the port of {@code url} (a client's
	 * {@code getConnectedUrl()}, say).
	 * @throws IllegalArgumentException if no node of this cluster has that port
	 */
	public int indexOf(String url) {
		int port = java.net.URI.create(url).getPort();
		for (int i = 0; i < nodes.size(); i++) {
			if (nodes.get(i).port() == port) {
				return i;
			}
		}
		throw new IllegalArgumentException(url + " is not a node of " + this);
	}

	/**
	 * The URLs leaf nodes connect to, one per node, see
	 * {@link NatsServer.Builder#leafNodeOf(NatsCluster)}.
	 * @throws IllegalStateException if the cluster was built without
	 * {@link Builder#acceptLeafNodes()}
	 */
	public List<String> leafNodeUrls() {
		return nodes.stream().map(NatsServer::leafNodeUrl).toList();
	}

	/**
	 * Leaf node connections of all nodes together, see
	 * {@link NatsServer#leafNodeConnections()}.
	 */
	public int leafNodeConnections() {
		return nodes.stream().filter(NatsServer::isRunning).mapToInt(NatsServer::leafNodeConnections).sum();
	}

	/** The node at {@code index} (0-based). */
	public NatsServer node(int index) {
		if (index < 0 || index >= nodes.size()) {
			throw new IndexOutOfBoundsException("Cluster has " + nodes.size() + " nodes, no node " + index);
		}
		return nodes.get(index);
	}

	/** All nodes, in index order. */
	public List<NatsServer> nodes() {
		return nodes;
	}

	/** Number of nodes. */
	public int size() {
		return nodes.size();
	}

	/** Cluster name shared by all nodes. */
	public String name() {
		return name;
	}

	/** Client URLs of all nodes (running or not), in index order. */
	public List<String> urls() {
		return nodes.stream().map(NatsServer::url).toList();
	}

	/** Client URLs joined with commas, the form most client settings accept. */
	public String url() {
		return String.join(",", urls());
	}

	/**
	 * Waits up to {@link #DEFAULT_ROUTE_TIMEOUT} for the mesh; see
	 * {@link #awaitRoutes(Duration)}.
	 */
	public NatsCluster awaitRoutes() {
		return awaitRoutes(DEFAULT_ROUTE_TIMEOUT);
	}

	/**
	 * Waits until every running node has a route to every other running node, because a
	 * message published before the routes exist is silently not forwarded.
	 * @throws IllegalStateException naming the missing routes if the mesh is not complete
	 * in time
	 */
	public NatsCluster awaitRoutes(Duration timeout) {
		if (Poll.until(timeout, () -> missingRoutes().isEmpty())) {
			return this;
		}
		throw new IllegalStateException(
				"Cluster '" + name + "' routes incomplete after " + timeout + ": " + missingRoutes() + " (node logs: "
						+ nodes.stream().map(n -> n.logFile().toString()).collect(Collectors.joining(", ")) + ")");
	}

	/** Stops all nodes and removes their work directories. */
	@Override
	public void close() {
		RuntimeException failure = null;
		for (NatsServer node : nodes) {
			try {
				node.close();
			}
			catch (RuntimeException ex) {
				failure = failure == null ? ex : addSuppressed(failure, ex);
			}
		}
		if (failure != null) {
			throw failure;
		}
	}

	@Override
	public String toString() {
		return "NatsCluster[" + name + ", " + urls() + "]";
	}

	/** Node index to the indexes of running peers it has no route to (yet). */
	private Map<Integer, List<Integer>> missingRoutes() {
		Map<Integer, String> serverIds = new LinkedHashMap<>();
		Map<Integer, List<Integer>> missing = new LinkedHashMap<>();
		for (int i = 0; i < nodes.size(); i++) {
			if (nodes.get(i).isRunning() && !nodes.get(i).isFrozen()) {
				int index = i;
				Optional<String> id = Monitoring.get(nodes.get(i).monitoringUrl(), "/varz")
					.flatMap(json -> Monitoring.stringFields(json, "server_id").stream().findFirst());
				id.ifPresentOrElse(value -> serverIds.put(index, value), () -> missing.put(index, List.of()));
			}
		}
		for (Map.Entry<Integer, String> node : serverIds.entrySet()) {
			List<String> remotes = Monitoring.get(nodes.get(node.getKey()).monitoringUrl(), "/routez")
				.map(json -> Monitoring.stringFields(json, "remote_id"))
				.orElse(List.of());
			List<Integer> absent = serverIds.entrySet()
				.stream()
				.filter(peer -> !peer.getKey().equals(node.getKey()) && !remotes.contains(peer.getValue()))
				.map(Map.Entry::getKey)
				.toList();
			if (!absent.isEmpty()) {
				missing.put(node.getKey(), absent);
			}
		}
		return missing;
	}

	private String clusterBlock(int index, List<Integer> clusterPorts) {
		String routes = IntStream.range(0, clusterPorts.size())
			.filter(i -> i != index)
			.mapToObj(i -> "nats-route://" + Ports.LOOPBACK + ":" + clusterPorts.get(i))
			.collect(Collectors.joining(", "));
		return "cluster {\n" + "  name: \"" + name + "\"\n" + "  listen: " + Ports.LOOPBACK + ":"
				+ clusterPorts.get(index) + "\n" + "  routes: [" + routes + "]\n" + "}";
	}

	private static RuntimeException addSuppressed(RuntimeException first, RuntimeException next) {
		first.addSuppressed(next);
		return first;
	}

	/** Describes a {@link NatsCluster}. */
	public static final class Builder {

		private int nodes = 3;

		private String name = "natsbus-test";

		private final List<String> config = new ArrayList<>();

		private Path executable;

		private boolean acceptLeafNodes;

		private Duration lameDuckDuration;

		private Duration lameDuckGracePeriod;

		private IntFunction<String> nodeConfig;

		private Builder() {
		}

		/**
		 * Every node accepts leaf nodes, see
		 * {@link NatsServer.Builder#acceptLeafNodes()}.
		 */
		public Builder acceptLeafNodes() {
			this.acceptLeafNodes = true;
			return this;
		}

		/**
		 * Lame duck timing of every node, see
		 * {@link NatsServer.Builder#lameDuck(Duration, Duration)}.
		 */
		public Builder lameDuck(Duration duration, Duration gracePeriod) {
			// Fails here, not at build(), on a duration nats-server refuses.
			NatsServer.builder().lameDuck(duration, gracePeriod);
			this.lameDuckDuration = duration;
			this.lameDuckGracePeriod = gracePeriod;
			return this;
		}

		/** Config that differs per node (gateway ports), by node index. */
		Builder nodeConfig(IntFunction<String> nodeConfig) {
			this.nodeConfig = nodeConfig;
			return this;
		}

		/** Number of nodes, at least 1 (default 3). */
		public Builder nodes(int nodes) {
			if (nodes < 1) {
				throw new IllegalArgumentException("A cluster needs at least one node: " + nodes);
			}
			this.nodes = nodes;
			return this;
		}

		/**
		 * Cluster name; node names are derived from it ({@code name-0}, {@code name-1},
		 * ...).
		 */
		public Builder name(String name) {
			if (name == null || !name.matches("[A-Za-z0-9_.-]+")) {
				throw new IllegalArgumentException("name may only contain letters, digits, '_', '.', '-': " + name);
			}
			this.name = name;
			return this;
		}

		/**
		 * Extra server config applied to every node, see
		 * {@link NatsServer.Builder#config(String)}.
		 */
		public Builder config(String text) {
			if (text != null && !text.isBlank()) {
				config.add(text);
			}
			return this;
		}

		/** Binary to run, see {@link NatsServer.Builder#executable(Path)}. */
		public Builder executable(Path executable) {
			this.executable = executable;
			return this;
		}

		/** Creates the nodes without starting them; all ports are chosen here. */
		public NatsCluster build() {
			return new NatsCluster(this);
		}

		/**
		 * Builds and starts; a cluster that fails to start is closed so no node keeps
		 * running.
		 */
		public NatsCluster start() {
			NatsCluster cluster = build();
			try {
				return cluster.start();
			}
			catch (RuntimeException ex) {
				try {
					cluster.close();
				}
				catch (RuntimeException closeFailure) {
					ex.addSuppressed(closeFailure);
				}
				throw ex;
			}
		}

	}

}
