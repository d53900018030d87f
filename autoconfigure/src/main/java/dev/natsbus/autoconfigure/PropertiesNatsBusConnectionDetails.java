package dev.natsbus.autoconfigure;

import java.util.List;

/** {@link NatsBusConnectionDetails} read from {@link NatsBusProperties}. */
final class PropertiesNatsBusConnectionDetails implements NatsBusConnectionDetails {

	private final NatsBusProperties properties;

	PropertiesNatsBusConnectionDetails(NatsBusProperties properties) {
		this.properties = properties;
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

	@Override
	public String toString() {
		return "PropertiesNatsBusConnectionDetails[servers=" + getServers() + "]";
	}

}
