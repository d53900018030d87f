package dev.natsbus;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Nats;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.messaging.Message;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Client and listener interceptors against a real server: a tenant header that the
 * caller's interceptor adds and the listener's checks, refusals on both sides, their
 * order, a logging context around the handler, and headers added to replies.
 */
class InterceptorTests {

	static final List<String> events = new CopyOnWriteArrayList<>();

	static final AtomicInteger handled = new AtomicInteger();

	private static NatsServer server;

	private static AnnotationConfigApplicationContext context;

	private static BusTemplate bus;

	@BeforeAll
	static void start() {
		server = NatsServer.builder().start();
		context = BusTestContext.start(server.url(), Interceptors.class, Handlers.class);
		bus = context.getBean(BusTemplate.class);
	}

	@AfterAll
	static void stop() {
		context.close();
		server.close();
	}

	@BeforeEach
	void reset() {
		// The interceptors' afterMessageHandled of the last test may still be running.
		await().atMost(Duration.ofSeconds(5))
			.until(() -> context.getBean(BusListenerRegistry.class)
				.getListenerContainers()
				.stream()
				.allMatch((container) -> container.getBusyWorkers() == 0));
		events.clear();
		handled.set(0);
	}

	@Test
	void tenantHeaderAddedByTheCallersInterceptorReachesTheHandler() {
		assertThat(bus.request("tenant.echo", "hello", String.class)).isEqualTo("acme:hello");
		assertThat(handled).hasValue(1);
	}

	@Test
	void listenerInterceptorRefusesAMessageWithoutTheHeaderWith401AndTheHandlerNeverRuns() throws Exception {
		try (Connection raw = Nats.connect(server.url())) {
			io.nats.client.Message reply = raw.request("tenant.echo", "hello".getBytes(StandardCharsets.UTF_8),
					Duration.ofSeconds(2));
			assertThat(reply.getHeaders().getFirst("Nats-Service-Error-Code")).isEqualTo("401");
			assertThat(reply.getHeaders().getFirst("Nats-Service-Error")).isEqualTo("X-Tenant header missing");
			// Error replies pass through beforeSendReply too.
			assertThat(reply.getHeaders().getFirst("X-Served-By")).isEqualTo("interceptor-tests");
		}
		assertThat(handled).hasValue(0);
		// Every reply passes every beforeSendReply; afterMessageHandled is for those
		// whose
		// beforeHandle returned, after the reply went out.
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(events).containsExactly("listener-outer before", "listener-tenant reply",
					"listener-outer reply", "listener-outer after"));
	}

	@Test
	void interceptorsRunInTheirOrderLikeLayersAroundTheCall() {
		bus.request("tenant.echo", "hello", String.class);
		// The listener's afterMessageHandled runs after its reply went out, alongside the
		// caller's postReceive: each side's order is fixed, not how the two interleave.
		await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 11);
		assertThat(events.stream().filter((event) -> event.startsWith("client"))).containsExactly(
				"client-tenant preSend", "client-probe preSend", "client-probe postReceive",
				"client-tenant postReceive");
		assertThat(events.stream().filter((event) -> !event.startsWith("client"))).containsExactly(
				"listener-outer before", "listener-tenant before", "handler", "listener-tenant reply",
				"listener-outer reply", "listener-tenant after", "listener-outer after");
		assertThat(events.subList(0, 2)).containsExactly("client-tenant preSend", "client-probe preSend");
	}

	@Test
	void listenerInterceptorSetsAndClearsTheLoggingContextAroundTheHandler() {
		assertThat(bus.request("tenant.mdc", "x", String.class)).isEqualTo("mdc tenant=acme");
		// The outer interceptor sees no tenant before the inner one set it, nor after it
		// cleared it.
		await().atMost(Duration.ofSeconds(5))
			.untilAsserted(() -> assertThat(Probe.mdcSeen).containsExactly("before:null", "after:null"));
	}

	@Test
	void replyHeadersAddedByAListenerInterceptorReachTheCaller() {
		Message<String> reply = bus.requestMessage("tenant.echo", MessageBuilder.withPayload("hi").build(),
				String.class);
		assertThat(reply.getPayload()).isEqualTo("acme:hi");
		assertThat(reply.getHeaders()).containsEntry("X-Served-By", "interceptor-tests")
			.containsEntry("X-Tenant-Seen", "acme");
	}

	@Test
	void asynchronousRepliesPassThroughTheReplyInterceptors() {
		Message<String> reply = bus.requestMessage("tenant.later", MessageBuilder.withPayload("hi").build(),
				String.class);
		assertThat(reply.getPayload()).isEqualTo("later:hi");
		assertThat(reply.getHeaders()).containsEntry("X-Served-By", "interceptor-tests");
	}

	@Test
	void clientInterceptorSeesTheReplyBeforeItIsRead() {
		bus.request("tenant.echo", "hello", String.class);
		assertThat(ClientProbe.lastReplyHeader).isEqualTo("interceptor-tests");
	}

	@Test
	void clientInterceptorRefusesACallWithATypedExceptionAndNothingIsSent() {
		assertThatExceptionOfType(TenantRefusedException.class)
			.isThrownBy(() -> bus.request("tenant.echo", "forbidden", String.class))
			.withMessage("tenant acme may not send 'forbidden'");
		assertThatExceptionOfType(TenantRefusedException.class).isThrownBy(() -> bus.send("tenant.echo", "forbidden"));
		CompletableFuture<String> async = bus.requestAsync("tenant.echo", "forbidden", String.class);
		assertThatThrownBy(() -> async.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
			.cause()
			.isInstanceOf(TenantRefusedException.class);
		assertThat(bus.request("tenant.echo", "allowed", String.class)).isEqualTo("acme:allowed");
		assertThat(handled).as("only the allowed request reached the handler").hasValue(1);
	}

	@Test
	void replyInterceptorThatThrowsTurnsTheReplyIntoAFailure() {
		assertThatExceptionOfType(BusRemoteException.class)
			.isThrownBy(() -> bus.request("tenant.echo", "break-reply", String.class))
			.satisfies((ex) -> {
				assertThat(ex.getErrorCode()).isEqualTo(500);
				assertThat(ex.getRemoteMessage()).matches("Listener 'interceptorTests.Handlers.echo' failed .*");
			});
	}

	@Test
	void templateListsItsInterceptorsInOrder() {
		assertThat(bus.getInterceptors()).hasSize(2).first().isInstanceOf(ClientTenant.class);
	}

	static class TenantRefusedException extends BusException {

		TenantRefusedException(String message) {
			super(message);
		}

	}

	/** Caller side, first: adds the tenant, refuses what the tenant may not send. */
	static class ClientTenant implements BusClientInterceptor {

		@Override
		public Message<byte[]> preSend(String subject, Message<byte[]> message) {
			events.add("client-tenant preSend");
			if (new String(message.getPayload(), StandardCharsets.UTF_8).equals("forbidden")) {
				throw new TenantRefusedException("tenant acme may not send 'forbidden'");
			}
			return MessageBuilder.fromMessage(message).setHeader("X-Tenant", "acme").build();
		}

		@Override
		public void postReceive(String subject, Message<byte[]> request, Message<byte[]> reply) {
			events.add("client-tenant postReceive");
		}

	}

	/** Caller side, second: sees the message with the tenant and the reply first. */
	static class ClientProbe implements BusClientInterceptor {

		static volatile @Nullable Object lastReplyHeader;

		@Override
		public Message<byte[]> preSend(String subject, Message<byte[]> message) {
			events.add("client-probe preSend");
			assertThat(message.getHeaders()).containsEntry("X-Tenant", "acme");
			return message;
		}

		@Override
		public void postReceive(String subject, Message<byte[]> request, Message<byte[]> reply) {
			events.add("client-probe postReceive");
			assertThat(request.getHeaders()).containsEntry("X-Tenant", "acme");
			lastReplyHeader = reply.getHeaders().get("X-Served-By");
		}

	}

	/** Listener side, outermost: records what it sees of the logging context. */
	static class Probe implements BusListenerInterceptor {

		static final List<String> mdcSeen = new CopyOnWriteArrayList<>();

		@Override
		public void beforeHandle(Message<byte[]> message) {
			events.add("listener-outer before");
			mdcSeen.clear();
			mdcSeen.add("before:" + MDC.get("tenant"));
		}

		@Override
		public Message<byte[]> beforeSendReply(Message<byte[]> request, Message<byte[]> reply) {
			events.add("listener-outer reply");
			return MessageBuilder.fromMessage(reply).setHeader("X-Served-By", "interceptor-tests").build();
		}

		@Override
		public void afterMessageHandled(Message<byte[]> message) {
			events.add("listener-outer after");
			mdcSeen.add("after:" + MDC.get("tenant"));
		}

	}

	/** Listener side, inner: requires the tenant and puts it in the logging context. */
	static class TenantGuard implements BusListenerInterceptor {

		@Override
		public void beforeHandle(Message<byte[]> message) {
			Object tenant = message.getHeaders().get("X-Tenant");
			if (tenant == null) {
				throw new BusServiceException(401, "X-Tenant header missing");
			}
			events.add("listener-tenant before");
			MDC.put("tenant", tenant.toString());
		}

		@Override
		public Message<byte[]> beforeSendReply(Message<byte[]> request, Message<byte[]> reply) {
			events.add("listener-tenant reply");
			if (new String(request.getPayload(), StandardCharsets.UTF_8).equals("break-reply")
					&& !reply.getHeaders().containsKey("Nats-Service-Error-Code")) {
				throw new IllegalStateException("reply refused");
			}
			return MessageBuilder.fromMessage(reply)
				.setHeader("X-Tenant-Seen", request.getHeaders().get("X-Tenant"))
				.build();
		}

		@Override
		public void afterMessageHandled(Message<byte[]> message) {
			events.add("listener-tenant after");
			MDC.remove("tenant");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Interceptors {

		@Bean
		static BeanPostProcessor interceptors() {
			// In code, the order of the list (with Boot, the beans' @Order).
			return BusTestContext.configuring(
					(factory) -> factory.setInterceptors(List.of(new Probe(), new TenantGuard())),
					(template) -> template.setInterceptors(List.of(new ClientTenant(), new ClientProbe())));
		}

	}

	@Component
	static class Handlers {

		@BusListener("tenant.echo")
		String echo(String body, @Header("X-Tenant") String tenant) {
			events.add("handler");
			handled.incrementAndGet();
			return tenant + ":" + body;
		}

		@BusListener("tenant.mdc")
		String mdc(String body) {
			return "mdc tenant=" + MDC.get("tenant");
		}

		@BusListener(subject = "tenant.later", concurrency = "2")
		CompletableFuture<String> later(String body) {
			return CompletableFuture.supplyAsync(() -> "later:" + body);
		}

	}

}
