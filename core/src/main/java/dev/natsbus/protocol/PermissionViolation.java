package dev.natsbus.protocol;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * The server refused to let a connection publish or subscribe to a subject, as it reports
 * with {@code -ERR 'Permissions Violation for Publish to "subject"'}. The connection
 * stays open; the message is dropped, or the subscription never receives anything.
 *
 * @param operation what was refused
 * @param subject the subject
 * @param queue the queue group of a refused subscription, or {@code null}
 * @param error the server's error text
 */
public record PermissionViolation(Operation operation, String subject, @Nullable String queue, String error) {

	private static final Pattern VIOLATION = Pattern.compile(
			"Permissions Violation for (Publish|Subscription) to \"([^\"]*)\"(?: using queue \"([^\"]*)\")?",
			Pattern.CASE_INSENSITIVE);

	/** The violation an error text reports, if it reports one. */
	public static Optional<PermissionViolation> parse(@Nullable String error) {
		if (error == null) {
			return Optional.empty();
		}
		Matcher matcher = VIOLATION.matcher(error);
		if (!matcher.find()) {
			return Optional.empty();
		}
		Operation operation = "publish".equalsIgnoreCase(matcher.group(1)) ? Operation.PUBLISH : Operation.SUBSCRIBE;
		return Optional.of(new PermissionViolation(operation, matcher.group(2), matcher.group(3), error));
	}

	/** Whether an error text reports that publishing to {@code subject} was denied. */
	public static boolean deniesPublish(@Nullable String error, String subject) {
		return parse(error).filter((violation) -> violation.operation() == Operation.PUBLISH)
			.filter((violation) -> violation.subject().equals(subject))
			.isPresent();
	}

	/**
	 * A sentence for logs and exceptions, e.g.
	 * {@code permission denied to publish to 'orders.create'}.
	 */
	public String describe() {
		return "permission denied to " + this.operation.verb + " to '" + this.subject + "'"
				+ ((this.queue != null) ? " in queue group '" + this.queue + "'" : "");
	}

	/** What the server may refuse. */
	public enum Operation {

		/** Publishing, which includes sending a request. */
		PUBLISH("publish"),

		/** Subscribing, which includes a listener and the reply inbox of requests. */
		SUBSCRIBE("subscribe");

		private final String verb;

		Operation(String verb) {
			this.verb = verb;
		}

	}

}
