package dev.natsbus.contract;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import dev.natsbus.BusReplies;
import io.nats.client.impl.Headers;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.ReflectionHints;
import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.core.MethodParameter;
import org.springframework.core.ResolvableType;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageHeaderAccessor;

/**
 * The reflection a native image needs to run a bus method: the method itself, and JSON
 * binding (Jackson) for the types its payloads and replies convert to and from. Wrappers
 * the bus unwraps ({@code CompletableFuture}, {@code Optional}, {@code Message},
 * {@link BusReplies}, {@code Stream}, Reactor's {@code Mono} and {@code Flux}) give their
 * element type; headers and raw NATS messages need nothing.
 */
public final class PayloadBindingHints {

	private static final BindingReflectionHintsRegistrar bindings = new BindingReflectionHintsRegistrar();

	private PayloadBindingHints() {
	}

	/**
	 * Registers {@code method} for invocation (a listener method) and binding for its
	 * payload and reply types.
	 */
	public static void registerInvocable(ReflectionHints hints, Method method) {
		hints.registerMethod(method, ExecutableMode.INVOKE);
		registerBindings(hints, method);
	}

	/**
	 * Registers binding for the payload and reply types of {@code method} (a
	 * {@code @BusClient} method, called through a proxy).
	 */
	public static void registerBindings(ReflectionHints hints, Method method) {
		List<Type> types = new ArrayList<>();
		for (int i = 0; i < method.getParameterCount(); i++) {
			add(types, ResolvableType.forMethodParameter(new MethodParameter(method, i)));
		}
		add(types, ResolvableType.forMethodReturnType(method));
		bindings.registerReflectionHints(hints, types.toArray(Type[]::new));
	}

	private static void add(List<Type> types, ResolvableType type) {
		ResolvableType element = element(type);
		if (element == null) {
			return;
		}
		Class<?> raw = element.resolve();
		if (raw == null || raw == void.class || raw == Void.class || raw.isPrimitive() || raw == Object.class) {
			return;
		}
		types.add(element.getType());
	}

	/** What converts to or from JSON inside {@code type}, or null for nothing. */
	private static @Nullable ResolvableType element(ResolvableType type) {
		Class<?> raw = type.resolve();
		if (raw == null) {
			return null;
		}
		if (io.nats.client.Message.class.isAssignableFrom(raw) || Headers.class.isAssignableFrom(raw)
				|| MessageHeaders.class.isAssignableFrom(raw) || MessageHeaderAccessor.class.isAssignableFrom(raw)) {
			return null;
		}
		if (CompletionStage.class.isAssignableFrom(raw) || Future.class.isAssignableFrom(raw)
				|| Optional.class.isAssignableFrom(raw) || Message.class.isAssignableFrom(raw)
				|| BusReplies.class.isAssignableFrom(raw) || Stream.class.isAssignableFrom(raw)
				|| raw.getName().startsWith("reactor.core.publisher.")) {
			return element(type.as(raw).getGeneric(0));
		}
		return type;
	}

	/** Lets the bus find the annotated methods of {@code type} by reflection. */
	public static void registerIntrospection(ReflectionHints hints, Class<?> type) {
		hints.registerType(type, MemberCategory.INTROSPECT_DECLARED_METHODS, MemberCategory.INTROSPECT_PUBLIC_METHODS);
	}

}
