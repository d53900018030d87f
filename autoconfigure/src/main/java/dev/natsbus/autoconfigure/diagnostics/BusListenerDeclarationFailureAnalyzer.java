package dev.natsbus.autoconfigure.diagnostics;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;

/**
 * Reports a {@code @BusListener} declaration that cannot work (private or static method,
 * empty subject, wildcard queue, two payload parameters, bad concurrency), naming the
 * method and what to change.
 */
class BusListenerDeclarationFailureAnalyzer implements FailureAnalyzer, Ordered {

	private static final Pattern INVALID = Pattern.compile("Invalid @BusListener on (\\S+) \\(bean '([^']*)'\\): (.*)",
			Pattern.DOTALL);

	@Override
	public FailureAnalysis analyze(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			Matcher invalid = INVALID.matcher(String.valueOf(cause.getMessage()));
			if (invalid.find()) {
				String method = invalid.group(1);
				String reason = invalid.group(3);
				String description = "The @BusListener method " + method + " (bean '" + invalid.group(2)
						+ "') cannot work: " + reason + "\n";
				return new FailureAnalysis(description, action(method, reason), cause);
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return null;
	}

	private static String action(String method, String reason) {
		if (reason.contains("must not be private")) {
			return "Make " + method + " package-private, protected or public.";
		}
		if (reason.contains("must not be static")) {
			return "Make " + method + " an instance method.";
		}
		if (reason.contains("subject must not be empty")) {
			return "Give the @BusListener of " + method + " a subject, such as @BusListener(\"orders.get\"); "
					+ "a placeholder must resolve to a subject.";
		}
		if (reason.contains("concurrency")) {
			return "Set the concurrency of the @BusListener of " + method
					+ " to a whole number of at least 1 (a placeholder must resolve to one), or leave it out to "
					+ "use natsbus.listener.concurrency.";
		}
		if (reason.contains("claims the payload")) {
			return "Annotate the parameter of " + method
					+ " that receives the payload with @Payload, and the others with @Header or @Headers.";
		}
		return "Correct the @BusListener of " + method + " as the description says.";
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
