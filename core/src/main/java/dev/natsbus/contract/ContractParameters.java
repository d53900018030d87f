package dev.natsbus.contract;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.natsbus.protocol.SubjectTemplate;
import org.jspecify.annotations.Nullable;

/**
 * Which argument of a contract method is what: the payload, the headers, the subject
 * variables and the timeout. Fixed when the contract is read; {@link #bind} only reads
 * the arguments.
 */
final class ContractParameters {

	private final int payload;

	private final int timeout;

	/** The argument of each subject variable, in the template's order. */
	private final int[] variables;

	private final List<HeaderParameter> headers;

	private final int headerMap;

	ContractParameters(int payload, int timeout, int[] variables, List<HeaderParameter> headers, int headerMap) {
		this.payload = payload;
		this.timeout = timeout;
		this.variables = variables;
		this.headers = List.copyOf(headers);
		this.headerMap = headerMap;
	}

	boolean hasHeaders() {
		return !this.headers.isEmpty() || this.headerMap >= 0;
	}

	ContractCall bind(SubjectTemplate subject, @Nullable Object[] args, String method) {
		String resolved;
		if (subject.isLiteral()) {
			resolved = subject.getTemplate();
		}
		else {
			Object[] values = new Object[this.variables.length];
			for (int i = 0; i < values.length; i++) {
				values[i] = args[this.variables[i]];
			}
			resolved = subject.expand(values);
		}
		Object payload = (this.payload >= 0) ? args[this.payload] : null;
		Duration timeout = (this.timeout >= 0) ? (Duration) args[this.timeout] : null;
		if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
			throw new IllegalArgumentException(
					"The timeout of " + method + " must be positive, not " + timeout.toMillis() + " ms");
		}
		return new ContractCall(resolved, payload, headers(args, method), timeout);
	}

	private @Nullable Map<String, Object> headers(@Nullable Object[] args, String method) {
		if (!hasHeaders()) {
			return null;
		}
		Map<String, Object> headers = new LinkedHashMap<>();
		if (this.headerMap >= 0 && args[this.headerMap] instanceof Map<?, ?> map) {
			map.forEach((name, value) -> {
				if (name != null && value != null) {
					headers.put(name.toString(), value);
				}
			});
		}
		for (HeaderParameter header : this.headers) {
			Object value = args[header.index()];
			if (value != null) {
				headers.put(header.name(), value);
			}
			else if (header.required()) {
				throw new IllegalArgumentException("Header '" + header.name() + "' of " + method
						+ " is required: pass a value, or declare @Header(required = false)");
			}
		}
		return headers.isEmpty() ? null : headers;
	}

	/** A {@code @Header} parameter. */
	record HeaderParameter(int index, String name, boolean required) {
	}

}
