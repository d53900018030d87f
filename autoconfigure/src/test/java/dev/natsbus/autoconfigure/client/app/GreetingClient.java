package dev.natsbus.autoconfigure.client.app;

import java.time.Duration;

import dev.natsbus.BusClient;
import dev.natsbus.BusRequest;

/** A client in the application's package, found without any annotation. */
@BusClient
public interface GreetingClient {

	@BusRequest("${greeting.subject:greet.hello}")
	String hello(String name);

	@BusRequest("greet.silent")
	String silent();

	@BusRequest(value = "greet.silent", timeout = "${greeting.timeout:222ms}")
	String silentAnnotated();

	@BusRequest(value = "greet.silent", timeout = "222ms")
	String silentPerCall(Duration timeout);

}
