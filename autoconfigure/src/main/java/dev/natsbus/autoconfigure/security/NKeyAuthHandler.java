package dev.natsbus.autoconfigure.security;

import dev.natsbus.autoconfigure.diagnostics.NatsBusConfigurationException;
import java.io.IOException;
import java.security.GeneralSecurityException;

import io.nats.client.AuthHandler;
import io.nats.client.NKey;

/**
 * NKey authentication without a JWT: the server knows the user's public key and the
 * client signs the server's nonce with the seed. Shows the public key only.
 */
final class NKeyAuthHandler implements AuthHandler {

	private final NKey nkey;

	private final String publicKey;

	private NKeyAuthHandler(NKey nkey, String publicKey) {
		this.nkey = nkey;
		this.publicKey = publicKey;
	}

	/**
	 * @param seed the user seed
	 * @param source where the seed came from, for messages (e.g.
	 * {@code natsbus.nkey-seed})
	 */
	static NKeyAuthHandler fromSeed(String seed, String source) {
		NKey nkey;
		String publicKey;
		try {
			nkey = NKey.fromSeed(seed.strip().toCharArray());
			publicKey = new String(nkey.getPublicKey());
		}
		catch (RuntimeException | GeneralSecurityException | IOException ex) {
			// Not chained: a decoding failure's message could quote part of the seed.
			throw new NatsBusConfigurationException(
					source + " is not a valid NKey seed (" + ex.getClass().getSimpleName() + ")",
					"Set " + source + " to the user's NKey seed as nsc or 'nk -gen user' wrote it: one line "
							+ "that starts with SU.");
		}
		if (nkey.getType() != NKey.Type.USER) {
			throw new NatsBusConfigurationException(
					source + " is the seed of an NKey of type " + nkey.getType()
							+ "; connecting needs a user seed, which starts with SU",
					"Set " + source + " to the seed of the user's NKey (SU...), not of an account or operator.");
		}
		return new NKeyAuthHandler(nkey, publicKey);
	}

	@Override
	public byte[] sign(byte[] nonce) {
		try {
			return this.nkey.sign(nonce);
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new IllegalStateException("Could not sign the NATS server's nonce with the NKey of " + this.publicKey,
					ex);
		}
	}

	@Override
	public char[] getID() {
		return this.publicKey.toCharArray();
	}

	@Override
	public char[] getJWT() {
		return null;
	}

	String getPublicKey() {
		return this.publicKey;
	}

	@Override
	public String toString() {
		return "NKeyAuthHandler[" + this.publicKey + "]";
	}

}
