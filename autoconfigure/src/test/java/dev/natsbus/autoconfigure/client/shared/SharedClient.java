package dev.natsbus.autoconfigure.client.shared;

import dev.natsbus.BusClient;
import dev.natsbus.BusRequest;

/** A contract outside the application's packages, as in a shared jar. */
@BusClient(timeout = "2s")
public interface SharedClient {

	@BusRequest("shared.{kind}.count")
	int count(@org.springframework.messaging.handler.annotation.DestinationVariable String kind);

}
