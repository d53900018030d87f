package dev.natsbus.observation;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.natsbus.BusRemoteException;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.nats.client.impl.Headers;

/**
 * The observations of one {@code BusTemplate}: wraps its sends and requests in
 * {@code natsbus.send} and {@code natsbus.request} observations and adds the trace
 * context the propagation handlers write to the message's headers.
 * <p>
 * The template asks {@link #isNoop()} once per operation and, when it is true (the
 * default), takes its plain path: no context, no observation, no header copy.
 */
public final class BusTemplateObservations {

	private volatile ObservationRegistry registry = ObservationRegistry.NOOP;

	private volatile BusSendObservationConvention sendConvention;

	private volatile BusRequestObservationConvention requestConvention;

	public void setObservationRegistry(ObservationRegistry registry) {
		this.registry = (registry != null) ? registry : ObservationRegistry.NOOP;
	}

	public ObservationRegistry getObservationRegistry() {
		return this.registry;
	}

	/** A convention for sends in place of the registry's global ones and the default. */
	public void setSendObservationConvention(BusSendObservationConvention sendConvention) {
		this.sendConvention = sendConvention;
	}

	/**
	 * A convention for requests in place of the registry's global ones and the default.
	 */
	public void setRequestObservationConvention(BusRequestObservationConvention requestConvention) {
		this.requestConvention = requestConvention;
	}

	/**
	 * Whether nothing observes the template: it should then not call the methods below.
	 */
	public boolean isNoop() {
		return this.registry.isNoop();
	}

	/**
	 * Runs {@code send} with the headers to publish (the user's plus the trace context).
	 */
	public void observeSend(String subject, Map<String, ?> headers, Consumer<Map<String, ?>> send) {
		BusSendContext context = new BusSendContext(subject);
		Observation observation = BusObservationDocumentation.SEND
			.observation(this.sendConvention, DefaultBusSendObservationConvention.INSTANCE, () -> context,
					this.registry)
			.start();
		try (Observation.Scope scope = observation.openScope()) {
			send.accept(withTraceContext(headers, context.getCarrier()));
			context.setOutcome(BusOutcome.SUCCESS);
		}
		catch (RuntimeException ex) {
			failed(observation, context, ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

	/** Runs a synchronous request, from sending it until its reply has been read. */
	public <T> T observeRequest(String subject, Duration timeout, Map<String, ?> headers,
			Function<Map<String, ?>, T> request) {
		BusRequestContext context = new BusRequestContext(subject, timeout);
		Observation observation = startRequest(context);
		try (Observation.Scope scope = observation.openScope()) {
			T reply = request.apply(withTraceContext(headers, context.getCarrier()));
			context.setOutcome(BusOutcome.SUCCESS);
			return reply;
		}
		catch (RuntimeException ex) {
			failed(observation, context, ex);
			throw ex;
		}
		finally {
			observation.stop();
		}
	}

	/**
	 * Runs an asynchronous request; the observation stops when the returned future
	 * completes (normally, exceptionally or by cancellation). Returns the request's own
	 * future.
	 */
	public <T> CompletableFuture<T> observeRequestAsync(String subject, Duration timeout, Map<String, ?> headers,
			Function<Map<String, ?>, CompletableFuture<T>> request) {
		BusRequestContext context = new BusRequestContext(subject, timeout);
		Observation observation = startRequest(context);
		CompletableFuture<T> result;
		try (Observation.Scope scope = observation.openScope()) {
			result = request.apply(withTraceContext(headers, context.getCarrier()));
		}
		catch (RuntimeException ex) {
			failed(observation, context, ex);
			observation.stop();
			throw ex;
		}
		result.whenComplete((reply, ex) -> {
			if (ex != null) {
				failed(observation, context, BusOutcome.unwrap(ex));
			}
			else {
				context.setOutcome(BusOutcome.SUCCESS);
			}
			observation.stop();
		});
		return result;
	}

	private Observation startRequest(BusRequestContext context) {
		return BusObservationDocumentation.REQUEST
			.observation(this.requestConvention, DefaultBusRequestObservationConvention.INSTANCE, () -> context,
					this.registry)
			.start();
	}

	private static void failed(Observation observation, BusSenderContext context, Throwable failure) {
		Throwable cause = BusOutcome.unwrap(failure);
		context.setOutcome(BusOutcome.of(cause));
		if (cause instanceof BusRemoteException remote) {
			context.setErrorCode(remote.getErrorCode());
		}
		observation.error(cause);
	}

	/**
	 * The headers to send: the user's, plus the trace context that the propagation
	 * handlers wrote to the carrier (which replaces stale values of the same names, e.g.
	 * those of a forwarded message). The user's map is never modified.
	 */
	static Map<String, ?> withTraceContext(Map<String, ?> headers, Headers carrier) {
		if (carrier == null || carrier.isEmpty()) {
			return headers;
		}
		Map<String, Object> merged = (headers != null) ? new LinkedHashMap<>(headers) : new LinkedHashMap<>();
		carrier.forEach((name, values) -> {
			if (values != null && !values.isEmpty()) {
				merged.put(name, (values.size() == 1) ? values.get(0) : List.copyOf(values));
			}
		});
		return merged;
	}

}
