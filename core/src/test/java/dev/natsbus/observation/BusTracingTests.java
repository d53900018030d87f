package dev.natsbus.observation;

import java.util.Map;

import dev.natsbus.BusTestContext;

import java.time.Duration;
import java.util.List;

import brave.Span;
import brave.Tracing;
import brave.handler.MutableSpan;
import brave.propagation.ThreadLocalCurrentTraceContext;
import brave.sampler.Sampler;
import brave.test.TestSpanHandler;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.listener.BusListenerRegistry;
import dev.natsbus.test.NatsServer;
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
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Trace context travels in the NATS headers (W3C {@code traceparent}): the listener's
 * span is a child of the requester's, through Micrometer Tracing's Brave bridge.
 */
@Timeout(30)
class BusTracingTests {

	private static final TestSpanHandler spans = new TestSpanHandler();

	private static Tracing tracing;

	private static NatsServer server;

	private static AnnotationConfigApplicationContext context;

	private static BusTemplate bus;

	@BeforeAll
	static void start() {
		ThreadLocalCurrentTraceContext current = ThreadLocalCurrentTraceContext.newBuilder().build();
		tracing = Tracing.newBuilder()
			.localServiceName("tracing-test")
			.currentTraceContext(current)
			.propagationFactory(new W3CPropagation())
			.traceId128Bit(true)
			.sampler(Sampler.ALWAYS_SAMPLE)
			.addSpanHandler(spans)
			.build();
		Tracer tracer = new BraveTracer(tracing.tracer(), new BraveCurrentTraceContext(current),
				new BraveBaggageManager());
		Propagator propagator = new BravePropagator(tracing);
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig()
			.observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
					new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
					new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
					new DefaultTracingObservationHandler(tracer)));
		server = NatsServer.builder().start();
		context = BusTestContext.start(server.url(), "tracing-test", Map.of(), ObservedHandlers.class);
		bus = context.getBean(BusTemplate.class);
		bus.setObservationRegistry(registry);
		context.getBean(BusListenerRegistry.class).getContainerFactory().setObservationRegistry(registry);
	}

	@AfterAll
	static void stop() {
		context.close();
		server.close();
		tracing.close();
	}

	@BeforeEach
	void clear() {
		spans.clear();
	}

	@Test
	void listenerSpanIsAChildOfTheRequesterSpan() {
		String traceparent = bus.request("obs.traceparent", "", String.class);
		await().atMost(Duration.ofSeconds(5)).until(() -> spans.spans().size() == 2);
		MutableSpan client = span(Span.Kind.CLIENT);
		MutableSpan server = span(Span.Kind.SERVER);
		assertThat(client.name()).isEqualTo("obs.traceparent request");
		assertThat(server.name()).isEqualTo("obs.traceparent process");
		assertThat(server.traceId()).isEqualTo(client.traceId());
		assertThat(server.parentId()).isEqualTo(client.id());
		assertThat(server.tags()).containsEntry("natsbus.listener.id", "traceparent")
			.containsEntry("natsbus.outcome", "success");
		assertThat(client.tags()).containsEntry("natsbus.subject", "obs.traceparent");
		assertThat(client.remoteServiceName()).isEqualTo("nats");
		// What the listener saw on the wire: version 00, the trace id, the requester
		// span, sampled.
		assertThat(traceparent).isEqualTo("00-" + client.traceId() + "-" + client.id() + "-01");
	}

	@Test
	void sentMessageContinuesTheTrace() {
		bus.send("obs.events", "traced");
		await().atMost(Duration.ofSeconds(5)).until(() -> spans.spans().size() == 2);
		MutableSpan producer = span(Span.Kind.PRODUCER);
		MutableSpan consumer = span(Span.Kind.CONSUMER);
		assertThat(consumer.traceId()).isEqualTo(producer.traceId());
		assertThat(consumer.parentId()).isEqualTo(producer.id());
	}

	@Test
	void nestedRequestStaysInTheTrace() {
		assertThat(bus.request("obs.forward", "eve", String.class)).isEqualTo("forwarded hello eve");
		await().atMost(Duration.ofSeconds(5)).until(() -> spans.spans().size() == 4);
		List<MutableSpan> all = spans.spans();
		assertThat(all).extracting(MutableSpan::traceId).containsOnly(all.get(0).traceId());
		MutableSpan forwarder = all.stream()
			.filter(span -> "forwarder".equals(span.tag("natsbus.listener.id")))
			.findFirst()
			.orElseThrow();
		MutableSpan nested = all.stream()
			.filter(span -> span.kind() == Span.Kind.CLIENT && "obs.greet.nested".equals(span.tag("natsbus.subject")))
			.findFirst()
			.orElseThrow();
		assertThat(nested.parentId()).isEqualTo(forwarder.id());
	}

	private static MutableSpan span(Span.Kind kind) {
		return spans.spans().stream().filter(span -> span.kind() == kind).findFirst().orElseThrow();
	}

}
