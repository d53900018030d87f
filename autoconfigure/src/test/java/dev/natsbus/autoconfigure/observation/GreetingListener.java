package dev.natsbus.autoconfigure.observation;

import dev.natsbus.BusListener;
import dev.natsbus.BusServiceException;

/** A listener for the observation and metrics tests. */
class GreetingListener {

	@BusListener(subject = "greet.*", id = "greeter")
	String greet(String name) {
		return "hello " + name;
	}

	@BusListener(subject = "refuse", id = "refuser")
	String refuse(String name) {
		throw new BusServiceException(403, "not you, " + name);
	}

}
