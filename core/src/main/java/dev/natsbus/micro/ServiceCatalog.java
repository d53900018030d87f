package dev.natsbus.micro;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;
import dev.natsbus.BusService;
import dev.natsbus.listener.BusListenerContainer;
import dev.natsbus.listener.BusListenerEndpoint;
import dev.natsbus.listener.MethodBusListenerEndpoint;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.StringUtils;

/**
 * Sorts listeners into NATS micro services: those of a {@link BusService} bean into the
 * service it names, all others into the default service. Beans naming the same service
 * share it, so their versions and descriptions must agree; a service without listeners is
 * not advertised.
 */
public final class ServiceCatalog {

	private final ServiceDefinition defaultService;

	private final UnaryOperator<String> placeholderResolver;

	/**
	 * @param defaultService the service of listeners whose bean has no {@link BusService}
	 * @param placeholderResolver resolves {@code ${...}} in {@link BusService} attributes
	 */
	public ServiceCatalog(ServiceDefinition defaultService, @Nullable UnaryOperator<String> placeholderResolver) {
		this.defaultService = Objects.requireNonNull(defaultService, "defaultService");
		this.placeholderResolver = (placeholderResolver != null) ? placeholderResolver : UnaryOperator.identity();
	}

	/**
	 * The services of {@code containers}, in the order their first listener was
	 * registered.
	 * @param ids gives each service instance its id
	 * @param started the start time all services report
	 * @throws IllegalStateException when a {@link BusService} is invalid or two disagree
	 */
	public List<MicroService> services(List<BusListenerContainer> containers, Supplier<String> ids, Instant started) {
		Map<String, Members> byName = new LinkedHashMap<>();
		for (BusListenerContainer container : containers) {
			BusListenerEndpoint endpoint = container.getEndpoint();
			ServiceDefinition definition = definitionOf(endpoint);
			Members members = byName.computeIfAbsent(definition.name(), name -> new Members(definition, endpoint));
			members.add(definition, endpoint, container);
		}
		List<MicroService> services = new ArrayList<>(byName.size());
		for (Members members : byName.values()) {
			services.add(new MicroService(members.definition, ids.get(), started, members.endpoints()));
		}
		return services;
	}

	private ServiceDefinition definitionOf(BusListenerEndpoint endpoint) {
		if (!(endpoint instanceof MethodBusListenerEndpoint method)) {
			// Registered in code: no bean to carry a @BusService.
			return this.defaultService;
		}
		Class<?> beanClass = AopUtils.getTargetClass(method.bean());
		BusService annotation = AnnotatedElementUtils.findMergedAnnotation(beanClass, BusService.class);
		if (annotation == null) {
			return this.defaultService;
		}
		String name = resolve(annotation.name());
		String version = resolve(annotation.version());
		if (!StringUtils.hasText(name)) {
			throw invalid(method, "the service name must not be empty");
		}
		try {
			return this.defaultService.with(name.trim(),
					StringUtils.hasText(version) ? version.trim() : this.defaultService.version(),
					resolve(annotation.description()));
		}
		catch (IllegalArgumentException ex) {
			throw invalid(method, ex.getMessage());
		}
	}

	private String resolve(String value) {
		return this.placeholderResolver.apply(value);
	}

	private static IllegalStateException invalid(MethodBusListenerEndpoint endpoint, String message) {
		return new IllegalStateException("Invalid @BusService on " + AopUtils.getTargetClass(endpoint.bean()).getName()
				+ " (bean '" + endpoint.beanName() + "'): " + message);
	}

	/** The listeners of one service, collected before their endpoint names are chosen. */
	private static final class Members {

		private final ServiceDefinition definition;

		private final BusListenerEndpoint first;

		private final List<BusListenerContainer> containers = new ArrayList<>();

		Members(ServiceDefinition definition, BusListenerEndpoint first) {
			this.definition = definition;
			this.first = first;
		}

		void add(ServiceDefinition other, BusListenerEndpoint endpoint, BusListenerContainer container) {
			if (!this.definition.version().equals(other.version())
					|| !this.definition.description().equals(other.description())) {
				throw new IllegalStateException("NATS micro service '" + this.definition.name()
						+ "' is declared differently by " + owner(this.first) + " (version '"
						+ this.definition.version() + "', description '" + this.definition.description() + "') and "
						+ owner(endpoint) + " (version '" + other.version() + "', description '" + other.description()
						+ "'): declare the same version and description");
			}
			this.containers.add(container);
		}

		/**
		 * Endpoint names must match the protocol's name pattern, which the default
		 * listener id ({@code bean.method}) does not: such listeners are named after
		 * their method, and after their whole id when two methods of the service share a
		 * name.
		 */
		List<MicroEndpoint> endpoints() {
			Set<String> taken = new HashSet<>();
			List<MicroEndpoint> endpoints = new ArrayList<>(this.containers.size());
			for (BusListenerContainer container : this.containers) {
				BusListenerEndpoint endpoint = container.getEndpoint();
				String name = ServiceDefinition.isValidName(endpoint.getId()) ? endpoint.getId()
						: sanitize((endpoint instanceof MethodBusListenerEndpoint method) ? method.method().getName()
								: endpoint.getId());
				if (!taken.add(name)) {
					name = sanitize(endpoint.getId());
					String candidate = name;
					for (int i = 2; !taken.add(candidate); i++) {
						candidate = name + "-" + i;
					}
					name = candidate;
				}
				endpoints.add(new MicroEndpoint(name, container));
			}
			return endpoints;
		}

		private static String owner(BusListenerEndpoint endpoint) {
			return (endpoint instanceof MethodBusListenerEndpoint method) ? "bean '" + method.beanName() + "'"
					: endpoint.describe();
		}

		private static String sanitize(String text) {
			return text.replaceAll("[^A-Za-z0-9_-]", "_");
		}

	}

}
