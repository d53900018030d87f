package dev.natsbus;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Marks a bean method as the handler of the messages published to a NATS subject.
 * <p>
 * Arguments are resolved as in spring-messaging: the payload (converted to the parameter
 * type: {@code byte[]} and {@code String} as they are, anything else from JSON),
 * {@code @Header}, {@code @Headers}, {@code Message<?>}, the raw
 * {@link io.nats.client.Message}, and {@code @Header(BusHeaders.SUBJECT)}. For a request,
 * the return value is the reply; a {@code void} method sends an empty reply; a
 * {@code CompletableFuture} replies when it completes; a {@code java.util.stream.Stream}
 * (or a method declared to return {@code Iterable}) sends one reply per element as the
 * stream yields it, then the sentinel (an empty reply) that ends a
 * {@code requestMany(..., RequestMany.sentinel())}; an exception becomes an error reply
 * (see {@link BusServiceException} and {@link #errorHandler()}). With Reactor on the
 * class path, a {@code Mono} is answered as a {@code CompletableFuture} is (the reply
 * when it emits, an empty reply when it completes empty, an error reply when it fails)
 * and a {@code Flux} as a {@code Stream} is (one reply per element, then the sentinel). A
 * {@code @Valid} or {@code @Validated} payload is validated with the application's Bean
 * Validation {@code Validator}, and one that is not valid is answered with 400.
 * <p>
 * Every attribute but {@link #broadcast()} accepts {@code ${...}} placeholders.
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface BusListener {

	/** Alias for {@link #subject()}. */
	@AliasFor("subject")
	String value() default "";

	/** The subject to listen on; may contain wildcards ({@code *}, {@code >}). */
	@AliasFor("value")
	String subject() default "";

	/**
	 * The queue group. Members of one group share the messages, one member each, so that
	 * instances of a service divide the load. Empty means the default group
	 * ({@code natsbus.listener.queue}, itself {@code q} as in the NATS micro protocol).
	 */
	String queue() default "";

	/**
	 * A plain subscription, in no queue group: every instance of every application that
	 * declares the subject receives every message (events, cache invalidation, "tell
	 * everyone"). A broadcast listener that returns a value answers requests too, each
	 * instance once: {@code request} reads the first answer, {@code requestMany} all of
	 * them. Cannot be combined with {@link #queue()}.
	 */
	boolean broadcast() default false;

	/**
	 * The most invocations of this listener that run at the same time in this instance,
	 * as a number or a placeholder. Empty means {@code natsbus.listener.concurrency}.
	 * <p>
	 * An invocation runs until the method returns (and a synchronous stream has been
	 * read). A {@code CompletableFuture}, a {@code Mono}, or a {@code Flux} that emits on
	 * threads of its own is subscribed to on the worker, then leaves it: while it is
	 * pending it holds no worker, so it does not count against this limit (bound such
	 * work where it runs, for example with the connection pool of a reactive client); its
	 * reply is still owed, and a stop or drain waits for it up to the drain timeout.
	 */
	String concurrency() default "";

	/** An id for logs and metrics; defaults to {@code beanName.methodName}. */
	String id() default "";

	/**
	 * The name of a {@link BusListenerErrorHandler} bean that turns this listener's
	 * failures into replies. Empty means the default handler (with Spring Boot, the
	 * single {@code BusListenerErrorHandler} bean, if any), else the documented error
	 * replies. A name that is no such bean fails start-up.
	 */
	String errorHandler() default "";

}
