package dev.natsbus.autoconfigure.security;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import dev.natsbus.autoconfigure.diagnostics.NatsBusConfigurationException;

/**
 * Server URLs as they may be shown (never user info) in logs, events, health details and
 * exception messages, and the user info some URLs carry, which the options factory moves
 * into the connection options so that jnats never echoes it.
 */
public final class ServerUrls {

	/** The schemes jnats connects with. */
	private static final Set<String> SCHEMES = Set.of("nats", "tls", "opentls", "ws", "wss");

	private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9_.-]+");

	/** Something that looks like a scheme with a slip in its {@code ://}. */
	private static final Pattern BROKEN_SCHEME = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*)(:/?(?!/)|/{1,2}).*");

	private static final String EXAMPLE = "nats://localhost:4222";

	private ServerUrls() {
	}

	/**
	 * Checks that every non-blank entry is a NATS server URL:
	 * {@code scheme://host[:port]} with a scheme jnats knows, or a bare
	 * {@code host[:port]}, which jnats reads as {@code nats://}.
	 * @param source where the URLs come from, for the message, e.g.
	 * {@code natsbus.servers}
	 * @param urls the URLs
	 * @throws NatsBusConfigurationException naming the source and the offending entry,
	 * with its user info masked
	 */
	public static void requireValid(String source, List<String> urls) {
		if (urls == null) {
			return;
		}
		for (int i = 0; i < urls.size(); i++) {
			String url = urls.get(i);
			String problem = (url != null && !url.isBlank()) ? problem(url.strip()) : null;
			if (problem != null) {
				throw new NatsBusConfigurationException(
						entry(source, i) + " '" + mask(url.strip()) + "' is not a NATS server URL: " + problem,
						"Correct " + source + ": each entry is scheme://host:port with scheme nats, tls, ws or wss, "
								+ "for example " + EXAMPLE + " (several entries separated by commas).");
			}
		}
	}

	private static String entry(String source, int index) {
		return source.startsWith("natsbus.") ? source + "[" + index + "]" : "entry " + index + " of " + source;
	}

	/** What is wrong with the URL, or {@code null}. */
	private static String problem(String url) {
		int separator = url.indexOf("://");
		if (separator < 0) {
			var broken = BROKEN_SCHEME.matcher(url);
			if (broken.matches()
					&& (SCHEMES.contains(broken.group(1).toLowerCase(Locale.ROOT)) || url.indexOf('/') >= 0)) {
				return "the scheme must be followed by '://', as in " + EXAMPLE;
			}
			if (url.indexOf('/') >= 0) {
				return "it is not of the form scheme://host:port, as in " + EXAMPLE;
			}
			return hostAndPortProblem(afterUserInfo(url));
		}
		String scheme = url.substring(0, separator).toLowerCase(Locale.ROOT);
		if (!SCHEMES.contains(scheme)) {
			return "unknown scheme '" + url.substring(0, separator) + "'; NATS servers are reached with nats://, "
					+ "tls://, ws:// or wss://";
		}
		String rest = afterUserInfo(url.substring(separator + 3));
		int slash = rest.indexOf('/');
		String authority = (slash >= 0) ? rest.substring(0, slash) : rest;
		String path = (slash >= 0) ? rest.substring(slash) : "";
		if (!path.isEmpty() && !path.equals("/") && !scheme.startsWith("ws")) {
			return "it has a path ('" + path + "'), which only ws:// and wss:// URLs may have";
		}
		return hostAndPortProblem(authority);
	}

	private static String hostAndPortProblem(String authority) {
		String host = authority;
		String port = null;
		if (authority.startsWith("[")) {
			int end = authority.indexOf(']');
			if (end < 0) {
				return "the IPv6 address has no closing ']'";
			}
			host = authority.substring(1, end);
			String after = authority.substring(end + 1);
			if (!after.isEmpty()) {
				if (!after.startsWith(":")) {
					return "'" + after + "' follows the IPv6 address where ':port' belongs";
				}
				port = after.substring(1);
			}
			if (host.isEmpty() || !host.matches("[0-9A-Fa-f:.%A-Za-z]+")) {
				return "'" + host + "' is not an IPv6 address";
			}
		}
		else {
			int colon = authority.indexOf(':');
			if (colon >= 0) {
				if (authority.indexOf(':', colon + 1) >= 0) {
					return "it has more than one ':'; write an IPv6 address in brackets, as in nats://[::1]:4222";
				}
				host = authority.substring(0, colon);
				port = authority.substring(colon + 1);
			}
			if (host.isEmpty()) {
				return "it has no host, as in " + EXAMPLE;
			}
			if (!HOST_NAME.matcher(host).matches()) {
				return "the host '" + host + "' is not a host name or an IP address";
			}
		}
		if (port != null && !isPort(port)) {
			return "the port '" + port + "' is not a number from 1 to 65535";
		}
		return null;
	}

	private static boolean isPort(String port) {
		if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(Character::isDigit)) {
			return false;
		}
		int number = Integer.parseInt(port);
		return number >= 1 && number <= 65535;
	}

	private static String afterUserInfo(String authorityAndPath) {
		int at = authorityAndPath.lastIndexOf('@');
		return (at >= 0) ? authorityAndPath.substring(at + 1) : authorityAndPath;
	}

	/**
	 * The URL for a message about it, even when malformed: anything before the last '@'
	 * that could be user info is replaced by {@code ***}.
	 */
	public static String mask(String url) {
		int at = url.lastIndexOf('@');
		if (at < 0) {
			return url;
		}
		var scheme = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*:?/+").matcher(url);
		int keep = (scheme.find() && scheme.end() <= at) ? scheme.end() : 0;
		return url.substring(0, keep) + "***" + url.substring(at);
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
