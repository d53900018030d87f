package dev.natsbus.test;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;

/**
 * Java 21's virtual threads for tests built for Java 17: looked up at run time, so that
 * only tests marked {@link RequiresJava21} call them.
 */
public final class VirtualThreads {

	private VirtualThreads() {
	}

	/** Whether {@code thread} is a virtual thread ({@code Thread.isVirtual()}). */
	public static boolean isVirtual(Thread thread) {
		try {
			return (boolean) handle(Thread.class, "isVirtual", MethodType.methodType(boolean.class), false)
				.invoke(thread);
		}
		catch (Throwable ex) {
			throw new IllegalStateException("Thread.isVirtual() needs Java 21+", ex);
		}
	}

	/**
	 * An executor that starts a virtual thread per task
	 * ({@code Executors.newVirtualThreadPerTaskExecutor()}).
	 */
	public static ExecutorService newVirtualThreadPerTaskExecutor() {
		try {
			return (ExecutorService) handle(java.util.concurrent.Executors.class, "newVirtualThreadPerTaskExecutor",
					MethodType.methodType(ExecutorService.class), true)
				.invoke();
		}
		catch (Throwable ex) {
			throw new IllegalStateException("Executors.newVirtualThreadPerTaskExecutor() needs Java 21+", ex);
		}
	}

	private static MethodHandle handle(Class<?> type, String name, MethodType signature, boolean isStatic)
			throws ReflectiveOperationException {
		MethodHandles.Lookup lookup = MethodHandles.publicLookup();
		return isStatic ? lookup.findStatic(type, name, signature) : lookup.findVirtual(type, name, signature);
	}

}
