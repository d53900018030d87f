package dev.natsbus.micro;

import java.time.Instant;
import java.util.List;

/**
 * One running instance of a NATS micro service: its definition, the id that tells it
 * apart from the other instances, when it started, and its endpoints.
 *
 * @param definition name, version, description and metadata
 * @param id unique per instance and start, safe in a subject token
 * @param started when the instance started answering
 * @param endpoints the listeners of the service
 */
public record MicroService(ServiceDefinition definition, String id, Instant started, List<MicroEndpoint> endpoints) {

	public MicroService {
		endpoints = List.copyOf(endpoints);
	}

	public String name() {
		return this.definition.name();
	}

}
