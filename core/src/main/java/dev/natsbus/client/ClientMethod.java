package dev.natsbus.client;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

import dev.natsbus.BusConversionException;
import dev.natsbus.BusOperations;
import dev.natsbus.BusReplies;
import dev.natsbus.RequestMany;
import dev.natsbus.contract.ContractCall;
import dev.natsbus.contract.ContractMethod;
import dev.natsbus.contract.ReturnKind;
import org.jspecify.annotations.Nullable;

import org.springframework.core.KotlinDetector;
import org.springframework.core.Nullness;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.ClassUtils;

/**
 * One method of a client proxy: binds the arguments of a call and makes it with the
 * {@link BusOperations} the way its return type says, decided once when the proxy was
 * made.
 */
final class ClientMethod {

	private static final ParameterizedTypeReference<byte[]> BYTES = ParameterizedTypeReference.forType(byte[].class);

	private static final byte[] EMPTY = new byte[0];

	private final ContractMethod contract;

	private final BusOperations operations;

	private final ParameterizedTypeReference<Object> replyType;

	/**
	 * The primitive the method returns, or {@code null}: a {@code null} reply cannot be
	 * one.
	 */
	private final @Nullable Class<?> primitive;

	/**
	 * Whether a Kotlin return type says the reply cannot be {@code null}: an empty reply
	 * then fails as a primitive's does, rather than with an NPE in the caller's code.
	 */
	private final boolean nonNull;

	ClientMethod(ContractMethod contract, BusOperations operations) {
		this.contract = contract;
		this.operations = operations;
		this.nonNull = KotlinDetector.isKotlinType(contract.getContractType())
				&& Nullness.forMethodReturnType(contract.getMethod()) == Nullness.NON_NULL;
		if (contract.isSuspending() && !CoroutineReturns.isPresent(contract.getContractType().getClassLoader())) {
			throw new IllegalStateException("Invalid @BusClient method " + contract.describe()
					+ ": a suspend function needs kotlinx-coroutines-core on the class path");
		}
		Class<?> replyClass = contract.getReplyType().toClass();
		this.primitive = replyClass.isPrimitive() ? replyClass : null;
		this.replyType = ParameterizedTypeReference.forType(replyClass.isPrimitive()
				? ClassUtils.resolvePrimitiveIfNecessary(replyClass) : contract.getReplyType().getType());
	}

	@Nullable Object invoke(@Nullable Object @Nullable [] args) {
		ContractCall call = this.contract.bind(args);
		if (this.contract.isSuspending()) {
			return suspending(call, args[args.length - 1]);
		}
		return switch (this.contract.getKind()) {
			case SEND -> send(call);
			case REQUEST -> request(call, this.contract.getReturnKind());
			case REQUEST_MANY -> requestMany(call, this.contract.getReturnKind());
		};
	}

	private @Nullable Object send(ContractCall call) {
		this.operations.send(call.subject(), call.payload(), call.headers());
		return null;
	}

	private @Nullable Object request(ContractCall call, ReturnKind kind) {
		Duration timeout = timeout(call);
		return switch (kind) {
			case VOID -> {
				if (call.headers() != null) {
					this.operations.requestMessage(call.subject(), message(call), BYTES, timeout);
				}
				else {
					this.operations.request(call.subject(), call.payload(), BYTES, timeout);
				}
				yield null;
			}
			case VALUE -> checked(call, (call.headers() != null)
					? payload(this.operations.requestMessage(call.subject(), message(call), this.replyType, timeout))
					: this.operations.request(call.subject(), call.payload(), this.replyType, timeout));
			case MESSAGE -> this.operations.requestMessage(call.subject(), message(call), this.replyType, timeout);
			case FUTURE_VOID, FUTURE_VALUE, FUTURE_MESSAGE -> requestAsync(call, kind, timeout);
			case MONO_VOID, MONO_VALUE, MONO_MESSAGE -> ReactorReturns.mono(() -> requestAsync(call, kind, timeout));
			default -> throw new IllegalStateException("Not a request: " + kind);
		};
	}

	/**
	 * A {@code suspend} function's call: made as its asynchronous kind, and awaited by
	 * the coroutine of {@code continuation}.
	 */
	private Object suspending(ContractCall call, @Nullable Object continuation) {
		if (this.contract.getKind() == ContractMethod.Kind.SEND) {
			send(call);
			return CoroutineReturns.unit();
		}
		CompletableFuture<?> reply = switch (this.contract.getReturnKind()) {
			case VOID -> Futures.map(requestAsync(call, ReturnKind.FUTURE_VOID, timeout(call)),
					(none) -> CoroutineReturns.unit());
			case VALUE -> Futures.map(requestAsync(call, ReturnKind.FUTURE_VALUE, timeout(call)),
					(value) -> checked(call, value));
			case MESSAGE -> requestAsync(call, ReturnKind.FUTURE_MESSAGE, timeout(call));
			case REPLIES -> gather(call, options(call));
			default -> throw new IllegalStateException("Not a suspending call: " + this.contract.getReturnKind());
		};
		return CoroutineReturns.await(reply, Objects.requireNonNull(continuation, "continuation"));
	}

	private CompletableFuture<@Nullable Object> requestAsync(ContractCall call, ReturnKind kind, Duration timeout) {
		if (kind == ReturnKind.FUTURE_MESSAGE || kind == ReturnKind.MONO_MESSAGE) {
			return Futures.map(
					this.operations.requestMessageAsync(call.subject(), message(call), this.replyType, timeout),
					(reply) -> reply);
		}
		boolean read = kind == ReturnKind.FUTURE_VALUE || kind == ReturnKind.MONO_VALUE;
		if (call.headers() != null) {
			return Futures.map(
					this.operations.requestMessageAsync(call.subject(), message(call), this.replyType, timeout),
					(reply) -> read ? payload(reply) : null);
		}
		return Futures.map(this.operations.requestAsync(call.subject(), call.payload(), this.replyType, timeout),
				(reply) -> read ? reply : null);
	}

	private Object requestMany(ContractCall call, ReturnKind kind) {
		RequestMany options = options(call);
		return switch (kind) {
			case REPLIES -> this.operations.requestMany(call.subject(), call.payload(), this.replyType, options);
			case FUTURE_REPLIES -> gather(call, options);
			case MONO_REPLIES -> ReactorReturns.mono(() -> gather(call, options));
			case FLUX -> ReactorReturns.flux(() -> gather(call, options));
			default -> throw new IllegalStateException("Not a request-many: " + kind);
		};
	}

	private CompletableFuture<BusReplies<Object>> gather(ContractCall call, RequestMany options) {
		return this.operations.requestManyAsync(call.subject(), call.payload(), this.replyType, options);
	}

	/** The argument, else the annotation's (or the interface's), else the template's. */
	private Duration timeout(ContractCall call) {
		if (call.timeout() != null) {
			return call.timeout();
		}
		Duration declared = this.contract.getTimeout();
		return (declared != null) ? declared : this.operations.getDefaultTimeout();
	}

	private RequestMany options(ContractCall call) {
		RequestMany options = this.contract.getRequestMany();
		if (options == null) {
			throw new IllegalStateException("Not a request-many: " + this.contract.describe());
		}
		return (call.timeout() != null) ? options.withMaxWait(call.timeout()) : options;
	}

	private static Message<Object> message(ContractCall call) {
		return MessageBuilder.createMessage((call.payload() != null) ? call.payload() : EMPTY,
				new MessageHeaders(call.headers()));
	}

	/** The payload of a reply message, {@code null} for an empty reply. */
	private @Nullable Object payload(Message<?> reply) {
		Object payload = reply.getPayload();
		if (payload instanceof byte[] bytes && bytes.length == 0 && this.replyType.getType() != byte[].class) {
			return null;
		}
		return payload;
	}

	private @Nullable Object checked(ContractCall call, @Nullable Object value) {
		if (value == null && this.primitive != null) {
			throw new BusConversionException(
					"The reply from '" + call.subject() + "' is empty, which " + this.contract.describe()
							+ " cannot return as a " + this.primitive.getName(),
					new NullPointerException("empty reply for a " + this.primitive.getName()));
		}
		if (value == null && this.nonNull) {
			throw new BusConversionException(
					"The reply from '" + call.subject() + "' is empty, which " + this.contract.describe()
							+ " cannot return: its return type is not nullable",
					new NullPointerException("empty reply for a non-null " + this.replyType.getType().getTypeName()));
		}
		return value;
	}

	ContractMethod contract() {
		return this.contract;
	}

}
