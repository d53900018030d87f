package dev.natsbus.autoconfigure.security;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

/**
 * Server URLs as they may be shown (never user info) in logs, events, health details and
 * exception messages, and the user info some URLs carry, which the options factory moves
 * into the connection options so that jnats never echoes it.
 */
public final class ServerUrls {

	private ServerUrls() {
	}

	/** {@code nats://user:secret@host:4222} becomes {@code nats://host:4222}. */
	public static String redact(String url) {
		if (url == null) {
			return null;
		}
		int start = authorityStart(url);
		int at = userInfoEnd(url);
		return (at < start) ? url : url.substring(0, start) + url.substring(at + 1);
	}

	/** Each URL {@link #redact(String) redacted}. */
	public static List<String> redact(List<String> urls) {
		return (urls != null) ? urls.stream().map(ServerUrls::redact).toList() : null;
	}

	/** The user info of a URL, decoded, or {@code null}. */
	public static String userInfo(String url) {
		int start = authorityStart(url);
		int at = userInfoEnd(url);
		if (at < start) {
			return null;
		}
		String raw = url.substring(start, at);
		try {
			String decoded = new URI("nats://" + raw + "@h").getUserInfo();
			return (decoded != null) ? decoded : raw;
		}
		catch (URISyntaxException ex) {
			return raw;
		}
	}

	/** Whether the URL asks for TLS ({@code tls://}). */
	public static boolean isTls(String url) {
		return url.strip().toLowerCase(Locale.ROOT).startsWith("tls://");
	}

	private static int authorityStart(String url) {
		int scheme = url.indexOf("://");
		return (scheme >= 0) ? scheme + 3 : 0;
	}

	/**
	 * The last '@': NATS URLs have no path, and a password may hold '/', '?' or '#'
	 * unencoded, so anything before it is user info. Taking too much is the safe way
	 * round for a secret.
	 */
	private static int userInfoEnd(String url) {
		return url.lastIndexOf('@');
	}

}
