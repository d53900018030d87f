package dev.natsbus.contract;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.WildcardType;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.stream.BaseStream;

import dev.natsbus.BusClient;
import dev.natsbus.BusReplies;
import dev.natsbus.BusRequest;
import dev.natsbus.BusRequestMany;
import dev.natsbus.BusSend;
import dev.natsbus.RequestMany;
import dev.natsbus.contract.ContractMethod.Kind;
import dev.natsbus.contract.ContractParameters.HeaderParameter;
import dev.natsbus.protocol.SubjectTemplate;
import org.jspecify.annotations.Nullable;

import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.KotlinDetector;
import org.springframework.core.MethodParameter;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.format.datetime.standard.DurationFormatterUtils;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.handler.annotation.DestinationVariable;
import org.springframework.messaging.handler.annotation.Header;
import org.springframework.messaging.handler.annotation.Headers;
import org.springframework.messaging.handler.annotation.Payload;
import org.springframework.util.StringUtils;
import org.springframework.util.StringValueResolver;

/**
 * A {@link BusClient} interface read and checked once: its {@link ContractMethod}s, with
 * placeholders resolved. Every declaration that cannot work fails here with an
 * {@link IllegalStateException} naming the interface and the method, so that neither a
 * proxy nor a listener is ever made of it.
 */
public final class BusContract {

	private static final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

	private static final String MONO = "reactor.core.publisher.Mono";

	private static final String FLUX = "reactor.core.publisher.Flux";

	private static final String UNIT = "kotlin.Unit";

	private static final String FLOW = "kotlinx.coroutines.flow.Flow";

	private final Class<?> type;

	private final List<ContractMethod> methods;

	private BusContract(Class<?> type, List<ContractMethod> methods) {
		this.type = type;
		this.methods = List.copyOf(methods);
	}

	/** Whether {@code type} is an interface annotated {@link BusClient}. */
	public static boolean isContract(Class<?> type) {
		return type.isInterface() && MergedAnnotations.from(type).isPresent(BusClient.class);
	}

	/**
	 * Reads the contract of {@code type}.
	 * @param valueResolver resolves {@code ${...}} placeholders, or {@code null} for none
	 * @throws IllegalArgumentException when {@code type} is not a {@code @BusClient}
	 * interface
	 * @throws IllegalStateException when a declaration cannot work, naming the interface
	 * and the method
	 */
	public static BusContract of(Class<?> type, @Nullable StringValueResolver valueResolver) {
		if (!type.isInterface()) {
			throw new IllegalArgumentException(
					type.getName() + " is not an interface: a @BusClient is an interface whose methods are bus calls");
		}
		BusClient client = AnnotatedElementUtils.findMergedAnnotation(type, BusClient.class);
		if (client == null) {
			throw new IllegalArgumentException(type.getName() + " is not annotated @BusClient");
		}
		return new Reader(type, valueResolver, client).read();
	}

	/** The interface. */
	public Class<?> getType() {
		return this.type;
	}

	/** Its bus methods, in a stable order (by name, then parameter types). */
	public List<ContractMethod> getMethods() {
		return this.methods;
	}

	/** Reads one interface. */
	private static final class Reader {

		private final Class<?> type;

		private final @Nullable StringValueResolver valueResolver;

		private final @Nullable Duration clientTimeout;

		Reader(Class<?> type, @Nullable StringValueResolver valueResolver, BusClient client) {
			this.type = type;
			this.valueResolver = valueResolver;
			try {
				this.clientTimeout = duration(client.timeout(), "timeout");
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalStateException("Invalid @BusClient " + type.getName() + ": " + ex.getMessage(), ex);
			}
		}

		BusContract read() {
			List<ContractMethod> methods = new ArrayList<>();
			Method[] candidates = this.type.getMethods();
			Arrays.sort(candidates, Comparator.comparing(Method::getName).thenComparing(Method::toGenericString));
			for (Method method : candidates) {
				if (Modifier.isStatic(method.getModifiers()) || method.isSynthetic() || method.isBridge()) {
					continue;
				}
				try {
					ContractMethod contractMethod = read(method);
					if (contractMethod != null) {
						methods.add(contractMethod);
					}
				}
				catch (IllegalArgumentException ex) {
					throw new IllegalStateException("Invalid @BusClient method "
							+ ContractMethod.describe(this.type, method) + ": " + ex.getMessage(), ex);
				}
			}
			return new BusContract(this.type, methods);
		}

		private @Nullable ContractMethod read(Method method) {
			BusRequest request = AnnotatedElementUtils.findMergedAnnotation(method, BusRequest.class);
			BusSend send = AnnotatedElementUtils.findMergedAnnotation(method, BusSend.class);
			BusRequestMany many = AnnotatedElementUtils.findMergedAnnotation(method, BusRequestMany.class);
			int declared = ((request != null) ? 1 : 0) + ((send != null) ? 1 : 0) + ((many != null) ? 1 : 0);
			if (method.isDefault()) {
				if (declared > 0) {
					throw new IllegalArgumentException("a default method runs as written, so it cannot also be a bus "
							+ "call; remove its annotation or its body");
				}
				return null;
			}
			if (declared == 0) {
				throw new IllegalArgumentException("it has no @BusRequest, @BusSend or @BusRequestMany; every "
						+ "abstract method of a @BusClient is a bus call (default methods run as written)");
			}
			if (declared > 1) {
				throw new IllegalArgumentException("it declares more than one of @BusRequest, @BusSend and "
						+ "@BusRequestMany; choose the one that says what the call does");
			}
			if (request != null) {
				return method(method, Kind.REQUEST, request.subject(), false, duration(request.timeout(), "timeout"),
						null);
			}
			if (send != null) {
				return method(method, Kind.SEND, send.subject(), send.broadcast(), null, null);
			}
			return method(method, Kind.REQUEST_MANY, many.subject(), many.broadcast(), null, requestMany(many));
		}

		private ContractMethod method(Method method, Kind kind, String subjectValue, boolean broadcast,
				@Nullable Duration timeout, @Nullable RequestMany requestMany) {
			String resolved = resolve(subjectValue);
			if (!StringUtils.hasText(resolved)) {
				throw new IllegalArgumentException("the subject must not be empty");
			}
			SubjectTemplate subject = SubjectTemplate.parse(resolved.trim());
			boolean suspending = KotlinDetector.isSuspendingFunction(method);
			ResolvableType returnType = suspending ? suspendingReturnType(method)
					: ResolvableType.forMethodReturnType(method, this.type);
			ReturnKind returnKind = suspending ? suspendingReturn(kind, returnType) : switch (kind) {
				case SEND -> sendReturn(returnType);
				case REQUEST -> requestReturn(returnType);
				case REQUEST_MANY -> requestManyReturn(returnType);
			};
			ResolvableType replyType = replyType(returnKind, returnType);
			ContractParameters parameters = parameters(method, kind, subject, suspending);
			return new ContractMethod(this.type, method, kind, subject, broadcast,
					(timeout != null) ? timeout : this.clientTimeout, requestMany, returnKind, replyType, parameters,
					suspending);
		}

		private RequestMany requestMany(BusRequestMany annotation) {
			RequestMany options = RequestMany.defaults();
			String maxReplies = resolve(annotation.maxReplies());
			if (StringUtils.hasText(maxReplies)) {
				int count;
				try {
					count = Integer.parseInt(maxReplies.trim());
				}
				catch (NumberFormatException ex) {
					throw new IllegalArgumentException("maxReplies '" + maxReplies + "' is not a number");
				}
				if (count < 1) {
					throw new IllegalArgumentException("maxReplies must be at least 1, not " + count);
				}
				options = options.withMaxReplies(count);
			}
			Duration maxWait = duration(annotation.maxWait(), "maxWait");
			if (maxWait == null) {
				maxWait = this.clientTimeout;
			}
			if (maxWait != null) {
				options = options.withMaxWait(maxWait);
			}
			Duration stall = duration(annotation.stall(), "stall");
			if (stall != null) {
				options = options.withStall(stall);
			}
			return annotation.sentinel() ? options.withSentinel() : options;
		}

		// return types

		private static ReturnKind sendReturn(ResolvableType returnType) {
			if (returnType.toClass() != void.class) {
				throw new IllegalArgumentException("@BusSend is fire-and-forget and must be void, not " + returnType
						+ "; declare @BusRequest to wait for a reply");
			}
			return ReturnKind.VOID;
		}

		private static ReturnKind requestReturn(ResolvableType returnType) {
			Class<?> raw = returnType.toClass();
			if (raw == void.class || raw == Void.class) {
				return ReturnKind.VOID;
			}
			if (raw == CompletableFuture.class || raw.getName().equals(MONO)) {
				boolean future = raw == CompletableFuture.class;
				ResolvableType inner = returnType.getGeneric(0);
				Class<?> innerRaw = inner.toClass();
				if (innerRaw == Void.class) {
					return future ? ReturnKind.FUTURE_VOID : ReturnKind.MONO_VOID;
				}
				if (innerRaw == org.springframework.messaging.Message.class) {
					return future ? ReturnKind.FUTURE_MESSAGE : ReturnKind.MONO_MESSAGE;
				}
				checkValueType(inner, returnType);
				return future ? ReturnKind.FUTURE_VALUE : ReturnKind.MONO_VALUE;
			}
			if (raw == org.springframework.messaging.Message.class) {
				return ReturnKind.MESSAGE;
			}
			checkValueType(returnType, returnType);
			return ReturnKind.VALUE;
		}

		private static void checkValueType(ResolvableType type, ResolvableType returnType) {
			Class<?> raw = type.toClass();
			String reason = null;
			if (raw == BusReplies.class || raw.getName().equals(FLUX)) {
				reason = "it gathers many replies; declare @BusRequestMany";
			}
			else if (Future.class.isAssignableFrom(raw) || CompletionStage.class.isAssignableFrom(raw)
					|| raw.getName().startsWith("reactor.core.publisher.")
					|| raw.getName().equals("org.reactivestreams.Publisher")
					|| raw == java.util.concurrent.Flow.Publisher.class) {
				reason = "only CompletableFuture and Reactor's Mono are asynchronous return types, one level deep";
			}
			else if (raw.getName().equals(FLOW)) {
				reason = "a Kotlin Flow is not a client's return type; declare a suspend function, or "
						+ "@BusRequestMany returning Flux<T>";
			}
			else if (BaseStream.class.isAssignableFrom(raw) || java.util.Iterator.class.isAssignableFrom(raw)
					|| java.util.Spliterator.class.isAssignableFrom(raw)) {
				reason = "a streamed reply is read with @BusRequestMany(sentinel = true) returning BusReplies<T>";
			}
			if (reason != null) {
				throw new IllegalArgumentException("unsupported return type " + returnType + ": " + reason
						+ " (a @BusRequest returns T, Message<T>, CompletableFuture<T>, Mono<T> or void)");
			}
		}

		/**
		 * What a {@code suspend} function returns: the type argument of its last
		 * parameter, {@code Continuation<? super T>}, which Kotlin adds and which the
		 * function resumes with the value.
		 */
		private ResolvableType suspendingReturnType(Method method) {
			Type continuation = method.getGenericParameterTypes()[method.getParameterCount() - 1];
			if (continuation instanceof ParameterizedType parameterized
					&& parameterized.getActualTypeArguments().length == 1) {
				Type argument = parameterized.getActualTypeArguments()[0];
				if (argument instanceof WildcardType wildcard) {
					argument = (wildcard.getLowerBounds().length == 1) ? wildcard.getLowerBounds()[0] : Object.class;
				}
				return ResolvableType.forType(argument, ResolvableType.forClass(this.type));
			}
			return ResolvableType.forClass(Object.class);
		}

		/**
		 * A {@code suspend} function returns the reply itself: the coroutine, not a
		 * future, is what waits for it.
		 */
		private static ReturnKind suspendingReturn(Kind kind, ResolvableType returnType) {
			Class<?> raw = returnType.toClass();
			boolean unit = raw == void.class || raw == Void.class || raw.getName().equals(UNIT);
			if (kind == Kind.SEND) {
				if (!unit) {
					throw new IllegalArgumentException("@BusSend is fire-and-forget and must return Unit, not "
							+ returnType + "; declare @BusRequest to wait for a reply");
				}
				return ReturnKind.VOID;
			}
			if (kind == Kind.REQUEST_MANY) {
				if (raw != BusReplies.class) {
					throw new IllegalArgumentException("unsupported return type " + returnType
							+ ": a suspend @BusRequestMany returns BusReplies<T>");
				}
				return ReturnKind.REPLIES;
			}
			if (unit) {
				return ReturnKind.VOID;
			}
			if (CompletionStage.class.isAssignableFrom(raw) || Future.class.isAssignableFrom(raw)
					|| raw.getName().startsWith("reactor.core.publisher.") || raw.getName().equals(FLOW)) {
				throw new IllegalArgumentException("unsupported return type " + returnType
						+ ": a suspend function returns the reply itself (T, Message<T> or Unit), and the coroutine "
						+ "waits for it; drop suspend to return a " + raw.getSimpleName());
			}
			if (raw == org.springframework.messaging.Message.class) {
				return ReturnKind.MESSAGE;
			}
			checkValueType(returnType, returnType);
			return ReturnKind.VALUE;
		}

		private static ReturnKind requestManyReturn(ResolvableType returnType) {
			Class<?> raw = returnType.toClass();
			if (raw == BusReplies.class) {
				return ReturnKind.REPLIES;
			}
			if (raw.getName().equals(FLUX)) {
				return ReturnKind.FLUX;
			}
			if ((raw == CompletableFuture.class || raw.getName().equals(MONO))
					&& returnType.getGeneric(0).toClass() == BusReplies.class) {
				return (raw == CompletableFuture.class) ? ReturnKind.FUTURE_REPLIES : ReturnKind.MONO_REPLIES;
			}
			throw new IllegalArgumentException("unsupported return type " + returnType
					+ ": a @BusRequestMany returns BusReplies<T>, CompletableFuture<BusReplies<T>>,"
					+ " Mono<BusReplies<T>> or Flux<T>");
		}

		private static ResolvableType replyType(ReturnKind kind, ResolvableType returnType) {
			ResolvableType type = switch (kind) {
				case VOID, FUTURE_VOID, MONO_VOID -> ResolvableType.forClass(byte[].class);
				case VALUE -> returnType;
				case MESSAGE, FUTURE_VALUE, MONO_VALUE, REPLIES, FLUX -> returnType.getGeneric(0);
				case FUTURE_MESSAGE, MONO_MESSAGE, FUTURE_REPLIES, MONO_REPLIES ->
					returnType.getGeneric(0).getGeneric(0);
			};
			return (type == ResolvableType.NONE || type.resolve() == null) ? ResolvableType.forClass(Object.class)
					: type;
		}

		// parameters

		private ContractParameters parameters(Method method, Kind kind, SubjectTemplate subject, boolean suspending) {
			int payload = -1;
			int timeout = -1;
			int headerMap = -1;
			List<String> payloads = new ArrayList<>();
			List<HeaderParameter> headers = new ArrayList<>();
			List<String> variableNames = subject.getVariableNames();
			int[] variables = new int[variableNames.size()];
			Arrays.fill(variables, -1);
			// A suspend function's last parameter is the Continuation that Kotlin adds.
			int declaredParameters = method.getParameterCount() - (suspending ? 1 : 0);
			for (int i = 0; i < declaredParameters; i++) {
				MethodParameter parameter = new MethodParameter(method, i);
				parameter.initParameterNameDiscovery(parameterNames);
				String name = parameter.getParameterName();
				String described = parameter.getParameterType().getSimpleName() + " "
						+ ((name != null) ? name : "#" + (i + 1));
				DestinationVariable variable = parameter.getParameterAnnotation(DestinationVariable.class);
				Header header = parameter.getParameterAnnotation(Header.class);
				Headers headerMapAnnotation = parameter.getParameterAnnotation(Headers.class);
				boolean payloadAnnotation = parameter.hasParameterAnnotation(Payload.class);
				int annotations = ((variable != null) ? 1 : 0) + ((header != null) ? 1 : 0)
						+ ((headerMapAnnotation != null) ? 1 : 0) + (payloadAnnotation ? 1 : 0);
				if (annotations > 1) {
					throw new IllegalArgumentException("parameter " + described
							+ " has more than one of @Payload, @Header, @Headers and @DestinationVariable");
				}
				if (variable != null) {
					String variableName = named(variable.value(), name, "@DestinationVariable", described);
					int index = variableNames.indexOf(variableName);
					if (index < 0) {
						throw new IllegalArgumentException("unknown subject variable {" + variableName
								+ "} of parameter " + described + ": the subject '" + subject + "' has "
								+ (variableNames.isEmpty() ? "no variables"
										: "only " + variableNames.stream().map((n) -> "{" + n + "}").toList()));
					}
					if (variables[index] >= 0) {
						throw new IllegalArgumentException(
								"two parameters bind the subject variable {" + variableName + "}");
					}
					variables[index] = i;
				}
				else if (header != null) {
					String headerName = named(StringUtils.hasText(header.name()) ? header.name() : header.value(), name,
							"@Header", described);
					headers.add(new HeaderParameter(i, headerName, header.required()));
				}
				else if (headerMapAnnotation != null) {
					if (!Map.class.isAssignableFrom(parameter.getParameterType())) {
						throw new IllegalArgumentException(
								"@Headers parameter " + described + " must be a Map of header names to values");
					}
					if (headerMap >= 0) {
						throw new IllegalArgumentException("more than one @Headers parameter");
					}
					headerMap = i;
				}
				else if (!payloadAnnotation && parameter.getParameterType() == Duration.class) {
					if (timeout >= 0) {
						throw new IllegalArgumentException("more than one Duration parameter: only one is the timeout");
					}
					timeout = i;
				}
				else {
					checkPayloadType(parameter, described);
					payloads.add(described);
					payload = i;
				}
			}
			if (payloads.size() > 1) {
				throw new IllegalArgumentException("more than one parameter claims the payload " + payloads
						+ "; annotate the others with @Header, @Headers or @DestinationVariable");
			}
			for (int i = 0; i < variables.length; i++) {
				if (variables[i] < 0) {
					throw new IllegalArgumentException("the subject variable {" + variableNames.get(i) + "} of '"
							+ subject + "' has no @DestinationVariable parameter");
				}
			}
			if (kind == Kind.SEND && timeout >= 0) {
				throw new IllegalArgumentException(
						"a Duration parameter is a timeout, but @BusSend does not wait for anything");
			}
			if (kind == Kind.REQUEST_MANY && (!headers.isEmpty() || headerMap >= 0)) {
				throw new IllegalArgumentException(
						"@BusRequestMany sends no headers of its own; remove the @Header and "
								+ "@Headers parameters (client interceptors may still add headers)");
			}
			return new ContractParameters(payload, timeout, variables, headers, headerMap);
		}

		private static String named(String declared, @Nullable String parameterName, String annotation,
				String described) {
			if (StringUtils.hasText(declared)) {
				return declared.trim();
			}
			if (parameterName == null) {
				throw new IllegalArgumentException(annotation + " parameter " + described
						+ " has no name: name it in the annotation, or compile with -parameters");
			}
			return parameterName;
		}

		private static void checkPayloadType(MethodParameter parameter, String described) {
			Class<?> type = parameter.getParameterType();
			if (org.springframework.messaging.Message.class.isAssignableFrom(type)
					|| MessageHeaders.class.isAssignableFrom(type)
					|| io.nats.client.Message.class.isAssignableFrom(type)) {
				throw new IllegalArgumentException("parameter " + described + " is not a payload: pass the payload "
						+ "itself, and headers with @Header or @Headers");
			}
		}

		// values

		private @Nullable String resolve(@Nullable String value) {
			if (value == null || this.valueResolver == null) {
				if (value != null && value.contains("${")) {
					throw new IllegalArgumentException("'" + value + "' has a placeholder, but nothing resolves "
							+ "placeholders here: give the BusClientProxyFactory an embedded value resolver");
				}
				return value;
			}
			return this.valueResolver.resolveStringValue(value);
		}

		private @Nullable Duration duration(@Nullable String value, String attribute) {
			String text = resolve(value);
			if (!StringUtils.hasText(text)) {
				return null;
			}
			Duration duration;
			try {
				duration = DurationFormatterUtils.detectAndParse(text.trim());
			}
			catch (IllegalArgumentException | DateTimeParseException ex) {
				throw new IllegalArgumentException(attribute + " '" + text
						+ "' is not a duration; write it as 500ms, 2s or an ISO-8601 duration such as PT2S");
			}
			if (duration.isZero() || duration.isNegative()) {
				throw new IllegalArgumentException(attribute + " must be positive, not '" + text + "'");
			}
			return duration;
		}

	}

}
