package dev.natsbus.micro;

import java.util.Map;
import java.util.TreeMap;

import dev.natsbus.listener.adapter.EndpointStats;
import io.nats.service.InfoResponse;
import io.nats.service.PingResponse;
import io.nats.service.StatsResponse;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes the JSON answers of the NATS micro protocol (ADR-32, schemas
 * {@code io.nats.micro.v1.*_response}). Every field is written even when empty or zero,
 * because some discovery tools treat a missing field as a malformed response.
 */
public final class MicroResponses {

	public static final String PING_TYPE = PingResponse.TYPE;

	public static final String INFO_TYPE = InfoResponse.TYPE;

	public static final String STATS_TYPE = StatsResponse.TYPE;

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	/** {@code type, name, id, version, metadata}. */
	public byte[] ping(MicroService service) {
		return write(identity(PING_TYPE, service));
	}

	/**
	 * The identity plus {@code description} and {@code endpoints: [{name, subject,
	 * queue_group, metadata}]}.
	 */
	public byte[] info(MicroService service) {
		ObjectNode json = identity(INFO_TYPE, service);
		json.put("description", service.definition().description());
		ArrayNode endpoints = json.putArray("endpoints");
		for (MicroEndpoint endpoint : service.endpoints()) {
			ObjectNode node = endpoints.addObject();
			node.put("name", endpoint.name());
			node.put("subject", endpoint.subject());
			node.put("queue_group", queueGroup(endpoint));
			node.putObject("metadata");
		}
		return write(json);
	}

	/**
	 * The identity plus {@code started} (ISO-8601 in UTC) and, per endpoint, its counters
	 * and times in nanoseconds; {@code data} adds what nats-bus counts beyond the
	 * protocol.
	 */
	public byte[] stats(MicroService service) {
		ObjectNode json = identity(STATS_TYPE, service);
		// Instant.toString is ISO-8601 in UTC ("...Z"), as the protocol asks.
		json.put("started", service.started().toString());
		ArrayNode endpoints = json.putArray("endpoints");
		for (MicroEndpoint endpoint : service.endpoints()) {
			EndpointStats stats = endpoint.stats();
			// Read once so that the average matches the counts written next to it.
			long requests = stats.getRequests();
			long processing = stats.getProcessingNanos();
			ObjectNode node = endpoints.addObject();
			node.put("name", endpoint.name());
			node.put("subject", endpoint.subject());
			node.put("queue_group", queueGroup(endpoint));
			node.put("num_requests", requests);
			node.put("num_errors", stats.getErrors());
			node.put("last_error", stats.getLastError());
			node.put("processing_time", processing);
			node.put("average_processing_time", (requests > 0) ? processing / requests : 0);
			ObjectNode data = node.putObject("data");
			data.put("expired_requests", stats.getExpired());
			data.put("busy_workers", endpoint.container().getBusyWorkers());
			data.put("concurrency", endpoint.container().getConcurrency());
			data.put("dropped_messages", endpoint.container().getDroppedCount());
		}
		return write(json);
	}

	/**
	 * A broadcast endpoint has no queue group: written as an empty string, as nats.go's
	 * micro package does for an endpoint with its queue group disabled (jnats leaves the
	 * field out), so that the field is present as for every other endpoint.
	 */
	private static String queueGroup(MicroEndpoint endpoint) {
		String queueGroup = endpoint.queueGroup();
		return (queueGroup != null) ? queueGroup : "";
	}

	private ObjectNode identity(String type, MicroService service) {
		ObjectNode json = this.jsonMapper.createObjectNode();
		json.put("type", type);
		json.put("name", service.name());
		json.put("id", service.id());
		json.put("version", service.definition().version());
		ObjectNode metadata = json.putObject("metadata");
		for (Map.Entry<String, String> entry : new TreeMap<>(service.definition().metadata()).entrySet()) {
			metadata.put(entry.getKey(), entry.getValue());
		}
		return json;
	}

	private byte[] write(ObjectNode json) {
		return this.jsonMapper.writeValueAsBytes(json);
	}

}
