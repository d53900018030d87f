package dev.natsbus.micro;

import java.time.Instant;
import java.util.List;

import dev.natsbus.connection.NatsConnectionPool;
import dev.natsbus.listener.BusListenerRegistry;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.NUID;
import io.nats.service.Service;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.EmbeddedValueResolverAware;
import org.springframework.context.SmartLifecycle;
import org.springframework.util.StringValueResolver;

/**
 * Makes the {@code @BusListener} methods discoverable as NATS micro services: answers
 * {@code $SRV.PING}, {@code $SRV.INFO} and {@code $SRV.STATS}, bare, {@code .<name>} and
 * {@code .<name>.<id>}, for every service of this instance (see {@link ServiceCatalog}).
 * <p>
 * The subscriptions have no queue group, since every instance must answer, and live on a
 * dispatcher of their own on pool connection 0. jnats' own {@code Service} is not used:
 * it would also run the endpoints, all on one shared thread, whereas each listener has
 * its own dispatcher and workers. Answering here therefore takes no listener capacity and
 * goes on while a listener is saturated.
 * <p>
 * It starts after the listener registry, so that the listeners it advertises exist, and
 * stops before the registry drains them, so that draining instances disappear from
 * discovery. The services are fixed at start: listeners registered later are not
 * advertised.
 */
public class MicroServiceResponder implements SmartLifecycle, SmartInitializingSingleton, EmbeddedValueResolverAware {

	/** Starts just after, and stops just before, the {@link BusListenerRegistry}. */
	public static final int PHASE = BusListenerRegistry.PHASE + 1;

	private static final String PREFIX = Service.DEFAULT_SERVICE_PREFIX;

	private static final Logger logger = LoggerFactory.getLogger(MicroServiceResponder.class);

	/** The protocol's verbs and the answer each one gets. */
	private enum Verb {

		PING(MicroResponses::ping), INFO(MicroResponses::info), STATS(MicroResponses::stats);

		private final ResponseWriter writer;

		Verb(ResponseWriter writer) {
			this.writer = writer;
		}

	}

	@FunctionalInterface
	private interface ResponseWriter {

		byte[] write(MicroResponses responses, MicroService service);

	}

	private final NatsConnectionPool pool;

	private final BusListenerRegistry registry;

	private final ServiceDefinition defaultService;

	private final MicroResponses responses = new MicroResponses();

	private StringValueResolver valueResolver;

	private volatile List<MicroService> services = List.of();

	private Dispatcher dispatcher;

	private Connection connection;

	private volatile boolean running;

	/**
	 * @param pool answers go through connection 0
	 * @param registry the listeners to advertise
	 * @param defaultService the service of listeners whose bean has no
	 * {@code @BusService}
	 */
	public MicroServiceResponder(NatsConnectionPool pool, BusListenerRegistry registry,
			ServiceDefinition defaultService) {
		this.pool = pool;
		this.registry = registry;
		this.defaultService = defaultService;
	}

	@Override
	public void setEmbeddedValueResolver(StringValueResolver resolver) {
		this.valueResolver = resolver;
	}

	/** The services this instance advertises; empty before start. */
	public List<MicroService> getServices() {
		return this.services;
	}

	/**
	 * Checks the {@code @BusService} declarations once every listener is registered, so
	 * that an invalid one fails start-up before any listener subscribes.
	 * @throws IllegalStateException when a {@code @BusService} is invalid
	 */
	@Override
	public void afterSingletonsInstantiated() {
		buildServices();
	}

	/**
	 * @throws IllegalStateException when a {@code @BusService} is invalid, which fails
	 * start-up
	 */
	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		// Built afresh at each start: a restarted instance is a new instance with new
		// ids.
		this.services = buildServices();
		this.running = true;
		if (this.services.isEmpty()) {
			return;
		}
		this.pool.connection(0)
			.ifPresentOrElse(this::subscribe, () -> this.pool.whenConnected(0).thenAccept(this::subscribe));
	}

	private List<MicroService> buildServices() {
		ServiceCatalog catalog = new ServiceCatalog(this.defaultService,
				(this.valueResolver != null) ? this.valueResolver::resolveStringValue : null);
		return catalog.services(this.registry.getListenerContainers(), NUID::nextGlobal, Instant.now());
	}

	private synchronized void subscribe(Connection connection) {
		if (!this.running || this.dispatcher != null) {
			return;
		}
		Dispatcher newDispatcher = connection.createDispatcher();
		for (Verb verb : Verb.values()) {
			String subject = PREFIX + verb.name();
			// The bare subject is shared by all services: one subscription answers for
			// each.
			newDispatcher.subscribe(subject, message -> answer(connection, verb, this.services, message));
			for (MicroService service : this.services) {
				List<MicroService> one = List.of(service);
				newDispatcher.subscribe(subject + "." + service.name(),
						message -> answer(connection, verb, one, message));
				newDispatcher.subscribe(subject + "." + service.name() + "." + service.id(),
						message -> answer(connection, verb, one, message));
			}
		}
		this.connection = connection;
		this.dispatcher = newDispatcher;
		if (logger.isInfoEnabled()) {
			logger.info("Answering NATS micro discovery for {}", this.services.stream()
				.map(service -> service.name() + " " + service.definition().version() + " (id " + service.id() + ")")
				.toList());
		}
	}

	private void answer(Connection connection, Verb verb, List<MicroService> targets, Message request) {
		String replyTo = request.getReplyTo();
		if (replyTo == null || replyTo.isEmpty()) {
			return;
		}
		for (MicroService service : targets) {
			try {
				connection.publish(replyTo, verb.writer.write(this.responses, service));
			}
			catch (RuntimeException ex) {
				// One failed answer must not keep the other services from answering.
				logger.warn("Could not answer {} for NATS micro service '{}': {}", request.getSubject(), service.name(),
						ex.toString());
			}
		}
	}

	@Override
	public synchronized void stop() {
		this.running = false;
		Dispatcher current = this.dispatcher;
		this.dispatcher = null;
		if (current != null && this.connection != null && this.connection.getStatus() != Connection.Status.CLOSED) {
			try {
				this.connection.closeDispatcher(current);
			}
			catch (RuntimeException ex) {
				logger.debug("Could not close the NATS micro discovery dispatcher: {}", ex.toString());
			}
		}
		this.connection = null;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
