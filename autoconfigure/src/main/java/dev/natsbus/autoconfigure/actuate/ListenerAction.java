package dev.natsbus.autoconfigure.actuate;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import dev.natsbus.listener.BusListenerRegistry;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;

/** What the {@code natsbus} write operation can do to a listener. */
enum ListenerAction {

	/** Stop taking messages once those already delivered are handled. */
	PAUSE {
		@Override
		void applyTo(BusListenerRegistry registry, String id) {
			registry.pause(id);
		}
	},

	/** Take messages again. */
	RESUME {
		@Override
		void applyTo(BusListenerRegistry registry, String id) {
			registry.resume(id);
		}
	};

	abstract void applyTo(BusListenerRegistry registry, String id);

	/** The name a request gives the action by. */
	String value() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * The action named {@code value}, in any case.
	 * @throws InvalidEndpointRequestException when there is none
	 */
	static ListenerAction of(String value) {
		for (ListenerAction action : values()) {
			if (action.value().equalsIgnoreCase(value.strip())) {
				return action;
			}
		}
		String message = "Unknown action '" + value + "'; the actions are " + names();
		throw new InvalidEndpointRequestException(message, message);
	}

	/** The names of every action. */
	static List<String> names() {
		return Arrays.stream(values()).map(ListenerAction::value).toList();
	}

}
