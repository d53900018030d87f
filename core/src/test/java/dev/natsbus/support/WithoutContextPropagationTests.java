package dev.natsbus.support;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.ArrayList;
import java.util.List;

import dev.natsbus.test.NatsServer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Micrometer's context-propagation is optional: in a class loader without it, the
 * standard executors and the template load and introspect (as Spring does with beans),
 * and requests complete as before.
 */
class WithoutContextPropagationTests {

	@Test
	void requestsWorkWithoutContextPropagationOnTheClassPath() throws Exception {
		try (NatsServer server = NatsServer.builder().start(); URLClassLoader without = withoutContextPropagation()) {
			assertThatExceptionOfType(ClassNotFoundException.class)
				.isThrownBy(() -> Class.forName("io.micrometer.context.ContextSnapshotFactory", false, without));
			Class<?> probe = Class.forName(WithoutContextPropagationProbe.class.getName(), true, without);
			assertThat(probe.getClassLoader()).isSameAs(without);
			assertThat(probe.getMethod("run", String.class).invoke(null, server.url()))
				.isEqualTo("echo:a echo:b@true true");
		}
	}

	/** The test class path, with every class of context-propagation refused. */
	private static URLClassLoader withoutContextPropagation() throws MalformedURLException {
		String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		List<URL> urls = new ArrayList<>();
		for (String entry : classPath.split(File.pathSeparator)) {
			if (!entry.isEmpty()) {
				urls.add(new File(entry).toURI().toURL());
			}
		}
		return new URLClassLoader(urls.toArray(URL[]::new), ClassLoader.getPlatformClassLoader()) {

			@Override
			protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
				if (name.startsWith("io.micrometer.context.")) {
					throw new ClassNotFoundException(name + " (left out by the test)");
				}
				return super.loadClass(name, resolve);
			}

		};
	}

}
