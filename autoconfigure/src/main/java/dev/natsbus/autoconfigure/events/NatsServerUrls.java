package dev.natsbus.autoconfigure.events;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * Server URLs as they may be shown in logs, events and health details: scheme, host and port
 * only. jnats reports the URL it connected to as configured, user info (credentials)
 * included.
 */
public final class NatsServerUrls {

	private NatsServerUrls() {
	}

	/** {@code nats://user:secret@host:4222} becomes {@code nats://host:4222}; {@code null} stays null. */
	public static String redact(String url) {
		if (url == null) {
			return null;
		}
		try {
			URI uri = new URI(url.trim());
			if (uri.getHost() == null) {
				return withoutUserInfo(url);
			}
			StringBuilder redacted = new StringBuilder();
			if (uri.getScheme() != null) {
				redacted.append(uri.getScheme()).append("://");
			}
			redacted.append(uri.getHost());
			if (uri.getPort() != -1) {
				redacted.append(':').append(uri.getPort());
			}
			return redacted.toString();
		}
		catch (URISyntaxException ex) {
			return withoutUserInfo(url);
		}
	}

	/** Drops everything up to the last {@code @} of the authority, for URLs {@link URI} rejects. */
	private static String withoutUserInfo(String url) {
		int schemeEnd = url.indexOf("://");
		int start = (schemeEnd >= 0) ? schemeEnd + 3 : 0;
		int authorityEnd = url.indexOf('/', start);
		String authority = (authorityEnd >= 0) ? url.substring(start, authorityEnd) : url.substring(start);
		int at = authority.lastIndexOf('@');
		if (at < 0) {
			return url;
		}
		return url.substring(0, start) + authority.substring(at + 1)
				+ ((authorityEnd >= 0) ? url.substring(authorityEnd) : "");
	}

}
