package dev.natsbus.template;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Where the futures of asynchronous calls complete: on the callback executor, never on a
 * jnats thread.
 */
final class Completions {

	private Completions() {
	}

	/**
	 * Runs {@code completion} on {@code executor}, or here when the executor refuses it,
	 * which happens only while it shuts down: completing here is better than never
	 * completing.
	 */
	static void run(Executor executor, Runnable completion) {
		try {
			executor.execute(completion);
		}
		catch (RejectedExecutionException rejected) {
			completion.run();
		}
	}

}
