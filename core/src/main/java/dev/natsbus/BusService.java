package dev.natsbus;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.core.annotation.AliasFor;

/**
 * Groups the {@link BusListener} methods of a bean into a named NATS micro service, which
 * {@code nats micro ls}, {@code info} and {@code stats} show with these listeners as its
 * endpoints. Listeners of beans without it belong to the application's default service
 * ({@code natsbus.service.*} with Spring Boot). Beans that declare the same name form one
 * service, so their versions and descriptions must agree.
 * <p>
 * Every attribute accepts {@code ${...}} placeholders.
 */
@Target({ ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface BusService {

	/** Alias for {@link #name()}. */
	@AliasFor("name")
	String value() default "";

	/** The service name: letters, digits, {@code -} and {@code _} only. */
	@AliasFor("value")
	String name() default "";

	/**
	 * The service version, a semantic version; empty means the application's default
	 * service version.
	 */
	String version() default "";

	/** A description for humans; may be empty. */
	String description() default "";

}
