package dev.natsbus.protocol;

import org.jspecify.annotations.Nullable;

/**
 * Checks NATS subjects and queue names before anything reaches the wire, so that a bad
 * one fails the call that made it with an {@link IllegalArgumentException}, not a server
 * error later on the connection.
 */
public final class Subjects {

	private Subjects() {
	}

	/**
	 * A subject that can be published to: non-empty tokens, no whitespace, no wildcards.
	 */
	public static String requirePublishable(@Nullable String subject) {
		checkTokens(subject, false);
		return subject;
	}

	/**
	 * A subject that can be subscribed to: wildcards allowed as whole tokens, {@code >}
	 * last.
	 */
	public static String requireSubscribable(@Nullable String subject) {
		checkTokens(subject, true);
		return subject;
	}

	/**
	 * Whether a reply subject that came with a delivered message can be published to. The
	 * protocol separates fields with spaces and tabs and ends lines with CR LF, so such a
	 * subject holds none of those, and jnats checks them again when it publishes: what is
	 * left to rule out are wildcards and empty tokens, which the JDK's vectorised
	 * {@code indexOf} finds several times faster than a walk per character (this runs for
	 * every request a listener answers). Other control or Unicode space characters are
	 * the server's business.
	 */
	public static boolean isReplySubject(@Nullable String subject) {
		return subject != null && !subject.isEmpty() && subject.indexOf('*') < 0 && subject.indexOf('>') < 0
				&& subject.charAt(0) != '.' && subject.charAt(subject.length() - 1) != '.' && !subject.contains("..");
	}

	/** A queue group name: non-empty, no whitespace, no wildcards. */
	public static String requireQueueName(@Nullable String queue) {
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

	// Runs on every request and reply (twice per exchange), so it is one pass by index
	// that
	// allocates nothing and only consults the Unicode tables for non-ASCII characters.
	private static void checkTokens(@Nullable String subject, boolean wildcardsAllowed) {
		if (subject == null || subject.isEmpty()) {
			throw new IllegalArgumentException("Subject must not be empty");
		}
		int length = subject.length();
		int tokenStart = 0;
		for (int i = 0; i < length; i++) {
			char c = subject.charAt(i);
			if (c == '.') {
				if (i == tokenStart) {
					throw emptyToken(subject);
				}
				tokenStart = i + 1;
			}
			else if (c == '*' || c == '>') {
				checkWildcard(subject, i, tokenStart, wildcardsAllowed);
			}
			else if (c <= ' ' || (c >= 0x80 && Character.isWhitespace(c))) {
				throw invalid(subject, "it must not contain whitespace or control characters");
			}
		}
		if (tokenStart == length) {
			throw emptyToken(subject);
		}
	}

	private static void checkWildcard(String subject, int index, int tokenStart, boolean wildcardsAllowed) {
		boolean last = index + 1 == subject.length();
		if (index != tokenStart || !(last || subject.charAt(index + 1) == '.')) {
			throw invalid(subject, "'*' and '>' must stand as whole tokens");
		}
		if (!wildcardsAllowed) {
			throw invalid(subject, "wildcards '*' and '>' cannot be published to");
		}
		if (subject.charAt(index) == '>' && !last) {
			throw invalid(subject, "'>' must be the last token");
		}
	}

	private static IllegalArgumentException emptyToken(String subject) {
		return invalid(subject, "it must not have an empty token (a leading, trailing or double '.')");
	}

	private static IllegalArgumentException invalid(String subject, String why) {
		return new IllegalArgumentException("Invalid subject '" + subject + "': " + why);
	}

}
