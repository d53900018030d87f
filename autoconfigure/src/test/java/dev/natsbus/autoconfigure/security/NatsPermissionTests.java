package dev.natsbus.autoconfigure.security;

import dev.natsbus.protocol.PermissionViolation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import dev.natsbus.BusNoRespondersException;
import dev.natsbus.RequestMany;

import dev.natsbus.BusTimeoutException;
import dev.natsbus.BusPermissionException;
import dev.natsbus.BusListener;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.autoconfigure.NatsBusAutoConfiguration;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.autoconfigure.diagnostics.FailureReports;
import dev.natsbus.test.NatsServer;
import io.nats.client.Connection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Subjects the server's permissions deny, and accounts confined to their own inbox
 * prefix.
 */
@Timeout(60)
@ExtendWith(OutputCaptureExtension.class)
class NatsPermissionTests {

	private static NatsServer server;

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(NatsBusAutoConfiguration.class))
		.withPropertyValues("natsbus.request.timeout=300ms");

	@BeforeAll
	static void startServer() {
		server = NatsServer.builder().config("""
				authorization {
				  users: [
				    { user: app, password: app-pa55, permissions: {
				        publish: { deny: ["denied.>"] }, subscribe: { deny: ["forbidden.>"] } } }
				    { user: boxed, password: boxed-pa55, permissions: {
				        publish: { allow: ["boxed.>", "_BOXED.>"] }, subscribe: { allow: ["boxed.>", "_BOXED.>"] } } }
				  ]
				}
				""").start();
	}

	@AfterAll
	static void stopServer() {
		if (server != null) {
			server.close();
		}
	}

	private ApplicationContextRunner as(String user) {
		return this.runner.withPropertyValues("natsbus.servers=" + server.url(), "natsbus.username=" + user,
				"natsbus.password=" + user + "-pa55");
	}

	@Test
	void listenerOnADeniedSubjectFailsStartUpNamingIt() {
		as("app").withUserConfiguration(ForbiddenListener.class)
			.run(context -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("NATS denied permission to subscribe")
				.hasMessageContaining("listener 'forbidden' on 'forbidden.orders'")
				.hasMessageNotContaining("allowed.orders"));
		as("app").withUserConfiguration(ForbiddenListener.class)
			.run(context -> assertThat(FailureReports.analyze(context.getStartupFailure()).getAction())
				.contains("Grant the NATS user of this application subscribe permission on these subjects"));
	}

	@Test
	void publishToADeniedSubjectIsRecordedAndLoggedWithTheSubject(CapturedOutput output) {
		as("app").run(context -> {
			BusTemplate template = context.getBean(BusTemplate.class);
			Connection connection = context.getBean(NatsConnectionPool.class).connection(0).orElseThrow();
			NatsPermissionViolations violations = context.getBean(NatsPermissionViolations.class);
			template.send("denied.audit", "x");
			// NATS does not acknowledge publishes: the request learns of the refusal when
			// its
			// timeout ends, and reports it as what it is, not as a timeout.
			assertThatExceptionOfType(BusPermissionException.class)
				.isThrownBy(() -> template.request("denied.quote", "x", String.class, Duration.ofMillis(500)))
				.withMessageContaining("Permission denied to publish to 'denied.quote'");
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				assertThat(violations.find(connection, PermissionViolation.Operation.PUBLISH, "denied.audit"))
					.isPresent();
				assertThat(violations.find(connection, PermissionViolation.Operation.PUBLISH, "denied.quote"))
					.isPresent();
			});
			assertThat(output.getAll()).contains("permission denied to publish to 'denied.quote'")
				.contains("permission denied to publish to 'denied.audit'");
		});
	}

	@Test
	void aRequestToADeniedSubjectFailsAsSoonAsTheServerRefusesIt() {
		as("app").run(context -> {
			BusTemplate template = context.getBean(BusTemplate.class);
			// Warm the path so that the first request's connection set-up is not
			// measured.
			assertThatExceptionOfType(BusPermissionException.class)
				.isThrownBy(() -> template.request("denied.warm", "x", String.class, Duration.ofSeconds(5)));
			long start = System.nanoTime();
			assertThatExceptionOfType(BusPermissionException.class)
				.isThrownBy(() -> template.request("denied.quote", "x", String.class, Duration.ofSeconds(5)))
				.withMessageContaining("Permission denied to publish to 'denied.quote'");
			long syncMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
			start = System.nanoTime();
			CompletableFuture<String> async = template.requestAsync("denied.async", "x", String.class,
					Duration.ofSeconds(5));
			assertThatThrownBy(() -> async.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(BusPermissionException.class);
			long asyncMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
			start = System.nanoTime();
			assertThatExceptionOfType(BusPermissionException.class).isThrownBy(() -> template.requestMany("denied.many",
					"x", String.class, RequestMany.maxWait(Duration.ofSeconds(5))));
			long manyMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
			// A round trip, not the 5 s timeout: the bound leaves room for a loaded
			// machine.
			assertThat(List.of(syncMillis, asyncMillis, manyMillis))
				.allSatisfy((millis) -> assertThat(millis).as("time to learn of the refusal").isLessThan(2_000));
			// A send cannot learn it, but it is counted.
			long deniedBefore = template.getPublishDenials();
			template.send("denied.audit", "x");
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(template.getPublishDenials()).isEqualTo(deniedBefore + 1));
			// A subject it may publish to is not touched by the refusals of others.
			assertThatExceptionOfType(BusNoRespondersException.class)
				.isThrownBy(() -> template.request("allowed.nobody", "x", String.class, Duration.ofSeconds(5)));
		});
	}

	@Test
	void inboxPrefixLetsAConfinedAccountGetReplies() {
		as("boxed").withUserConfiguration(BoxedListener.class)
			.withPropertyValues("natsbus.inbox-prefix=_BOXED")
			.run(context -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(BusTemplate.class).request("boxed.echo", "hi", String.class))
					.isEqualTo("boxed:hi");
			});
	}

	@Test
	void deniedInboxIsLoggedWithTheInboxPrefixHint(CapturedOutput output) {
		as("boxed").withUserConfiguration(BoxedListener.class).run(context -> {
			assertThat(context).hasNotFailed();
			// The request is sent and handled, but the server may not deliver the reply
			// to
			// an inbox the user cannot subscribe to: the caller waits out its timeout.
			assertThatExceptionOfType(BusTimeoutException.class)
				.isThrownBy(() -> context.getBean(BusTemplate.class)
					.request("boxed.echo", "hi", String.class, Duration.ofMillis(500)))
				.withMessageContaining("boxed.echo");
			await().atMost(Duration.ofSeconds(5))
				.untilAsserted(() -> assertThat(output.getAll()).contains("permission denied to subscribe to '_INBOX.")
					.contains("natsbus.inbox-prefix"));
		});
	}

	static class ForbiddenListener {

		@BusListener(subject = "allowed.orders", id = "allowed")
		String allowed(String text) {
			return text;
		}

		@BusListener(subject = "forbidden.orders", id = "forbidden")
		String forbidden(String text) {
			return text;
		}

	}

	static class BoxedListener {

		@BusListener(subject = "boxed.echo", id = "boxed")
		String echo(String text) {
			return "boxed:" + text;
		}

	}

}
