package dev.natsbus.listener.adapter;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import dev.natsbus.BusListenerErrorHandler;
import io.nats.client.Message;
import org.jspecify.annotations.Nullable;

/**
 * A listener invocation whose failures go to a {@link BusListenerErrorHandler} first:
 * what the handler returns becomes the result, what it throws the failure. Failures of a
 * {@link CompletionStage} the listener returned go to it as well.
 */
public final class ErrorHandlingInvocation implements ListenerInvocation {

	private final ListenerInvocation invocation;

	private final BusListenerErrorHandler errorHandler;

	private final IncomingMessages incomingMessages;

	/**
	 * @param invocation the listener's invocation
	 * @param errorHandler answers its failures
	 * @param incomingMessages presents the failed message to the error handler
	 */
	public ErrorHandlingInvocation(ListenerInvocation invocation, BusListenerErrorHandler errorHandler,
			IncomingMessages incomingMessages) {
		this.invocation = invocation;
		this.errorHandler = errorHandler;
		this.incomingMessages = incomingMessages;
	}

	@Override
	public @Nullable Object invoke(Message message) throws Exception {
		Object result;
		try {
			result = this.invocation.invoke(message);
		}
		catch (Exception ex) {
			return handleError(message, ex);
		}
		if (result instanceof CompletionStage<?> stage) {
			return handleAsyncError(message, stage);
		}
		return result;
	}

	@Override
	public Class<?> getReturnType() {
		return this.invocation.getReturnType();
	}

	private @Nullable Object handleError(Message message, Exception ex) throws Exception {
		try {
			return this.errorHandler.handleError(this.incomingMessages.toSpring(message), ex);
		}
		catch (Exception failure) {
			if (failure != ex && failure.getCause() != ex) {
				// The operator sees both in the log line of the error reply.
				failure.addSuppressed(ex);
			}
			throw failure;
		}
	}

	private CompletionStage<?> handleAsyncError(Message message, CompletionStage<?> stage) {
		CompletableFuture<Object> handled = new CompletableFuture<>();
		stage.whenComplete((value, ex) -> {
			if (ex == null) {
				handled.complete(value);
				return;
			}
			Throwable cause = (ex instanceof CompletionException && ex.getCause() != null) ? ex.getCause() : ex;
			if (!(cause instanceof Exception exception)) {
				handled.completeExceptionally(cause);
				return;
			}
			try {
				Object result = handleError(message, exception);
				if (result instanceof CompletionStage<?> next) {
					next.whenComplete((nextValue, nextEx) -> {
						if (nextEx != null) {
							handled.completeExceptionally(nextEx);
						}
						else {
							handled.complete(nextValue);
						}
					});
				}
				else {
					handled.complete(result);
				}
			}
			catch (Exception failure) {
				handled.completeExceptionally(failure);
			}
		});
		return handled;
	}

}
