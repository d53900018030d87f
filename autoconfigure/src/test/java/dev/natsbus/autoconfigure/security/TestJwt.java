package dev.natsbus.autoconfigure.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.nats.client.NKey;
import io.nats.client.support.JsonSerializable;
import io.nats.client.support.JwtUtils;

/**
 * A throw-away operator and account for decentralized (JWT) authentication, generated at
 * test time with jnats' own NKey and JWT support, as {@code nsc} would: the server trusts
 * the operator and preloads the account from memory; users get credentials files.
 */
final class TestJwt {

	private static final SecureRandom random = new SecureRandom();

	private final NKey operator;

	private final NKey account;

	private final String accountPublicKey;

	private final List<String> revokedUsers = new ArrayList<>();

	TestJwt() {
		try {
			this.operator = NKey.createOperator(random);
			this.account = NKey.createAccount(random);
			this.accountPublicKey = new String(this.account.getPublicKey());
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static NKey newUser() {
		try {
			return NKey.createUser(random);
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Users whose JWTs issued before now are revoked in the account JWT; call before
	 * {@link #serverConfig()}.
	 */
	TestJwt revoke(NKey user) {
		this.revokedUsers.add(publicKey(user));
		return this;
	}

	/** The nats-server configuration of operator mode with a memory resolver. */
	String serverConfig() {
		try {
			String operatorKey = publicKey(this.operator);
			long now = JwtUtils.currentTimeSeconds();
			String operatorJwt = JwtUtils.issueJWT(this.operator, operatorKey, "test-operator", null, now, operatorKey,
					json("{\"type\":\"operator\",\"version\":2}"));
			StringBuilder revocations = new StringBuilder();
			for (String user : this.revokedUsers) {
				revocations.append(revocations.isEmpty() ? "" : ",")
					.append('"')
					.append(user)
					.append("\":")
					.append(now + 1);
			}
			String accountJwt = JwtUtils.issueJWT(this.operator, this.accountPublicKey, "test-account", null, now,
					operatorKey,
					json("{\"limits\":{\"subs\":-1,\"data\":-1,\"payload\":-1,\"imports\":-1,\"exports\":-1,"
							+ "\"wildcards\":true,\"conn\":-1,\"leaf\":-1},\"default_permissions\":{\"pub\":{},\"sub\":{}},"
							+ "\"revocations\":{" + revocations + "},\"type\":\"account\",\"version\":2}"));
			return "operator: \"" + operatorJwt + "\"\nresolver: MEMORY\nresolver_preload: {\n  "
					+ this.accountPublicKey + ": \"" + accountJwt + "\"\n}\n";
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A credentials file for a user of the account, valid for {@code validity} from
	 * {@code issuedAt} (null: forever).
	 */
	Path credentials(Path dir, NKey user, long issuedAt, Duration validity) {
		try {
			String jwt = JwtUtils.issueUserJWT(this.account, this.accountPublicKey, publicKey(user), "test-user",
					validity, new String[0], issuedAt);
			Path file = Files.createTempFile(dir, "user-", ".creds");
			Files.writeString(file, String.format(JwtUtils.NATS_USER_JWT_FORMAT, jwt, new String(user.getSeed())),
					StandardCharsets.UTF_8);
			return file;
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static String publicKey(NKey key) {
		try {
			return new String(key.getPublicKey());
		}
		catch (GeneralSecurityException | IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	static String seed(NKey key) {
		return new String(key.getSeed());
	}

	private static JsonSerializable json(String json) {
		return () -> json;
	}

}
