package dev.natsbus.observation;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;

import dev.natsbus.BusRemoteException;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.nats.client.impl.Headers;
import org.jspecify.annotations.Nullable;

/**
 * The observations of one {@code BusTemplate}: wraps its sends and requests in
 * {@code natsbus.send} and {@code natsbus.request} observations, whose propagation
 * handlers write the trace context straight into the NATS headers of the message.
 * <p>
 * The template asks {@link #isNoop()} once per operation and, when it is true (the
 * default), takes its plain path: no context, no observation, no headers.
 */
public final class BusTemplateObservations {

	private volatile ObservationRegistry registry = ObservationRegistry.NOOP;

	private volatile @Nullable BusSendObservationConvention sendConvention;

	private volatile @Nullable BusRequestObservationConvention requestConvention;

	public void setObservationRegistry(@Nullable ObservationRegistry registry) {
		this.registry = (registry != null) ? registry : ObservationRegistry.NOOP;
	}

	public ObservationRegistry getObservationRegistry() {
		return this.registry;
	}

	/** A convention for sends in place of the registry's global ones and the default. */
	public void setSendObservationConvention(@Nullable BusSendObservationConvention sendConvention) {
		this.sendConvention = sendConvention;
	}

	/**
	 * A convention for requests in place of the registry's global ones and the default.
	 */
	public void setRequestObservationConvention(@Nullable BusRequestObservationConvention requestConvention) {
		this.requestConvention = requestConvention;
	}

	/**
	 * Whether nothing observes the template: it should then not call the methods below.
	 */
	public boolean isNoop() {
		return this.registry.isNoop();
	}

	/**
	 * Runs {@code send} observed. The propagation handlers write the trace context into
	 * the NATS headers that {@code send} is given to publish: {@code headers} when there
	 * are some (stale values of the same names, e.g. those of a forwarded message, are
	 * replaced), otherwise new ones.
	 */
	public void observeSend(String subject, @Nullable Headers headers, Consumer<Headers> send) {
		BusSendContext context = new BusSendContext(subject, carrier(headers));
		Observation observation = BusObservationDocumentation.SEND
			.observation(this.sendConvention, DefaultBusSendObservationConvention.INSTANCE, () -> context,
					this.registry)
			.start();
		try (Observation.Scope scope = observation.openScope()) {
			send.accept(context.getCarrier());
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

	/**
	 * Runs a synchronous request observed, from sending it until its reply has been read;
	 * the trace context goes into its NATS headers as for {@link #observeSend}.
	 */
	public <T> T observeRequest(String subject, Duration timeout, @Nullable Headers headers,
			Function<Headers, T> request) {
		BusRequestContext context = new BusRequestContext(subject, timeout, carrier(headers));
		Observation observation = startRequest(context);
		try (Observation.Scope scope = observation.openScope()) {
			T reply = request.apply(context.getCarrier());
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
	 * Runs an asynchronous request observed; the observation stops when the returned
	 * future completes (normally, exceptionally or by cancellation). Returns the
	 * request's own future.
	 */
	public <T> CompletableFuture<T> observeRequestAsync(String subject, Duration timeout, @Nullable Headers headers,
			Function<Headers, CompletableFuture<T>> request) {
		BusRequestContext context = new BusRequestContext(subject, timeout, carrier(headers));
		Observation observation = startRequest(context);
		CompletableFuture<T> result;
		try (Observation.Scope scope = observation.openScope()) {
			result = request.apply(context.getCarrier());
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

	private static Headers carrier(@Nullable Headers headers) {
		return (headers != null) ? headers : new Headers();
	}

	private static void failed(Observation observation, BusSenderContext context, Throwable failure) {
		Throwable cause = BusOutcome.unwrap(failure);
		context.setOutcome(BusOutcome.of(cause));
		if (cause instanceof BusRemoteException remote) {
			context.setErrorCode(remote.getErrorCode());
		}
		observation.error(cause);
	}

}
