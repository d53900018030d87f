package dev.natsbus.conversion;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;
import dev.natsbus.BusConversionException;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * The default wire format, readable from any NATS client: {@code byte[]} travels as it
 * is, {@code String} as UTF-8 (not JSON-quoted), {@code null} and {@code Void} as an
 * empty body, everything else as JSON. Polymorphic default typing is never enabled here:
 * a payload can only become the type the caller or handler names.
 */
public class JsonPayloadConverter implements PayloadConverter {

	private static final byte[] EMPTY = new byte[0];

	private final JsonMapper jsonMapper;

	public JsonPayloadConverter() {
		this(JsonMapper.builder().findAndAddModules().build());
	}

	public JsonPayloadConverter(JsonMapper jsonMapper) {
		this.jsonMapper = jsonMapper;
	}

	@Override
	public byte[] toBytes(@Nullable Object payload) {
		if (payload == null) {
			return EMPTY;
		}
		if (payload instanceof byte[] bytes) {
			return bytes;
		}
		if (payload instanceof String text) {
			return text.getBytes(StandardCharsets.UTF_8);
		}
		try {
			return this.jsonMapper.writeValueAsBytes(payload);
		}
		catch (JacksonException ex) {
			throw new BusConversionException(
					"Cannot write " + payload.getClass().getName() + " as JSON: " + ex.getOriginalMessage(), ex);
		}
	}

	@Override
	public @Nullable Object fromBytes(byte[] data, Type type) {
		if (type == byte[].class) {
			return data;
		}
		if (type == String.class) {
			return new String(data, StandardCharsets.UTF_8);
		}
		if (type == Void.class || type == void.class || data.length == 0) {
			return null;
		}
		try {
			return this.jsonMapper.readValue(data, this.jsonMapper.constructType(type));
		}
		catch (JacksonException ex) {
			throw new BusConversionException("Cannot read " + data.length + " bytes of JSON as " + type.getTypeName()
					+ ": " + ex.getOriginalMessage(), ex);
		}
	}

}
