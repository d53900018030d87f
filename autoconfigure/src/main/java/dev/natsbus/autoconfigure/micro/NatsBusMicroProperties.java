package dev.natsbus.autoconfigure.micro;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How the application's {@code @BusListener} methods appear as a NATS micro service,
 * under {@code natsbus.service}.
 */
@ConfigurationProperties("natsbus.service")
public class NatsBusMicroProperties {

	/**
	 * Whether to answer NATS micro discovery requests ($SRV.PING, $SRV.INFO, $SRV.STATS).
	 */
	private boolean enabled = true;

	/**
	 * Name of the default service, letters, digits, '-' and '_' only. Defaults to
	 * spring.application.name (other characters replaced by '-'), else "natsbus".
	 */
	private String name;

	/**
	 * Version of the services, a semantic version. Defaults to the application's version
	 * (Implementation-Version of the main class's package) when it is one, else "0.0.0".
	 */
	private String version;

	/** Description of the default service. */
	private String description = "";

	/** Metadata of this instance, reported by every service of the application. */
	private Map<String, String> metadata = new LinkedHashMap<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getName() {
		return this.name;
	}

	public void setName(String name) {
		this.name = name;
	}

	public String getVersion() {
		return this.version;
	}

	public void setVersion(String version) {
		this.version = version;
	}

	public String getDescription() {
		return this.description;
	}

	public void setDescription(String description) {
		this.description = description;
	}

	public Map<String, String> getMetadata() {
		return this.metadata;
	}

	public void setMetadata(Map<String, String> metadata) {
		this.metadata = metadata;
	}

}
