package dev.natsbus.listener.adapter;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import dev.natsbus.conversion.JsonPayloadConverter;
import dev.natsbus.conversion.PayloadConverter;
import org.junit.jupiter.api.Test;

import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.messaging.handler.invocation.InvocableHandlerMethod;
import org.springframework.messaging.support.GenericMessage;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The payload-only fast path takes exactly the methods whose one parameter
 * spring-messaging would resolve as a plain payload, reads payloads as the regular
 * resolution does, and leaves everything it cannot read (so that the regular way reports
 * it) to that resolution.
 */
class PayloadParameterTests {

	private final JsonPayloadConverter converter = new JsonPayloadConverter();

	private final BusHandlerMethodFactory factory = new BusHandlerMethodFactory(this.converter);

	private final Handlers handlers = new Handlers();

	PayloadParameterTests() {
		this.factory.afterPropertiesSet();
	}

	@Test
	void takesMethodsWhoseOnlyParameterIsAPlainPayload() {
		assertThat(payloadParameter("quote")).isNotNull();
		assertThat(payloadParameter("bytes")).isNotNull();
		assertThat(payloadParameter("text")).isNotNull();
		assertThat(payloadParameter("quotes")).isNotNull();
		assertThat(payloadParameter("anything")).isNotNull();
	}

	@Test
	void leavesEveryOtherSignatureToTheRegularResolution() {
		assertThat(payloadParameter("annotatedPayload")).isNull();
		assertThat(payloadParameter("header")).isNull();
		assertThat(payloadParameter("springMessage")).isNull();
		assertThat(payloadParameter("natsMessage")).isNull();
		assertThat(payloadParameter("headers")).isNull();
		assertThat(payloadParameter("primitive")).isNull();
		assertThat(payloadParameter("optional")).isNull();
		assertThat(payloadParameter("two")).isNull();
		assertThat(payloadParameter("none")).isNull();
	}

	@Test
	void readsPayloadsAsTheRegularResolutionDoes() throws Exception {
		for (String name : List.of("quote", "bytes", "text", "quotes", "anything")) {
			InvocableHandlerMethod method = handlerMethod(name);
			byte[] data = (name.equals("quotes") ? "[{\"symbol\":\"NATS\",\"price\":1.5}]"
					: (name.equals("text") || name.equals("bytes") || name.equals("anything")) ? "\"plain\""
							: "{\"symbol\":\"NATS\",\"price\":1.5}")
				.getBytes(StandardCharsets.UTF_8);
			Object payload = this.factory.payloadParameter(method).read(data);
			assertThat(payload).as(name).isNotNull();
			Object fast = PayloadParameter.invoke(method, payload);
			Object regular = method.invoke(new GenericMessage<>(data));
			if (fast instanceof byte[] bytes) {
				assertThat(bytes).as(name).isEqualTo((byte[]) regular);
			}
			else {
				assertThat(fast).as(name).isEqualTo(regular);
			}
		}
	}

	@Test
	void readsGenericParametersWithTheirElementType() {
		Object payload = this.factory.payloadParameter(handlerMethod("quotes"))
			.read("[{\"symbol\":\"NATS\",\"price\":1.5}]".getBytes(StandardCharsets.UTF_8));
		assertThat(payload).isEqualTo(List.of(new Quote("NATS", 1.5)));
	}

	@Test
	void handsBytesOverAsTheyAreWhereTheParameterTakesThem() {
		byte[] data = { 1, 2, 3 };
		assertThat(this.factory.payloadParameter(handlerMethod("bytes")).read(data)).isSameAs(data);
		assertThat(this.factory.payloadParameter(handlerMethod("anything")).read(data)).isSameAs(data);
	}

	@Test
	void leavesWhatItCannotReadToTheRegularResolution() {
		PayloadParameter quote = this.factory.payloadParameter(handlerMethod("quote"));
		assertThat(quote.read(new byte[0])).as("empty").isNull();
		assertThat(quote.read(null)).as("none").isNull();
		assertThat(quote.read("{not json".getBytes(StandardCharsets.UTF_8))).as("malformed").isNull();
		assertThat(quote.read("null".getBytes(StandardCharsets.UTF_8))).as("JSON null").isNull();
		assertThat(this.factory.payloadParameter(handlerMethod("text")).read(new byte[0])).isNull();
	}

	@Test
	void leavesAnyConverterFailureToTheRegularResolution() {
		// A converter of another format may throw what it likes: the regular way makes it
		// a 400.
		PayloadConverter strict = new PayloadConverter() {

			@Override
			public byte[] toBytes(Object payload) {
				throw new UnsupportedOperationException();
			}

			@Override
			public Object fromBytes(byte[] data, java.lang.reflect.Type type) {
				throw new IllegalArgumentException("not in my format");
			}

		};
		BusHandlerMethodFactory strictFactory = new BusHandlerMethodFactory(strict);
		strictFactory.afterPropertiesSet();
		PayloadParameter quote = strictFactory.payloadParameter(handlerMethod("quote"));
		assertThat(quote).isNotNull();
		assertThat(quote.read("{}".getBytes(StandardCharsets.UTF_8))).isNull();
	}

	private PayloadParameter payloadParameter(String name) {
		return this.factory.payloadParameter(handlerMethod(name));
	}

	private InvocableHandlerMethod handlerMethod(String name) {
		Method method = Arrays.stream(Handlers.class.getDeclaredMethods())
			.filter((candidate) -> candidate.getName().equals(name))
			.findFirst()
			.orElseThrow();
		return this.factory.createInvocableHandlerMethod(this.handlers, method);
	}

	record Quote(String symbol, double price) {
	}

	static class Handlers {

		Quote quote(Quote quote) {
			return quote;
		}

		byte[] bytes(byte[] bytes) {
			return bytes;
		}

		String text(String text) {
			return text.toUpperCase();
		}

		int quotes(List<Quote> quotes) {
			return quotes.size();
		}

		Object anything(Object anything) {
			return anything;
		}

		Quote annotatedPayload(@Payload Quote quote) {
			return quote;
		}

		String header(@Header("id") String id) {
			return id;
		}

		Object springMessage(org.springframework.messaging.Message<Quote> message) {
			return message.getPayload();
		}

		Object natsMessage(io.nats.client.Message message) {
			return message.getSubject();
		}

		Object headers(MessageHeaders headers) {
			return headers;
		}

		int primitive(int number) {
			return number;
		}

		Object optional(Optional<Quote> quote) {
			return quote.orElse(null);
		}

		Object two(Quote quote, String text) {
			return text;
		}

		String none() {
			return "none";
		}

	}

}
