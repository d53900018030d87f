package dev.natsbus.test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Two or more {@link NatsCluster}s joined by gateways into one supercluster, all on
 * loopback: the shape of a deployment that spans regions. Each cluster is a gateway named
 * after it; every node has a gateway port of its own, kept across restarts.
 *
 * <p>
 * Messages cross a gateway only where there is interest on the other side, and a queue
 * group is served in the requester's own cluster whenever it has a member there: requests
 * go to another region only when no local instance listens.
 *
 * <pre>{@code
 * try (NatsSuperCluster regions = NatsSuperCluster.builder().cluster("east").cluster("west").start()) {
 *     String eastUrls = regions.cluster("east").url();
 * }
 * }</pre>
 */
public final class NatsSuperCluster implements AutoCloseable {

	/** Upper bound for routes and gateways to form; gateways retry once a second. */
	public static final Duration DEFAULT_GATEWAY_TIMEOUT = Duration.ofSeconds(30);

	private final Map<String, NatsCluster> clusters;

	private NatsSuperCluster(Builder builder) {
		Map<String, List<Integer>> gatewayPorts = new LinkedHashMap<>();
		builder.clusters.forEach((name, nodes) -> gatewayPorts.put(name,
				IntStream.range(0, nodes).mapToObj(i -> Ports.free()).toList()));
		Map<String, NatsCluster> built = new LinkedHashMap<>();
		builder.clusters.forEach((name, nodes) -> {
			NatsCluster.Builder cluster = NatsCluster.builder()
				.name(name)
				.nodes(nodes)
				.executable(builder.executable)
				.nodeConfig(index -> gatewayBlock(name, index, gatewayPorts));
			builder.config.forEach(cluster::config);
			built.put(name, cluster.build());
		});
		this.clusters = built;
	}

	/** Starts describing a supercluster; add at least two clusters. */
	public static Builder builder() {
		return new Builder();
	}

	/**
	 * Starts every node and waits until routes and gateways are complete. Nodes already
	 * running are left alone.
	 */
	public NatsSuperCluster start() {
		this.clusters.values().forEach(cluster -> cluster.nodes().forEach(NatsServer::start));
		return awaitGateways();
	}

	/**
	 * The cluster named {@code name}.
	 * @throws IllegalArgumentException if there is none
	 */
	public NatsCluster cluster(String name) {
		NatsCluster cluster = this.clusters.get(name);
		if (cluster == null) {
			throw new IllegalArgumentException("No cluster '" + name + "' in " + this);
		}
		return cluster;
	}

	/** The clusters, in the order they were added. */
	public List<NatsCluster> clusters() {
		return List.copyOf(this.clusters.values());
	}

	/** Every node of every cluster. */
	public List<NatsServer> nodes() {
		return this.clusters.values().stream().flatMap(cluster -> cluster.nodes().stream()).toList();
	}

	/**
	 * Waits up to {@link #DEFAULT_GATEWAY_TIMEOUT}; see {@link #awaitGateways(Duration)}.
	 */
	public NatsSuperCluster awaitGateways() {
		return awaitGateways(DEFAULT_GATEWAY_TIMEOUT);
	}

	/**
	 * Waits until each cluster's routes are complete and every running node has a gateway
	 * connection to every other cluster that has a running node, because interest does
	 * not cross a gateway that is not up.
	 * @throws IllegalStateException naming the missing gateways if they do not form in
	 * time
	 */
	public NatsSuperCluster awaitGateways(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		for (NatsCluster cluster : this.clusters.values()) {
			cluster.awaitRoutes(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
		}
		Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
		if (Poll.until(left, () -> missingGateways().isEmpty())) {
			return this;
		}
		throw new IllegalStateException(
				"Gateways incomplete after " + timeout + ": " + missingGateways() + " (node logs: "
						+ nodes().stream().map(n -> n.logFile().toString()).collect(Collectors.joining(", ")) + ")");
	}

	/** Stops all nodes and removes their work directories. */
	@Override
	public void close() {
		RuntimeException failure = null;
		for (NatsCluster cluster : this.clusters.values()) {
			try {
				cluster.close();
			}
			catch (RuntimeException ex) {
				if (failure == null) {
					failure = ex;
				}
				else {
					failure.addSuppressed(ex);
				}
			}
		}
		if (failure != null) {
			throw failure;
		}
	}

	@Override
	public String toString() {
		return "NatsSuperCluster" + this.clusters.keySet();
	}

	/** Node name to the clusters it has no outbound gateway connection to (yet). */
	private Map<String, List<String>> missingGateways() {
		List<String> reachable = this.clusters.entrySet()
			.stream()
			.filter(entry -> entry.getValue().nodes().stream().anyMatch(NatsSuperCluster::isAnswering))
			.map(Map.Entry::getKey)
			.toList();
		Map<String, List<String>> missing = new LinkedHashMap<>();
		this.clusters.forEach((name, cluster) -> {
			for (int i = 0; i < cluster.size(); i++) {
				NatsServer node = cluster.node(i);
				if (!isAnswering(node)) {
					continue;
				}
				List<String> connected = Monitoring.get(node.monitoringUrl(), "/gatewayz")
					.map(Monitoring::connectedOutboundGateways)
					.orElse(List.of());
				List<String> absent = reachable.stream()
					.filter(other -> !other.equals(name) && !connected.contains(other))
					.toList();
				if (!absent.isEmpty()) {
					missing.put(name + "-" + i, absent);
				}
			}
		});
		return missing;
	}

	private static boolean isAnswering(NatsServer node) {
		return node.isRunning() && !node.isFrozen();
	}

	private static String gatewayBlock(String name, int index, Map<String, List<Integer>> gatewayPorts) {
		String gateways = gatewayPorts.entrySet()
			.stream()
			.filter(entry -> !entry.getKey().equals(name))
			.map(entry -> "    { name: \"" + entry.getKey() + "\", urls: ["
					+ entry.getValue()
						.stream()
						.map(port -> "\"nats://" + Ports.LOOPBACK + ":" + port + "\"")
						.collect(Collectors.joining(", "))
					+ "] }")
			.collect(Collectors.joining("\n"));
		return "gateway {\n  name: \"" + name + "\"\n  listen: " + Ports.LOOPBACK + ":"
				+ gatewayPorts.get(name).get(index) + "\n  gateways: [\n" + gateways + "\n  ]\n}";
	}

	/** Describes a {@link NatsSuperCluster}. */
	public static final class Builder {

		private final Map<String, Integer> clusters = new LinkedHashMap<>();

		private final List<String> config = new ArrayList<>();

		private Path executable;

		private Builder() {
		}

		/** Adds a cluster of three nodes named {@code name}. */
		public Builder cluster(String name) {
			return cluster(name, 3);
		}

		/**
		 * Adds a cluster of {@code nodes} nodes named {@code name}, which is also its
		 * gateway name.
		 */
		public Builder cluster(String name, int nodes) {
			// Validates the name and the count as a cluster would.
			NatsCluster.builder().name(name).nodes(nodes);
			if (this.clusters.putIfAbsent(name, nodes) != null) {
				throw new IllegalArgumentException("Cluster " + name + " is added twice");
			}
			return this;
		}

		/**
		 * Extra server config applied to every node, see
		 * {@link NatsServer.Builder#config(String)}.
		 */
		public Builder config(String text) {
			if (text != null && !text.isBlank()) {
				this.config.add(text);
			}
			return this;
		}

		/** Binary to run, see {@link NatsServer.Builder#executable(Path)}. */
		public Builder executable(Path executable) {
			this.executable = executable;
			return this;
		}

		/**
		 * Creates the nodes without starting them; all ports are chosen here.
		 * @throws IllegalStateException with fewer than two clusters
		 */
		public NatsSuperCluster build() {
			if (this.clusters.size() < 2) {
				throw new IllegalStateException(
						"A supercluster needs at least two clusters, has " + this.clusters.keySet());
			}
			return new NatsSuperCluster(this);
		}

		/**
		 * Builds and starts; a supercluster that fails to start is closed so no node
		 * keeps running.
		 */
		public NatsSuperCluster start() {
			NatsSuperCluster superCluster = build();
			try {
				return superCluster.start();
			}
			catch (RuntimeException ex) {
				try {
					superCluster.close();
				}
				catch (RuntimeException closeFailure) {
					ex.addSuppressed(closeFailure);
				}
				throw ex;
			}
		}

	}

}
