package dev.natsbus.contract;

import java.lang.reflect.Method;
import java.time.Duration;

import dev.natsbus.RequestMany;
import dev.natsbus.protocol.SubjectTemplate;
import org.jspecify.annotations.Nullable;

import org.springframework.core.ResolvableType;

/**
 * One method of a {@link BusContract}, read and checked: what kind of call it is, where
 * it goes, what it returns and which parameter is what.
 */
public final class ContractMethod {

	/** The annotation a contract method carries. */
	public enum Kind {

		/** {@code @BusSend}: publish without waiting. */
		SEND,

		/** {@code @BusRequest}: one request, one reply. */
		REQUEST,

		/** {@code @BusRequestMany}: one request, every reply until the options end it. */
		REQUEST_MANY

	}

	private final Class<?> contractType;

	private final Method method;

	private final Kind kind;

	private final SubjectTemplate subject;

	private final boolean broadcast;

	private final @Nullable Duration timeout;

	private final @Nullable RequestMany requestMany;

	private final ReturnKind returnKind;

	private final ResolvableType replyType;

	private final ContractParameters parameters;

	private final String description;

	private final boolean suspending;

	ContractMethod(Class<?> contractType, Method method, Kind kind, SubjectTemplate subject, boolean broadcast,
			@Nullable Duration timeout, @Nullable RequestMany requestMany, ReturnKind returnKind,
			ResolvableType replyType, ContractParameters parameters, boolean suspending) {
		this.suspending = suspending;
		this.contractType = contractType;
		this.method = method;
		this.kind = kind;
		this.subject = subject;
		this.broadcast = broadcast;
		this.timeout = timeout;
		this.requestMany = requestMany;
		this.returnKind = returnKind;
		this.replyType = replyType;
		this.parameters = parameters;
		this.description = describe(contractType, method);
	}

	/** The {@code @BusClient} interface this method belongs to. */
	public Class<?> getContractType() {
		return this.contractType;
	}

	/** The interface method. */
	public Method getMethod() {
		return this.method;
	}

	public Kind getKind() {
		return this.kind;
	}

	/** The subject, with its {@code {name}} variables; placeholders resolved. */
	public SubjectTemplate getSubject() {
		return this.subject;
	}

	/** Whether an implementing service serves it to every instance (no queue group). */
	public boolean isBroadcast() {
		return this.broadcast;
	}

	/**
	 * The timeout the method or its interface declares, or {@code null} for the
	 * template's default; a {@code Duration} argument overrides it per call.
	 */
	public @Nullable Duration getTimeout() {
		return this.timeout;
	}

	/**
	 * The options of a request-many (its {@code maxWait} {@code null} for the template's
	 * default), or {@code null} for other kinds.
	 */
	public @Nullable RequestMany getRequestMany() {
		return this.requestMany;
	}

	/** Whether the sentinel ends this request-many (it answers with a streamed reply). */
	public boolean isSentinel() {
		return this.requestMany != null && this.requestMany.isSentinel();
	}

	/**
	 * What the method returns; for a {@linkplain #isSuspending() suspend function}, what
	 * it resumes with ({@code VOID} for {@code Unit}, {@code VALUE}, {@code MESSAGE} or
	 * {@code REPLIES}).
	 */
	public ReturnKind getReturnKind() {
		return this.returnKind;
	}

	/**
	 * Whether it is a Kotlin {@code suspend} function: its last parameter is the
	 * {@code Continuation} Kotlin adds, and a call suspends the caller's coroutine until
	 * the reply comes instead of blocking a thread.
	 */
	public boolean isSuspending() {
		return this.suspending;
	}

	/**
	 * The type a reply converts to: the {@code T} of {@code T}, {@code Message<T>},
	 * {@code CompletableFuture<T>}, {@code BusReplies<T>}...; {@code byte[]} for a reply
	 * that is awaited but not read.
	 */
	public ResolvableType getReplyType() {
		return this.replyType;
	}

	/** Whether a call carries headers of its own ({@code @Header}, {@code @Headers}). */
	public boolean hasHeaders() {
		return this.parameters.hasHeaders();
	}

	/**
	 * Binds the arguments of one call.
	 * @throws IllegalArgumentException when a subject variable is not a single token, a
	 * required header is {@code null}, or the timeout is not positive
	 */
	public ContractCall bind(@Nullable Object @Nullable [] args) {
		return this.parameters.bind(this.subject, (args != null) ? args : new Object[0], this.description);
	}

	/** {@code com.example.QuoteClient.get(String)}, for messages. */
	public String describe() {
		return this.description;
	}

	static String describe(Class<?> type, Method method) {
		StringBuilder description = new StringBuilder(type.getName()).append('.').append(method.getName()).append('(');
		Class<?>[] types = method.getParameterTypes();
		for (int i = 0; i < types.length; i++) {
			description.append((i > 0) ? ", " : "").append(types[i].getSimpleName());
		}
		return description.append(')').toString();
	}

	@Override
	public String toString() {
		return this.kind + " " + this.description + " -> " + this.subject;
	}

}
