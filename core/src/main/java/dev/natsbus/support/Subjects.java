package dev.natsbus.support;

/**
 * Checks NATS subjects and queue names before anything reaches the wire, so that a bad one
 * fails the call that made it with an {@link IllegalArgumentException}, not a server error
 * later on the connection.
 */
public final class Subjects {

	private Subjects() {
	}

	/** A subject that can be published to: non-empty tokens, no whitespace, no wildcards. */
	public static String requirePublishable(String subject) {
		checkTokens(subject, false);
		return subject;
	}

	/** A subject that can be subscribed to: wildcards allowed as whole tokens, {@code >} last. */
	public static String requireSubscribable(String subject) {
		checkTokens(subject, true);
		return subject;
	}

	/** A queue group name: non-empty, no whitespace, no wildcards. */
	public static String requireQueueName(String queue) {
		if (queue == null || queue.isEmpty()) {
			throw new IllegalArgumentException("Queue group must not be empty");
		}
		for (int i = 0; i < queue.length(); i++) {
			char c = queue.charAt(i);
			if (Character.isWhitespace(c) || c == '*' || c == '>') {
				throw new IllegalArgumentException("Invalid queue group '" + queue
						+ "': it must not contain whitespace or the wildcards '*' and '>'");
			}
		}
		return queue;
	}

	private static void checkTokens(String subject, boolean wildcardsAllowed) {
		if (subject == null || subject.isEmpty()) {
			throw new IllegalArgumentException("Subject must not be empty");
		}
		int tokenStart = 0;
		int length = subject.length();
		for (int i = 0; i <= length; i++) {
			if (i < length) {
				char c = subject.charAt(i);
				if (Character.isWhitespace(c)) {
					throw invalid(subject, "it must not contain whitespace");
				}
				if (c != '.') {
					continue;
				}
			}
			checkToken(subject, subject.substring(tokenStart, i), i == length, wildcardsAllowed);
			tokenStart = i + 1;
		}
	}

	private static void checkToken(String subject, String token, boolean last, boolean wildcardsAllowed) {
		if (token.isEmpty()) {
			throw invalid(subject, "it must not have an empty token (a leading, trailing or double '.')");
		}
		boolean wildcard = token.equals("*") || token.equals(">");
		if (wildcard && !wildcardsAllowed) {
			throw invalid(subject, "wildcards '*' and '>' cannot be published to");
		}
		if (token.equals(">") && !last) {
			throw invalid(subject, "'>' must be the last token");
		}
		if (!wildcard && (token.indexOf('*') >= 0 || token.indexOf('>') >= 0)) {
			throw invalid(subject, "'*' and '>' must stand as whole tokens");
		}
	}

	private static IllegalArgumentException invalid(String subject, String why) {
		return new IllegalArgumentException("Invalid subject '" + subject + "': " + why);
	}

}
