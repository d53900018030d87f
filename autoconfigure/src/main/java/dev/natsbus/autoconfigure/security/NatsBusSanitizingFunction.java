package dev.natsbus.autoconfigure.security;

import java.util.Collection;
import java.util.Locale;
import java.util.Set;

import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks nats-bus secrets in Actuator's {@code /env} and {@code /configprops}:
 * {@code natsbus.password}, {@code natsbus.token} and {@code natsbus.nkey-seed}, and the
 * user info of {@code natsbus.servers} URLs. Needed because Spring Boot masks nothing by
 * key: it hides every value unless {@code show-values} is changed, and then shows every
 * value that no sanitizing function masks. Keys are compared in any relaxed form
 * ({@code NATSBUS_NKEYSEED}, {@code natsbus.nkeySeed}).
 */
public class NatsBusSanitizingFunction implements SanitizingFunction {

	private static final Set<String> SECRETS = Set.of("natsbuspassword", "natsbustoken", "natsbusnkeyseed");

	@Override
	public SanitizableData apply(SanitizableData data) {
		if (data.getValue() == null) {
			return data;
		}
		String key = normalize(data.getKey());
		if (SECRETS.contains(key)) {
			return data.withSanitizedValue();
		}
		if (key.startsWith("natsbusservers")) {
			return data.withValue(redact(data.getValue()));
		}
		return data;
	}

	private static Object redact(Object value) {
		if (value instanceof CharSequence url) {
			return String.join(",",
					java.util.Arrays.stream(url.toString().split(",")).map(ServerUrls::redact).toList());
		}
		if (value instanceof Collection<?> urls) {
			return urls.stream().map(NatsBusSanitizingFunction::redact).toList();
		}
		if (value instanceof Object[] urls) {
			return java.util.Arrays.stream(urls).map(NatsBusSanitizingFunction::redact).toList();
		}
		return value;
	}

	/**
	 * {@code natsbus.nkey-seed}, {@code NATSBUS_NKEYSEED}, {@code natsbus.nkeySeed}: all
	 * {@code natsbusnkeyseed}.
	 */
	private static String normalize(String key) {
		StringBuilder normalized = new StringBuilder(key.length());
		for (char c : key.toCharArray()) {
			if (Character.isLetterOrDigit(c)) {
				normalized.append(c);
			}
		}
		return normalized.toString().toLowerCase(Locale.ROOT);
	}

}
