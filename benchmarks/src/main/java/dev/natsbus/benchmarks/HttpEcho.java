package dev.natsbus.benchmarks;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.time.Duration;

import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.client.RestClient;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

/**
 * The HTTP side of the comparison: a Spring MVC application on embedded Tomcat (what
 * Spring Boot's servlet stack runs) answering a {@code @PostMapping} echo on a free
 * loopback port, and clients with keep-alive: {@link RestClient} on the JDK
 * {@link HttpClient} for blocking calls, the same {@code HttpClient} for asynchronous
 * ones.
 */
final class HttpEcho implements AutoCloseable {

	/** Held so that the level stays: Tomcat logs every start and stop through JUL. */
	private static final java.util.logging.Logger tomcatLogs = quiet("org.apache");

	private final Tomcat tomcat;

	private final AnnotationConfigWebApplicationContext context;

	private final int port;

	private final HttpClient httpClient;

	private HttpEcho(Tomcat tomcat, AnnotationConfigWebApplicationContext context, int port) {
		this.tomcat = tomcat;
		this.context = context;
		this.port = port;
		this.httpClient = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(5))
			.build();
	}

	private static java.util.logging.Logger quiet(String name) {
		java.util.logging.Logger logger = java.util.logging.Logger.getLogger(name);
		logger.setLevel(java.util.logging.Level.SEVERE);
		return logger;
	}

	static HttpEcho start() {
		try {
			File base = Files.createTempDirectory("natsbus-bench-tomcat").toFile();
			base.deleteOnExit();
			Tomcat tomcat = new Tomcat();
			tomcat.setBaseDir(base.getAbsolutePath());
			Connector connector = new Connector();
			connector.setPort(0);
			connector.setProperty("address", "127.0.0.1");
			// As Boot's default: 200 worker threads, keep-alive on.
			connector.setProperty("maxThreads", "200");
			connector.setProperty("maxKeepAliveRequests", "-1");
			tomcat.getService().addConnector(connector);
			tomcat.setConnector(connector);
			Context root = tomcat.addContext("", base.getAbsolutePath());
			AnnotationConfigWebApplicationContext context = new AnnotationConfigWebApplicationContext();
			context.register(Mvc.class);
			DispatcherServlet dispatcher = new DispatcherServlet(context);
			Tomcat.addServlet(root, "dispatcher", dispatcher).setLoadOnStartup(1);
			root.addServletMappingDecoded("/", "dispatcher");
			tomcat.start();
			return new HttpEcho(tomcat, context, connector.getLocalPort());
		}
		catch (LifecycleException | java.io.IOException ex) {
			throw new IllegalStateException("Cannot start Tomcat", ex);
		}
	}

	URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	HttpClient httpClient() {
		return this.httpClient;
	}

	RestClient restClient(Duration timeout) {
		JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(this.httpClient);
		factory.setReadTimeout(timeout);
		return RestClient.builder()
			.requestFactory(factory)
			.baseUrl("http://127.0.0.1:" + this.port)
			.defaultHeader("Content-Type", MediaType.APPLICATION_OCTET_STREAM_VALUE)
			.build();
	}

	@Override
	public void close() {
		try {
			this.tomcat.stop();
			this.tomcat.destroy();
		}
		catch (LifecycleException ex) {
			System.err.println("  ! Tomcat stop failed: " + ex);
		}
		this.context.close();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebMvc
	static class Mvc {

		@org.springframework.context.annotation.Bean
		EchoController echoController() {
			return new EchoController();
		}

	}

	@RestController
	static class EchoController {

		@PostMapping(path = "/echo", consumes = MediaType.APPLICATION_OCTET_STREAM_VALUE,
				produces = MediaType.APPLICATION_OCTET_STREAM_VALUE)
		byte[] echo(@RequestBody byte[] body) {
			return body;
		}

	}

}
