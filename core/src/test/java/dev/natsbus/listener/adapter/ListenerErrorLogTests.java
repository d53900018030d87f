package dev.natsbus.listener.adapter;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.natsbus.BusListener;
import dev.natsbus.BusRemoteException;
import dev.natsbus.BusTestContext;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.stereotype.Component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The README's rate limit of listener failure logs: at most one line per 10 seconds per
 * kind of failure and listener, the next one with the count of those left out, and a
 * different kind logged at once.
 */
@Timeout(60)
@ExtendWith(OutputCaptureExtension.class)
class ListenerErrorLogTests {

	private static final Pattern HELD_BACK = Pattern.compile("\\((\\d+) more like it since the last report\\)");

	private static NatsServer server;

	private static AnnotationConfigApplicationContext context;

	private static BusTemplate bus;

	@BeforeAll
	static void start() {
		server = NatsServer.builder().start();
		context = BusTestContext.start(server.url(), Handlers.class);
		bus = context.getBean(BusTemplate.class);
	}

	@AfterAll
	static void stop() {
		context.close();
		server.close();
	}

	@Test
	void oneLinePerKindEveryTenSecondsThenTheCountOfThoseLeftOut(CapturedOutput output) {
		int flood = 5;
		// Before the first failure, so that the window of the first line starts after it.
		long start = System.nanoTime();
		for (int i = 0; i < flood; i++) {
			fail("state");
		}
		// Another kind of exception is a line of its own, within the same 10 s.
		fail("argument");
		await().atMost(Duration.ofSeconds(5)).until(() -> failedLines(output, "IllegalArgumentException").size() == 1);
		assertThat(failedLines(output, "IllegalStateException")).hasSize(1);
		assertThat(failedLines(output, "IllegalStateException").get(0)).doesNotContain("more like it");
		int[] sent = { flood };
		// Keep failing until the window has passed and a second line appears.
		await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
			fail("state");
			sent[0]++;
			return failedLines(output, "IllegalStateException").size() == 2;
		});
		long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
		assertThat(elapsedMillis).as("the next line waits out the 10 s").isGreaterThanOrEqualTo(10_000);
		Matcher matcher = HELD_BACK.matcher(failedLines(output, "IllegalStateException").get(1));
		assertThat(matcher.find()).isTrue();
		// Every failure but the two logged ones was left out, and counted.
		assertThat(Long.parseLong(matcher.group(1))).isEqualTo(sent[0] - 2);
	}

	@Test
	void unreadableRequestsAreRateLimitedOnTheirOwn(CapturedOutput output) {
		for (int i = 0; i < 4; i++) {
			assertThatExceptionOfType(BusRemoteException.class)
				.isThrownBy(() -> bus.request("log.quote", "{not json", Quote.class))
				.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo(400));
		}
		await().atMost(Duration.ofSeconds(5))
			.until(() -> lines(output, "could not read a request on 'log.quote'").size() == 1);
		assertThat(lines(output, "could not read a request on 'log.quote'")).singleElement()
			.satisfies((line) -> assertThat(line).contains("WARN"));
	}

	private static void fail(String kind) {
		assertThatExceptionOfType(BusRemoteException.class)
			.isThrownBy(() -> bus.request("log.fail", kind, String.class))
			.satisfies((ex) -> assertThat(ex.getErrorCode()).isEqualTo(500));
	}

	/**
	 * The ERROR lines of the failing listener for {@code exception}, the class name that
	 * follows each on the first line of its stack trace.
	 */
	private static List<String> failedLines(CapturedOutput output, String exception) {
		List<String> all = output.getAll().lines().toList();
		List<String> found = new java.util.ArrayList<>();
		for (int i = 0; i + 1 < all.size(); i++) {
			String line = all.get(i);
			if (line.contains("ERROR") && line.contains("failed on a message on 'log.fail'")
					&& all.get(i + 1).startsWith("java.lang." + exception)) {
				found.add(line);
			}
		}
		return found;
	}

	private static List<String> lines(CapturedOutput output, String text) {
		return output.getAll()
			.lines()
			.filter((line) -> line.contains("ListenerErrorLog") && line.contains(text))
			.toList();
	}

	record Quote(String symbol, double price) {
	}

	@Component
	static class Handlers {

		@BusListener("log.fail")
		String fail(String kind) {
			if (kind.equals("argument")) {
				throw new IllegalArgumentException(kind);
			}
			throw new IllegalStateException(kind);
		}

		@BusListener("log.quote")
		String quote(Quote quote) {
			return quote.symbol();
		}

	}

}
