package dev.natsbus.autoconfigure.actuate;

import java.util.List;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

/**
 * What {@code GET /actuator/natsbus} answers: every listener of this instance, in
 * registration order, and every pooled connection, in slot order.
 *
 * @param listeners the listeners
 * @param connections the connections
 */
public record NatsBusDescriptor(List<ListenerDescriptor> listeners,
		List<ConnectionDescriptor> connections) implements OperationResponseBody {

}
