package dev.natsbus.autoconfigure.observation;

import java.time.Duration;

import brave.Span;
import brave.Tracing;
import brave.handler.MutableSpan;
import brave.propagation.ThreadLocalCurrentTraceContext;
import brave.sampler.Sampler;
import brave.test.TestSpanHandler;
import dev.natsbus.template.BusTemplate;
import dev.natsbus.autoconfigure.NatsBusAutoConfiguration;
import dev.natsbus.test.NatsServerExtension;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two applications, each with its own tracer and span reporter: the trace of a request in
 * one continues in the listener of the other, through the {@code traceparent} header.
 */
@Timeout(60)
class NatsBusTracingAcrossApplicationsTests {

	@RegisterExtension
	static final NatsServerExtension nats = NatsServerExtension.server();

	@Test
	void listenerSpanOfTheOtherApplicationJoinsTheRequestersTrace() {
		TestSpanHandler requesterSpans = new TestSpanHandler();
		TestSpanHandler responderSpans = new TestSpanHandler();
		try (Tracing requesterTracing = tracing("requester", requesterSpans);
				Tracing responderTracing = tracing("responder", responderSpans)) {
			application("requester", requesterTracing).run(requester -> application("responder", responderTracing)
				.withUserConfiguration(GreetingListener.class)
				.run(responder -> {
					BusTemplate bus = requester.getBean(BusTemplate.class);
					assertThat(bus.request("greet.ivy", "ivy", String.class)).isEqualTo("hello ivy");
					await().atMost(Duration.ofSeconds(5)).until(() -> responderSpans.spans().size() == 1);
					assertThat(requesterSpans.spans()).hasSize(1);
					MutableSpan client = requesterSpans.get(0);
					MutableSpan server = responderSpans.get(0);
					assertThat(client.kind()).isEqualTo(Span.Kind.CLIENT);
					assertThat(client.localServiceName()).isEqualTo("requester");
					assertThat(client.name()).isEqualTo("greet.ivy request");
					assertThat(server.kind()).isEqualTo(Span.Kind.SERVER);
					assertThat(server.localServiceName()).isEqualTo("responder");
					assertThat(server.name()).isEqualTo("greet.* process");
					assertThat(server.traceId()).isEqualTo(client.traceId());
					assertThat(server.parentId()).isEqualTo(client.id());
					assertThat(server.tags()).containsEntry("natsbus.listener.id", "greeter")
						.containsEntry("natsbus.message.subject", "greet.ivy");
				}));
		}
	}

	private static ApplicationContextRunner application(String name, Tracing tracing) {
		return new ApplicationContextRunner()
			.withConfiguration(
					AutoConfigurations.of(NatsBusAutoConfiguration.class, NatsBusObservationAutoConfiguration.class))
			.withPropertyValues("natsbus.servers=" + nats.url(), "natsbus.connection-name=" + name)
			.withBean(ObservationRegistry.class, () -> observationRegistry(tracing));
	}

	private static Tracing tracing(String serviceName, TestSpanHandler spans) {
		return Tracing.newBuilder()
			.localServiceName(serviceName)
			.currentTraceContext(ThreadLocalCurrentTraceContext.newBuilder().build())
			.propagationFactory(new W3CPropagation())
			.traceId128Bit(true)
			.sampler(Sampler.ALWAYS_SAMPLE)
			.addSpanHandler(spans)
			.build();
	}

	/** What Spring Boot's tracing auto-configuration sets up with the Brave bridge. */
	private static ObservationRegistry observationRegistry(Tracing tracing) {
		Tracer tracer = new BraveTracer(tracing.tracer(), new BraveCurrentTraceContext(tracing.currentTraceContext()),
				new BraveBaggageManager());
		Propagator propagator = new BravePropagator(tracing);
		ObservationRegistry registry = ObservationRegistry.create();
		registry.observationConfig()
			.observationHandler(new ObservationHandler.FirstMatchingCompositeObservationHandler(
					new PropagatingSenderTracingObservationHandler<>(tracer, propagator),
					new PropagatingReceiverTracingObservationHandler<>(tracer, propagator),
					new DefaultTracingObservationHandler(tracer)));
		return registry;
	}

}
