package dev.natsbus.reliability;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.natsbus.autoconfigure.events.NatsConnectionEvent;
import dev.natsbus.autoconfigure.events.NatsConnectionEvent.Type;

import org.springframework.context.ApplicationListener;

/**
 * The connection events an application published, with when they arrived, so that a test
 * can tell what happened when (a fault, its detection, the recovery) and await them. Add
 * the class to an application's sources and get it as a bean.
 */
final class ConnectionEvents implements ApplicationListener<NatsConnectionEvent> {

	/** One event: what, on which server, when ({@link System#nanoTime()}). */
	record Event(Type type, String serverUrl, long nanos) {
	}

	private final List<Event> events = new CopyOnWriteArrayList<>();

	@Override
	public void onApplicationEvent(NatsConnectionEvent event) {
		this.events.add(new Event(event.getType(), event.getServerUrl(), System.nanoTime()));
	}

	/** The first event of {@code type} at or after {@code sinceNanos}. */
	Optional<Event> first(Type type, long sinceNanos) {
		return this.events.stream().filter(event -> event.type() == type && event.nanos() >= sinceNanos).findFirst();
	}

	boolean has(Type type, long sinceNanos) {
		return first(type, sinceNanos).isPresent();
	}

	List<Event> all() {
		return List.copyOf(this.events);
	}

}
