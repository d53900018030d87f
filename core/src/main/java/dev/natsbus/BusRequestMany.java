package dev.natsbus;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * A {@link BusClient} method that sends one request and gathers every reply until the
 * {@link RequestMany} conditions declared here end the gathering (scatter-gather, or a
 * streamed reply ended by the sentinel). It returns {@link BusReplies BusReplies<T>} or a
 * {@code CompletableFuture} of it; with Reactor on the classpath also
 * {@code Mono<BusReplies<T>>}, or {@code Flux<T>}, which emits the values once the
 * gathering has ended and then fails with the first error reply, if any.
 * <p>
 * Parameters: one payload, {@code @DestinationVariable}, and a {@link java.time.Duration}
 * as the total time of this call. Request-many sends no headers of its own (client
 * interceptors still add theirs).
 * <p>
 * An implementing {@link BusService} answers with what its method returns: the values of
 * the {@code BusReplies} (or the elements of the {@code Flux}) one reply each, then the
 * sentinel when {@link #sentinel()} is set; without the sentinel, one value per request
 * (a {@code Flux} of more than one element is then answered with an error).
 */
@Target({ ElementType.METHOD, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface BusRequestMany {

	/** Alias for {@link #subject()}. */
	@AliasFor("subject")
	String value() default "";

	/**
	 * The subject; {@code {name}} tokens are filled from {@code @DestinationVariable}
	 * parameters, {@code ${...}} placeholders are resolved once when the client is
	 * created.
	 */
	@AliasFor("value")
	String subject() default "";

	/**
	 * Ends the gathering after that many replies (a number or a placeholder); empty for
	 * no limit.
	 */
	String maxReplies() default "";

	/**
	 * The total time ({@code 300ms}, {@code 2s}, an ISO-8601 duration or a placeholder);
	 * empty means the client's timeout, and then the template's default. A
	 * {@code Duration} parameter overrides it per call.
	 */
	String maxWait() default "";

	/**
	 * Ends the gathering when no reply arrived for this long after the last one; empty
	 * for none.
	 */
	String stall() default "";

	/**
	 * Whether the sentinel (an empty reply without error headers) ends the gathering, as
	 * a streamed reply ends.
	 */
	boolean sentinel() default false;

	/**
	 * How an implementing {@link BusService} serves it: {@code true} for a scatter-gather
	 * that every instance answers (a broadcast listener), {@code false} (the default) for
	 * one instance of the queue group, for example with a streamed reply.
	 */
	boolean broadcast() default false;

}
