package dev.natsbus.autoconfigure.security;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.natsbus.BusPermissionException;
import dev.natsbus.autoconfigure.NatsBusAutoConfiguration;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's error model for a denied publish through {@code requestAsync}: the future
 * fails with {@link BusPermissionException}, completed on the callback executor (the
 * server's refusal arrives on a jnats thread).
 */
@Timeout(60)
class AsyncPermissionClaimsTests {

	private static NatsServer server;

	@BeforeAll
	static void startServer() {
		server = NatsServer.builder().config("""
				authorization {
				  users: [ { user: app, password: app-pa55, permissions: { publish: { deny: ["denied.>"] } } } ]
				}
				""").start();
	}

	@AfterAll
	static void stopServer() {
		server.close();
	}

	@Test
	void aDeniedAsyncRequestFailsThroughTheFutureOnTheCallbackExecutor() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(NatsBusAutoConfiguration.class))
			.withPropertyValues("natsbus.servers=" + server.url(), "natsbus.username=app", "natsbus.password=app-pa55")
			.run((context) -> {
				BusTemplate bus = context.getBean(BusTemplate.class);
				String testThread = Thread.currentThread().getName();
				List<String> threads = new ArrayList<>();
				for (int i = 0; i < 5; i++) {
					CompletableFuture<String> future = bus.requestAsync("denied.quote." + i, "x", String.class,
							Duration.ofSeconds(10));
					// Runs where the future completes, or here if the refusal was quicker
					// than this line.
					CompletableFuture<String> thread = future.handle((reply, ex) -> Thread.currentThread().getName());
					threads.add(thread.get(10, TimeUnit.SECONDS));
					assertThat(future).failsWithin(Duration.ofSeconds(1))
						.withThrowableOfType(ExecutionException.class)
						.havingCause()
						.isInstanceOf(BusPermissionException.class)
						.withMessageContaining("Permission denied to publish to 'denied.quote." + i + "'");
				}
				assertThat(threads).allSatisfy((name) -> assertThat(name).satisfiesAnyOf(
						(callback) -> assertThat(callback).startsWith("natsbus-callback-"),
						(caller) -> assertThat(caller).isEqualTo(testThread)));
				assertThat(threads).anySatisfy((name) -> assertThat(name).startsWith("natsbus-callback-"));
			});
	}

}
