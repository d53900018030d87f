package dev.natsbus.observation;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import dev.natsbus.BusListener;
import dev.natsbus.BusServiceException;
import dev.natsbus.template.BusTemplate;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.stereotype.Component;

/** Listeners for the observation tests: each subject exercises one outcome. */
@Component
class ObservedHandlers {

	final List<String> events = new CopyOnWriteArrayList<>();

	final AtomicReference<CompletableFuture<String>> pending = new AtomicReference<>();

	private final BusTemplate bus;

	ObservedHandlers(BusTemplate bus) {
		this.bus = bus;
	}

	@BusListener(subject = "obs.greet.*", id = "greeter")
	String greet(String name) {
		return "hello " + name;
	}

	@BusListener(subject = "obs.fail", id = "failer")
	String fail(String name) {
		throw new BusServiceException(404, "no such thing: " + name);
	}

	@BusListener(subject = "obs.boom", id = "boom")
	String boom(String name) {
		throw new IllegalStateException("boom");
	}

	@BusListener(subject = "obs.later", id = "later")
	CompletableFuture<String> later(String name) {
		CompletableFuture<String> future = new CompletableFuture<>();
		this.pending.set(future);
		return future;
	}

	@BusListener(subject = "obs.twice", id = "twice")
	int twice(Integer number) {
		return number * 2;
	}

	@BusListener(subject = "obs.events", id = "events")
	void event(String event) {
		this.events.add(event);
	}

	@BusListener(subject = "obs.forward", id = "forwarder")
	String forward(String name) {
		return "forwarded " + this.bus.request("obs.greet.nested", name, String.class);
	}

	@BusListener(subject = "obs.traceparent", id = "traceparent")
	String traceparent(@Header(name = "traceparent", required = false) String traceparent) {
		return (traceparent != null) ? traceparent : "none";
	}

}
