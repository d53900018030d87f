package dev.natsbus.observation;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import brave.Span;
import brave.Tracing;
import brave.context.slf4j.MDCScopeDecorator;
import brave.handler.MutableSpan;
import brave.propagation.ThreadLocalCurrentTraceContext;
import brave.sampler.Sampler;
import brave.test.TestSpanHandler;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.natsbus.BusListener;
import dev.natsbus.BusTestContext;
import dev.natsbus.RequestMany;
import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.conversion.JsonPayloadConverter;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.support.CallerContexts;
import dev.natsbus.support.DefaultBusTaskExecutors;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.test.NatsServer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveBaggageManager;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BravePropagator;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.brave.bridge.W3CPropagation;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import io.micrometer.tracing.propagation.Propagator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.stereotype.Component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Context propagation both ways. Caller side: with a context snapshot factory
 * ({@link CallerContexts#withMdc()}), the callback thread that completes a
 * {@code requestAsync} runs its dependent stages with the caller's MDC entries and its
 * current observation and span. Listener side: the invocation runs in the span continued
 * from the message's {@code traceparent} header, and a log line there carries that trace
 * in its MDC (Brave's MDC scope decorator, as Spring Boot sets it up).
 */
@Timeout(60)
class ContextPropagationTests {

	private static final String HANDLER_LOGGER = "dev.natsbus.observation.context-test";

	private static final TestSpanHandler spans = new TestSpanHandler();

	private static final ListAppender<ILoggingEvent> logged = new ListAppender<>();

	private static Tracing tracing;

	private static Tracer tracer;

	private static ObservationRegistry registry;

	private static NatsServer server;

	private static AnnotationConfigApplicationContext context;

	private static BusTemplate propagating;

	private static BusTemplate plain;

	@BeforeAll
	static void start() {
		ThreadLocalCurrentTraceContext current = ThreadLocalCurrentTraceContext.newBuilder()
			.addScopeDecorator(MDCScopeDecorator.get())
			.build();
		tracing = Tracing.newBuilder()
			.localServiceName("context-test")
			.currentTraceContext(current)
			.propagationFactory(new W3CPropagation())
			.traceId128Bit(true)
			.sampler(Sampler.ALWAYS_SAMPLE)
			.addSpanHandler(spans)
			.build();
		tracer = new BraveTracer(tracing.tracer(), new BraveCurrentTraceContext(current), new BraveBaggageManager());
		Propagator propagator = new BravePropagator(tracing);
		registry = ObservationRegistry.create();
		registry.observationConfig()
			.observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
					new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
					new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
					new DefaultTracingObservationHandler(tracer)));
		logged.start();
		((Logger) LoggerFactory.getLogger(HANDLER_LOGGER)).addAppender(logged);
		server = NatsServer.builder().start();
		context = BusTestContext.start(server.url(), "context-test", Map.of(), ContextHandlers.class);
		context.getBean(BusListenerRegistry.class).getContainerFactory().setObservationRegistry(registry);
		NatsConnectionPool pool = context.getBean(NatsConnectionPool.class);
		DefaultBusTaskExecutors executors = new DefaultBusTaskExecutors();
		executors.setContextCapture(CallerContexts.withMdc());
		propagating = template(pool, executors);
		plain = template(pool, new DefaultBusTaskExecutors());
	}

	private static BusTemplate template(NatsConnectionPool pool, DefaultBusTaskExecutors executors) {
		BusTemplate template = new BusTemplate(pool, new JsonPayloadConverter(), executors);
		template.setObservationRegistry(registry);
		template.start();
		return template;
	}

	@AfterAll
	static void stop() {
		propagating.destroy();
		plain.destroy();
		context.close();
		server.close();
		tracing.close();
		((Logger) LoggerFactory.getLogger(HANDLER_LOGGER)).detachAppender(logged);
	}

	@BeforeEach
	void clear() {
		spans.clear();
		logged.list.clear();
		MDC.clear();
	}

	@Test
	void requestAsyncCallbackRunsWithTheCallersMdcObservationAndSpan() throws Exception {
		ContextHandlers handlers = context.getBean(ContextHandlers.class);
		CountDownLatch gate = handlers.newGate();
		Observation caller = Observation.start("caller", registry);
		CompletableFuture<String> seen;
		String callerTrace;
		String callerSpan;
		MDC.put("requestId", "r-42");
		try (Observation.Scope scope = caller.openScope()) {
			callerTrace = tracer.currentSpan().context().traceId();
			callerSpan = tracer.currentSpan().context().spanId();
			// The reply waits until the stage is attached: it runs on the callback
			// thread.
			seen = propagating.requestAsync("ctx.gated", "x", String.class, Duration.ofSeconds(10))
				.thenApply((reply) -> describeContext(caller));
		}
		finally {
			MDC.remove("requestId");
		}
		gate.countDown();
		assertThat(seen.get(10, TimeUnit.SECONDS))
			.isEqualTo("natsbus-callback r-42 " + callerTrace + " " + callerSpan + " caller=current");
		caller.stop();
	}

	@Test
	void requestManyAsyncCallbackRunsWithTheCallersMdc() throws Exception {
		CountDownLatch gate = context.getBean(ContextHandlers.class).newGate();
		MDC.put("requestId", "r-many");
		CompletableFuture<String> seen = propagating
			.requestManyAsync("ctx.gated", "x", String.class, RequestMany.maxReplies(1))
			.thenApply((replies) -> MDC.get("requestId") + " " + replies.values());
		MDC.remove("requestId");
		gate.countDown();
		assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("r-many [open]");
	}

	@Test
	void callbackThreadsKeepNoCallersContextAfterwards() throws Exception {
		CountDownLatch first = context.getBean(ContextHandlers.class).newGate();
		MDC.put("requestId", "r-1");
		CompletableFuture<String> one = propagating.requestAsync("ctx.gated", "x", String.class)
			.thenApply((reply) -> MDC.get("requestId"));
		MDC.clear();
		first.countDown();
		assertThat(one.get(10, TimeUnit.SECONDS)).isEqualTo("r-1");
		CountDownLatch second = context.getBean(ContextHandlers.class).newGate();
		CompletableFuture<String> two = propagating.requestAsync("ctx.gated", "x", String.class)
			.thenApply((reply) -> String.valueOf(MDC.get("requestId")) + " " + tracer.currentSpan());
		second.countDown();
		assertThat(two.get(10, TimeUnit.SECONDS)).isEqualTo("null null");
	}

	@Test
	void withoutASnapshotFactoryTheCallbackHasNoCallersContext() throws Exception {
		CountDownLatch gate = context.getBean(ContextHandlers.class).newGate();
		MDC.put("requestId", "r-7");
		CompletableFuture<String> seen = plain.requestAsync("ctx.gated", "x", String.class)
			.thenApply((reply) -> Thread.currentThread().getName().startsWith("natsbus-callback") + " "
					+ MDC.get("requestId"));
		MDC.remove("requestId");
		gate.countDown();
		assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("true null");
	}

	@Test
	void listenerRunsInTheTraceFromTheHeadersAndLogsItInTheMdc() {
		String seenByListener = propagating.request("ctx.traced", "x", String.class);
		await().atMost(Duration.ofSeconds(5)).until(() -> spans.spans().size() == 2);
		MutableSpan client = span(Span.Kind.CLIENT);
		MutableSpan listener = span(Span.Kind.SERVER);
		assertThat(listener.traceId()).isEqualTo(client.traceId());
		assertThat(seenByListener).isEqualTo(client.traceId() + " " + listener.id());
		List<ILoggingEvent> lines = logged.list.stream()
			.filter((event) -> event.getFormattedMessage().equals("handling ctx.traced"))
			.toList();
		assertThat(lines).hasSize(1);
		assertThat(lines.get(0).getMDCPropertyMap()).containsEntry("traceId", client.traceId())
			.containsEntry("spanId", listener.id());
	}

	private static String describeContext(Observation caller) {
		String thread = Thread.currentThread().getName();
		io.micrometer.tracing.Span span = tracer.currentSpan();
		return (thread.startsWith("natsbus-callback") ? "natsbus-callback" : thread) + " " + MDC.get("requestId") + " "
				+ MDC.get("traceId") + " " + ((span != null) ? span.context().spanId() : "no-span") + " caller="
				+ ((registry.getCurrentObservation() == caller) ? "current" : "not current");
	}

	private static MutableSpan span(Span.Kind kind) {
		return spans.spans().stream().filter((span) -> span.kind() == kind).findFirst().orElseThrow();
	}

	@Component
	static class ContextHandlers {

		private static final org.slf4j.Logger logger = LoggerFactory.getLogger(HANDLER_LOGGER);

		private final AtomicReference<CountDownLatch> gate = new AtomicReference<>(new CountDownLatch(0));

		CountDownLatch newGate() {
			CountDownLatch latch = new CountDownLatch(1);
			this.gate.set(latch);
			return latch;
		}

		@BusListener(subject = "ctx.gated", concurrency = "4")
		String gated(String ignored) throws InterruptedException {
			this.gate.get().await(10, TimeUnit.SECONDS);
			return "open";
		}

		@BusListener(subject = "ctx.traced")
		String traced(String ignored) {
			logger.info("handling ctx.traced");
			return MDC.get("traceId") + " " + MDC.get("spanId");
		}

	}

}
