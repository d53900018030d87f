package dev.natsbus.test;

import java.util.List;

/** A running single server or cluster, seen through what tests ask of either. */
final class StartedNats implements AutoCloseable {

	private final NatsServer server;

	private final NatsCluster cluster;

	private final String property;

	StartedNats(NatsServer server, NatsCluster cluster, String property) {
		this.server = server;
		this.cluster = cluster;
		this.property = property;
	}

	/** The single server, or node 0 of a cluster. */
	NatsServer server() {
		return cluster != null ? cluster.node(0) : server;
	}

	/** The cluster, or {@code null} for a single server. */
	NatsCluster cluster() {
		return cluster;
	}

	List<String> urls() {
		return cluster != null ? cluster.urls() : List.of(server.url());
	}

	String url() {
		return String.join(",", urls());
	}

	/** Name of the Spring property that receives {@link #url()}. */
	String property() {
		return property;
	}

	@Override
	public void close() {
		if (cluster != null) {
			cluster.close();
		}
		else {
			server.close();
		}
	}

}
