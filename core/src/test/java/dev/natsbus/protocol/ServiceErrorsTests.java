package dev.natsbus.protocol;

import io.nats.client.Message;
import io.nats.client.impl.Headers;
import org.junit.jupiter.api.Test;

import static dev.natsbus.protocol.DeadlinesTests.message;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The micro protocol's error headers: written so that any client can read them, and read
 * back from replies of any client.
 */
class ServiceErrorsTests {

	@Test
	void errorHeadersCarryTheTextAndTheCode() {
		Headers headers = ServiceErrors.errorHeaders(404, "no such order");
		assertThat(headers.getFirst("Nats-Service-Error")).isEqualTo("no such order");
		assertThat(headers.getFirst("Nats-Service-Error-Code")).isEqualTo("404");
		Message reply = message(headers);
		assertThat(ServiceErrors.isError(reply)).isTrue();
		assertThat(ServiceErrors.code(reply)).isEqualTo(404);
		assertThat(ServiceErrors.text(reply)).isEqualTo("no such order");
	}

	@Test
	void aReplyWithoutHeadersOrWithoutACodeIsNoError() {
		assertThat(ServiceErrors.isError(message(null))).isFalse();
		assertThat(ServiceErrors.isError(message(new Headers().put("Nats-Service-Error", "text only")))).isFalse();
	}

	@Test
	void aCodeThatIsNotANumberReadsAsInternalError() {
		Message reply = message(new Headers().put("Nats-Service-Error-Code", "oops"));
		assertThat(ServiceErrors.code(reply)).isEqualTo(500);
		assertThat(ServiceErrors.code(message(new Headers().put("Nats-Service-Error-Code", " 503 ")))).isEqualTo(503);
	}

	@Test
	void aReplyWithACodeButNoTextHasEmptyText() {
		assertThat(ServiceErrors.text(message(new Headers().put("Nats-Service-Error-Code", "400")))).isEmpty();
	}

	@Test
	void missingOrBlankTextBecomesError() {
		assertThat(ServiceErrors.headerSafe(null)).isEqualTo("error");
		assertThat(ServiceErrors.headerSafe("")).isEqualTo("error");
		assertThat(ServiceErrors.headerSafe(" \n\t")).isEqualTo("error");
		assertThat(ServiceErrors.errorHeaders(500, null).getFirst("Nats-Service-Error")).isEqualTo("error");
	}

	@Test
	void lineBreaksAndTabsBecomeSpacesAndOtherCharactersQuestionMarks() {
		assertThat(ServiceErrors.headerSafe("line one\r\nline\ttwo")).isEqualTo("line one  line two");
		assertThat(ServiceErrors.headerSafe("caf\u00e9 \u0001\u007f")).isEqualTo("caf? ??");
	}

	@Test
	void printableAsciiIsKeptFromSpaceToTilde() {
		assertThat(ServiceErrors.headerSafe(" a~")).isEqualTo(" a~");
	}

	@Test
	void longTextIsCutTo1024Characters() {
		assertThat(ServiceErrors.headerSafe("x".repeat(1024))).hasSize(1024);
		assertThat(ServiceErrors.headerSafe("x".repeat(5000))).isEqualTo("x".repeat(1024));
	}

}
