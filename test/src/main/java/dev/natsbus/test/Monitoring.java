package dev.natsbus.test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the nats-server HTTP monitoring endpoints. The few string fields needed are
 * picked out with a regex because the module must not force a JSON library onto its
 * users.
 */
final class Monitoring {

	private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private Monitoring() {
	}

	/**
	 * GETs {@code baseUrl + path}; empty when the endpoint is unreachable or does not
	 * answer 200.
	 */
	static Optional<String> get(String baseUrl, String path) {
		HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path))
			.timeout(Duration.ofSeconds(2))
			.GET()
			.build();
		try {
			HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
			return response.statusCode() == 200 ? Optional.of(response.body()) : Optional.empty();
		}
		catch (IOException ex) {
			return Optional.empty();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return Optional.empty();
		}
	}

	/** The first integer field named {@code field}, at any depth. */
	static Optional<Integer> intField(String json, String field) {
		Matcher matcher = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*(\\d+)").matcher(json);
		return matcher.find() ? Optional.of(Integer.parseInt(matcher.group(1))) : Optional.empty();
	}

	/**
	 * Names of the gateways (remote clusters) that a {@code /gatewayz} answer shows an
	 * outbound connection to.
	 */
	static List<String> connectedOutboundGateways(String gatewayz) {
		int outbound = gatewayz.indexOf("\"outbound_gateways\"");
		int inbound = gatewayz.indexOf("\"inbound_gateways\"");
		if (outbound < 0) {
			return List.of();
		}
		String section = gatewayz.substring(outbound, (inbound > outbound) ? inbound : gatewayz.length());
		Matcher matcher = Pattern
			.compile("\"([^\"]+)\"\\s*:\\s*\\{\\s*\"configured\"\\s*:\\s*(?:true|false)\\s*,\\s*\"connection\"")
			.matcher(section);
		List<String> names = new ArrayList<>();
		while (matcher.find()) {
			names.add(matcher.group(1));
		}
		return names;
	}

	/** All values of a string field named {@code field}, at any depth. */
	static List<String> stringFields(String json, String field) {
		Matcher matcher = Pattern.compile("\"" + Pattern.quote(field) + "\"\\s*:\\s*\"([^\"]*)\"").matcher(json);
		List<String> values = new ArrayList<>();
		while (matcher.find()) {
			values.add(matcher.group(1));
		}
		return values;
	}

}
