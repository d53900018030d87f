package dev.natsbus.listener.adapter;

import org.jspecify.annotations.Nullable;

/**
 * Where a {@link ReplyStreamAdapter} hands the elements of a listener's multi-value
 * result: each element becomes one reply as it comes, the end becomes the sentinel (an
 * empty reply), a failure an error reply that ends the stream. Calls are made one at a
 * time, from any thread; once the stream has ended, further calls do nothing.
 */
public interface ReplySink {

	/**
	 * Publishes one element as a reply.
	 * @return whether more elements are wanted: {@code false} once the caller's deadline
	 * has passed or a reply could not be sent, after which the adapter stops producing
	 * (and need not call {@link #complete()})
	 */
	boolean next(@Nullable Object element);

	/** Ends the stream with the sentinel. */
	void complete();

	/** Ends the stream with an error reply for {@code failure}. */
	void error(Throwable failure);

}
