package dev.natsbus.autoconfigure.client.invalid;

import dev.natsbus.BusClient;
import dev.natsbus.BusSend;

/** A declaration that cannot work: a send that expects a reply. */
@BusClient
public interface InvalidClient {

	@BusSend("invalid.send")
	String send(String text);

}
