package dev.natsbus.autoconfigure.actuate;

import java.util.List;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

/**
 * The body of a {@code 400 Bad Request} answer to a write operation whose action is
 * unknown.
 *
 * @param error what was wrong
 * @param actions the actions that exist
 */
public record InvalidActionDescriptor(String error, List<String> actions) implements OperationResponseBody {

}
