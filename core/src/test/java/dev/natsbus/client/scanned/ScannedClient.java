package dev.natsbus.client.scanned;

import dev.natsbus.BusClient;
import dev.natsbus.BusRequest;

/** Found by {@link ScanningConfiguration}'s scan of its own package. */
@BusClient
public interface ScannedClient {

	@BusRequest("scanned.ping")
	String ping(String text);

}
