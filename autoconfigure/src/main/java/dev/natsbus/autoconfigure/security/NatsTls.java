package dev.natsbus.autoconfigure.security;

import dev.natsbus.autoconfigure.diagnostics.NatsBusConfigurationException;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

import javax.net.ssl.SSLContext;

import io.nats.client.Options;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslOptions;

/**
 * Whether and how connections use TLS: trust (and, for mutual TLS, the client key) from
 * an SSL bundle or the JVM defaults, host name verification on unless switched off,
 * optionally the TLS-first handshake. One {@link SSLContext} serves every pooled
 * connection.
 */
public final class NatsTls {

	/** No TLS. */
	public static final NatsTls NONE = new NatsTls(null, false, "no TLS", false);

	private final SSLContext sslContext;

	private final boolean tlsFirst;

	private final String trust;

	private final boolean clientCertificate;

	private NatsTls(SSLContext sslContext, boolean tlsFirst, String trust, boolean clientCertificate) {
		this.sslContext = sslContext;
		this.tlsFirst = tlsFirst;
		this.trust = trust;
		this.clientCertificate = clientCertificate;
	}

	/**
	 * The TLS setup.
	 * @param settings what is configured
	 * @param servers the server URLs; {@code tls://} ones turn TLS on
	 * @throws IllegalStateException when TLS is switched off but a URL asks for it
	 */
	public static NatsTls resolve(Settings settings, String[] servers) {
		boolean tlsUrl = Arrays.stream(servers).anyMatch(ServerUrls::isTls);
		if (Boolean.FALSE.equals(settings.enabled())) {
			if (tlsUrl) {
				throw new NatsBusConfigurationException(
						"natsbus.ssl.enabled is false, but natsbus.servers has tls:// URLs",
						"Use nats:// URLs in natsbus.servers, or remove natsbus.ssl.enabled=false.");
			}
			return NONE;
		}
		SslBundle bundle = settings.bundle();
		boolean enabled = Boolean.TRUE.equals(settings.enabled()) || bundle != null || tlsUrl || settings.tlsFirst();
		if (!enabled) {
			return NONE;
		}
		if (bundle != null) {
			SslOptions options = bundle.getOptions();
			SSLContext context = new ConfiguredSslContext(bundle.createSslContext(), settings.verifyHostname(),
					options.getEnabledProtocols(), options.getCiphers());
			boolean clientCertificate = bundle.getStores() != null && bundle.getStores().getKeyStore() != null;
			return new NatsTls(context, settings.tlsFirst(), settings.bundleDescription(), clientCertificate);
		}
		try {
			SSLContext context = new ConfiguredSslContext(SSLContext.getDefault(), settings.verifyHostname(), null,
					null);
			return new NatsTls(context, settings.tlsFirst(), "the JVM's default trust store", false);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("The JVM offers no default TLS context", ex);
		}
	}

	/** Sets TLS on the builder, if enabled. */
	public void apply(Options.Builder builder) {
		if (this.sslContext != null) {
			builder.sslContext(this.sslContext);
			if (this.tlsFirst) {
				builder.tlsFirst();
			}
		}
	}

	public boolean isEnabled() {
		return this.sslContext != null;
	}

	/** Where the trusted certificates come from, for messages. */
	public String getTrust() {
		return this.trust;
	}

	/** Whether a client certificate is offered (mutual TLS). */
	public boolean hasClientCertificate() {
		return this.clientCertificate;
	}

	@Override
	public String toString() {
		return "NatsTls[" + (isEnabled() ? this.trust : "off") + "]";
	}

	/**
	 * What is configured for TLS.
	 *
	 * @param enabled {@code natsbus.ssl.enabled}, {@code null} when not set
	 * @param bundle the SSL bundle, or {@code null}
	 * @param bundleDescription the bundle as named in messages
	 * @param tlsFirst whether to start with the TLS handshake
	 * @param verifyHostname whether the certificate must name the host
	 */
	public record Settings(Boolean enabled, SslBundle bundle, String bundleDescription, boolean tlsFirst,
			boolean verifyHostname) {
	}

}
