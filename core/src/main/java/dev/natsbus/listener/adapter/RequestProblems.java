package dev.natsbus.listener.adapter;

import java.lang.reflect.Array;
import java.time.temporal.Temporal;
import java.time.temporal.TemporalAmount;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.InvalidFormatException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.PropertyBindingException;
import tools.jackson.databind.exc.ValueInstantiationException;

import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.support.MethodArgumentNotValidException;
import org.springframework.util.StringUtils;
import org.springframework.validation.BindingResult;
import org.springframework.validation.FieldError;
import org.springframework.validation.ObjectError;

/**
 * Says in the caller's terms why a request could not be read: which parameter or header,
 * what was expected (a JSON object, a number, text...), and the reader's short reason (a
 * malformed JSON at a line and column, a field of the wrong kind, a constraint that does
 * not hold). Never a Java signature, class name or framework internal: the text goes to
 * the caller and into {@code $SRV.STATS}; the log keeps the full cause for the operator.
 */
final class RequestProblems {

	private static final int MAX_VALUE_LENGTH = 40;

	private static final Pattern BACKTICKED_ORIGIN = Pattern.compile(",?\\s*from `[^`]*`");

	private static final Pattern BACKTICKED = Pattern.compile("`[^`]*`");

	private static final Pattern FOUND_VALUE = Pattern.compile("from ([A-Za-z-]+) value");

	private static final Pattern TOKEN = Pattern.compile("`JsonToken\\.([A-Z_]+)`");

	private static final Pattern SOURCE = Pattern.compile("\\s*\\(?(start marker )?at \\[Source:.*$");

	private RequestProblems() {
	}

	/** Why {@code parameter} could not be resolved from {@code message}. */
	static String describe(MethodParameter parameter, Message<?> message, Throwable ex) {
		String header = headerName(parameter);
		if (header != null) {
			Object value = message.getHeaders().get(header);
			if (value == null) {
				return "Missing header '" + header + "'";
			}
			return "Cannot read header '" + header + "': expected " + kind(targetType(parameter)) + ", got "
					+ quote(value);
		}
		String name = "parameter '" + parameterName(parameter) + "'";
		MethodArgumentNotValidException invalid = find(ex, MethodArgumentNotValidException.class);
		if (invalid != null && invalid.getBindingResult() != null && !isEmpty(message.getPayload())) {
			return "Invalid " + name + ": " + violations(invalid.getBindingResult());
		}
		String expected = kind(targetType(parameter));
		if (isEmpty(message.getPayload())) {
			return "The request is empty: " + name + " expects " + expected;
		}
		if (find(ex, PayloadArgumentResolver.NullPayloadException.class) != null) {
			return "Cannot read " + name + ": expected " + expected + ", got null";
		}
		JacksonException jackson = find(ex, JacksonException.class);
		String reason = (jackson != null) ? reason(jackson) : null;
		return "Cannot read " + name + ": expected " + expected + ((reason != null) ? "; " + reason : "");
	}

	/** Each violated field with its message, in field order. */
	static String violations(BindingResult result) {
		List<String> violations = new ArrayList<>();
		result.getFieldErrors()
			.stream()
			.sorted(Comparator.comparing(FieldError::getField))
			.forEach((error) -> violations.add(error.getField() + ": " + message(error)));
		for (ObjectError error : result.getGlobalErrors()) {
			violations.add(message(error));
		}
		return violations.isEmpty() ? "not valid" : String.join("; ", violations);
	}

	private static String message(ObjectError error) {
		return StringUtils.hasText(error.getDefaultMessage()) ? error.getDefaultMessage() : "not valid";
	}

	private static @Nullable String reason(JacksonException ex) {
		if (ex instanceof StreamConstraintsException) {
			return "the JSON is beyond the reader's limits (" + clean(ex.getOriginalMessage()) + ")";
		}
		if (ex instanceof StreamReadException) {
			return "malformed JSON" + location(ex.getLocation()) + ": " + clean(ex.getOriginalMessage());
		}
		String path = path(ex);
		if (ex instanceof PropertyBindingException unknown) {
			return "unknown field '" + (path.isEmpty() ? unknown.getPropertyName() : path) + "'";
		}
		if (ex instanceof InvalidFormatException format) {
			return (path.isEmpty() ? "" : "field '" + path + "' expects " + kind(format.getTargetType()) + ", ")
					+ "got " + quote(format.getValue());
		}
		if (ex instanceof MismatchedInputException mismatch) {
			String found = token(ex);
			if (path.isEmpty()) {
				return (found != null) ? "got " + found : null;
			}
			return "field '" + path + "' expects " + kind(mismatch.getTargetType())
					+ ((found != null) ? ", got " + found : "");
		}
		if (ex instanceof ValueInstantiationException) {
			return path.isEmpty() ? "its values are not valid" : "the value of '" + path + "' is not valid";
		}
		return null;
	}

	/**
	 * The JSON value the reader found instead, in JSON's terms: Jackson names its token
	 * in the message ({@code (token `JsonToken.START_ARRAY`)}), and its parser, when
	 * still open, knows it.
	 */
	private static @Nullable String token(JacksonException ex) {
		JsonToken token = null;
		Matcher named = TOKEN.matcher(String.valueOf(ex.getOriginalMessage()));
		if (named.find()) {
			try {
				token = JsonToken.valueOf(named.group(1));
			}
			catch (IllegalArgumentException ignored) {
				// A token this version does not know: look at the parser instead.
			}
		}
		if (token == null && ex.processor() instanceof JsonParser parser) {
			try {
				token = parser.currentToken();
			}
			catch (RuntimeException ignored) {
				// A closed parser may refuse: the reason is then just shorter.
			}
		}
		if (token == null) {
			return valueKind(ex.getOriginalMessage());
		}
		return switch (token) {
			case START_OBJECT, END_OBJECT, PROPERTY_NAME -> "an object";
			case START_ARRAY, END_ARRAY -> "an array";
			case VALUE_STRING -> "text";
			case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
			case VALUE_TRUE, VALUE_FALSE -> "true or false";
			case VALUE_NULL -> "null";
			default -> null;
		};
	}

	/** What Jackson says it found ({@code from boolean value}), in JSON's terms. */
	private static @Nullable String valueKind(@Nullable String message) {
		Matcher found = (message != null) ? FOUND_VALUE.matcher(message) : null;
		if (found == null || !found.find()) {
			return null;
		}
		return switch (found.group(1).toLowerCase(Locale.ROOT)) {
			case "string" -> "text";
			case "integer", "int", "long", "floating-point", "double", "float", "number" -> "a number";
			case "boolean" -> "true or false";
			case "array" -> "an array";
			case "object" -> "an object";
			case "null" -> "null";
			default -> null;
		};
	}

	/**
	 * Field names and indices only, never the classes that {@code getPathReference}
	 * shows.
	 */
	private static String path(JacksonException ex) {
		StringBuilder path = new StringBuilder();
		for (JacksonException.Reference reference : ex.getPath()) {
			if (reference.getPropertyName() != null) {
				if (!path.isEmpty()) {
					path.append('.');
				}
				path.append(reference.getPropertyName());
			}
			else if (reference.getIndex() >= 0) {
				path.append('[').append(reference.getIndex()).append(']');
			}
		}
		return path.toString();
	}

	private static String location(@Nullable TokenStreamLocation location) {
		if (location == null || location.getLineNr() < 1) {
			return "";
		}
		return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
	}

	/**
	 * The reader's own words, without what names its code: backticked settings and types,
	 * and the source description.
	 */
	private static String clean(@Nullable String message) {
		if (message == null) {
			return "unreadable";
		}
		String firstLine = message.lines().findFirst().orElse("");
		String cleaned = SOURCE.matcher(firstLine).replaceAll("");
		cleaned = BACKTICKED_ORIGIN.matcher(cleaned).replaceAll("");
		cleaned = BACKTICKED.matcher(cleaned).replaceAll("");
		cleaned = cleaned.replaceAll("\\s+", " ").trim();
		return cleaned.isEmpty() ? "unreadable" : cleaned;
	}

	/** What a value of {@code type} looks like on the wire, in JSON's terms. */
	static String kind(@Nullable Class<?> type) {
		if (type == null || type == Object.class) {
			return "JSON";
		}
		if (type == byte[].class) {
			return "bytes";
		}
		if (CharSequence.class.isAssignableFrom(type) || type == char.class || type == Character.class) {
			return "text";
		}
		if (type == boolean.class || type == Boolean.class) {
			return "true or false";
		}
		if (type == int.class || type == long.class || type == short.class || type == byte.class
				|| type == Integer.class || type == Long.class || type == Short.class || type == Byte.class
				|| type == java.math.BigInteger.class) {
			return "a whole number";
		}
		if (type.isPrimitive() || Number.class.isAssignableFrom(type)) {
			return "a number";
		}
		if (type.isEnum()) {
			Object[] constants = type.getEnumConstants();
			String names = Arrays.stream(constants)
				.limit(10)
				.map((constant) -> ((Enum<?>) constant).name())
				.collect(Collectors.joining(", "));
			return "one of " + names + ((constants.length > 10) ? ", ..." : "");
		}
		if (type.isArray() || Collection.class.isAssignableFrom(type)) {
			return "a JSON array";
		}
		if (Temporal.class.isAssignableFrom(type) || TemporalAmount.class.isAssignableFrom(type)) {
			return "a date or time in ISO-8601 text";
		}
		if (type == UUID.class) {
			return "a UUID";
		}
		// Maps, records and beans alike.
		return "a JSON object";
	}

	private static @Nullable Class<?> targetType(MethodParameter parameter) {
		MethodParameter nested = parameter.nestedIfOptional();
		Class<?> type = nested.getNestedParameterType();
		if (Message.class.isAssignableFrom(type)) {
			return ResolvableType.forMethodParameter(nested).getGeneric(0).resolve();
		}
		return type;
	}

	private static @Nullable String headerName(MethodParameter parameter) {
		Header header = parameter.getParameterAnnotation(Header.class);
		if (header == null) {
			return null;
		}
		return StringUtils.hasText(header.name()) ? header.name() : parameterName(parameter);
	}

	private static String parameterName(MethodParameter parameter) {
		String name = parameter.getParameterName();
		return (name != null) ? name : "#" + (parameter.getParameterIndex() + 1);
	}

	private static boolean isEmpty(@Nullable Object payload) {
		return payload == null || (payload instanceof byte[] bytes && bytes.length == 0);
	}

	private static String quote(@Nullable Object value) {
		String text;
		if (value != null && value.getClass().isArray()) {
			text = (Array.getLength(value) == 0) ? "[]" : "[...]";
		}
		else {
			text = String.valueOf(value);
		}
		if (text.length() > MAX_VALUE_LENGTH) {
			text = text.substring(0, MAX_VALUE_LENGTH) + "...";
		}
		return "\"" + text + "\"";
	}

	private static <T extends Throwable> @Nullable T find(Throwable ex, Class<T> type) {
		Throwable cause = ex;
		for (int depth = 0; cause != null && depth < 16; depth++) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
			if (cause.getCause() == cause) {
				break;
			}
			cause = cause.getCause();
		}
		return null;
	}

}
