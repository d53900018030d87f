package dev.natsbus.client;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.natsbus.BusClient;

import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.AliasFor;

/**
 * Registers a bean for each {@link BusClient} interface in the given packages (and their
 * sub-packages) or named in {@link #clients()}; with none of them given, in the package
 * of the annotated class. With Spring Boot, the interfaces in the application's own
 * packages need no annotation: this is for interfaces elsewhere, such as a contract jar
 * that the caller and the service share.
 * <p>
 * Each proxy is made by the {@link BusClientProxyFactory} bean, or without one by a
 * factory on the {@code BusOperations} bean. See {@link BusClientRegistrations} for what
 * happens when other beans of the interface's type exist.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Import(BusClientsRegistrar.class)
public @interface EnableBusClients {

	/** Alias for {@link #basePackages()}. */
	@AliasFor("basePackages")
	String[] value() default {};

	/** Packages to find {@code @BusClient} interfaces in. */
	@AliasFor("value")
	String[] basePackages() default {};

	/** Classes whose packages to find {@code @BusClient} interfaces in. */
	Class<?>[] basePackageClasses() default {};

	/** {@code @BusClient} interfaces to register, without scanning. */
	Class<?>[] clients() default {};

}
