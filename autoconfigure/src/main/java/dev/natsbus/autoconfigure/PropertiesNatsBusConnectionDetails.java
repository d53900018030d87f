package dev.natsbus.autoconfigure;

import dev.natsbus.autoconfigure.diagnostics.NatsBusConfigurationException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.natsbus.autoconfigure.security.ServerUrls;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.core.io.Resource;
import org.springframework.util.StringUtils;

/** {@link NatsBusConnectionDetails} read from {@link NatsBusProperties}. */
final class PropertiesNatsBusConnectionDetails implements NatsBusConnectionDetails {

	private static final String SEED_FILE_ACTION = "Point natsbus.nkey-seed-file at a file, readable by this "
			+ "application, that holds the user's NKey seed (SU...), for example file:/run/secrets/app.nk.";

	private final NatsBusProperties properties;

	private final SslBundles sslBundles;

	PropertiesNatsBusConnectionDetails(NatsBusProperties properties) {
		this(properties, null);
	}

	PropertiesNatsBusConnectionDetails(NatsBusProperties properties, SslBundles sslBundles) {
		this.properties = properties;
		this.sslBundles = sslBundles;
	}

	@Override
	public List<String> getServers() {
		return this.properties.getServers();
	}

	@Override
	public String getUsername() {
		return this.properties.getUsername();
	}

	@Override
	public String getPassword() {
		return this.properties.getPassword();
	}

	@Override
	public String getToken() {
		return this.properties.getToken();
	}

	/** The seed given inline or read from {@code natsbus.nkey-seed-file}; never both. */
	@Override
	public String getNkeySeed() {
		String seed = this.properties.getNkeySeed();
		Resource file = this.properties.getNkeySeedFile();
		if (file == null) {
			return seed;
		}
		if (StringUtils.hasText(seed)) {
			throw new NatsBusConfigurationException(
					"Both natsbus.nkey-seed and natsbus.nkey-seed-file are set; set only one",
					"Remove natsbus.nkey-seed or natsbus.nkey-seed-file.");
		}
		if (!file.exists()) {
			throw new NatsBusConfigurationException(
					"natsbus.nkey-seed-file: " + file.getDescription() + " does not exist", SEED_FILE_ACTION);
		}
		try {
			return file.getContentAsString(StandardCharsets.UTF_8).strip();
		}
		catch (IOException ex) {
			// The cause names the file only; an I/O failure carries no content.
			throw new NatsBusConfigurationException(
					"natsbus.nkey-seed-file: " + file.getDescription() + " cannot be read", SEED_FILE_ACTION, ex);
		}
	}

	@Override
	public Resource getCredentials() {
		return this.properties.getCredentials();
	}

	@Override
	public SslBundle getSslBundle() {
		String name = this.properties.getSsl().getBundle();
		if (!StringUtils.hasText(name)) {
			return null;
		}
		if (this.sslBundles == null) {
			throw new NatsBusConfigurationException("natsbus.ssl.bundle is '" + name
					+ "' but there are no SSL bundles: spring.ssl.bundle.* needs Spring Boot's SslAutoConfiguration",
					"Let Spring Boot's SslAutoConfiguration run (it is part of spring-boot-autoconfigure), or "
							+ "remove natsbus.ssl.bundle.");
		}
		try {
			return this.sslBundles.getBundle(name);
		}
		catch (NoSuchSslBundleException ex) {
			throw new NatsBusConfigurationException(
					"natsbus.ssl.bundle names SSL bundle '" + name + "', which is not defined; defined are "
							+ this.sslBundles.getBundleNames(),
					"Define spring.ssl.bundle.pem." + name + ".* (or spring.ssl.bundle.jks." + name
							+ ".*), or set natsbus.ssl.bundle to one of " + this.sslBundles.getBundleNames() + ".",
					ex);
		}
	}

	@Override
	public String toString() {
		return "PropertiesNatsBusConnectionDetails[servers=" + ServerUrls.redact(getServers()) + "]";
	}

}
