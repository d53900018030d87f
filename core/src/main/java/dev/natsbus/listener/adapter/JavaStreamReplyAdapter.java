package dev.natsbus.listener.adapter;

import java.util.Iterator;
import java.util.stream.BaseStream;

/**
 * Streams {@link java.util.stream.Stream} results (and the other {@link BaseStream}s) and
 * results of listeners declared to return {@link Iterable} itself, one reply per element
 * pulled on the listener's worker. A {@code List} or {@code Set} return type stays a
 * single reply (a JSON array). The stream is closed at the end, however it ends, so that
 * its {@code onClose} handlers (a cursor, a file) run.
 */
public final class JavaStreamReplyAdapter implements ReplyStreamAdapter {

	@Override
	public boolean supports(Object result, Class<?> declaredType) {
		return result instanceof BaseStream<?, ?> || (result instanceof Iterable<?> && declaredType == Iterable.class);
	}

	@Override
	public void emit(Object result, ReplySink sink) {
		try (AutoCloseable closeable = closeableOf(result)) {
			Iterator<?> elements = (result instanceof BaseStream<?, ?> stream) ? stream.iterator()
					: ((Iterable<?>) result).iterator();
			boolean wanted = true;
			while (wanted && elements.hasNext()) {
				wanted = sink.next(elements.next());
			}
			if (wanted) {
				sink.complete();
			}
		}
		catch (Throwable ex) {
			sink.error(ex);
		}
	}

	private static AutoCloseable closeableOf(Object result) {
		if (result instanceof AutoCloseable closeable) {
			return closeable;
		}
		return () -> {
		};
	}

}
