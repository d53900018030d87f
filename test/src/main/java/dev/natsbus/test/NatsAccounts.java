package dev.natsbus.test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Accounts for a server's config file, each with its users and the services it exports to
 * or imports from other accounts: the multi-tenant setup in which one NATS deployment
 * keeps teams apart and shares only what they export.
 *
 * <pre>{@code
 * NatsAccounts accounts = NatsAccounts.builder()
 *     .account("QUOTES", account -> account.user("quotes-svc", "s3cret").exportService("quotes.>"))
 *     .account("SHOP", account -> account.nkeyUser(shopPublicKey).importService("QUOTES", "quotes.>"))
 *     .build();
 * NatsServer server = NatsServer.builder().accounts(accounts).start();
 * }</pre>
 *
 * A user of an account sees only its own subjects and the imported ones; the replies of
 * an imported service find their way back without further configuration.
 */
public final class NatsAccounts {

	private static final String NAME = "[A-Za-z0-9_-]+";

	private final Map<String, Account> accounts;

	private NatsAccounts(Map<String, Account> accounts) {
		this.accounts = accounts;
	}

	/** Starts describing accounts. */
	public static Builder builder() {
		return new Builder();
	}

	/** Names of the accounts, in the order they were added. */
	public List<String> names() {
		return List.copyOf(this.accounts.keySet());
	}

	/** The {@code accounts { ... }} block of the server config. */
	public String toConfig() {
		StringBuilder config = new StringBuilder("accounts {\n");
		this.accounts.forEach((name, account) -> account.render(name, config));
		return config.append("}\n").toString();
	}

	@Override
	public String toString() {
		return "NatsAccounts" + names();
	}

	private static String quoted(String text) {
		return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
	}

	private static String requireSubject(String subject) {
		if (subject == null || subject.isBlank() || subject.chars().anyMatch(Character::isWhitespace)) {
			throw new IllegalArgumentException("Not a NATS subject: '" + subject + "'");
		}
		return subject;
	}

	/** Describes {@link NatsAccounts}. */
	public static final class Builder {

		private final Map<String, Account> accounts = new LinkedHashMap<>();

		private Builder() {
		}

		/** Adds the account {@code name}, described by {@code definition}. */
		public Builder account(String name, Consumer<Account> definition) {
			if (name == null || !name.matches(NAME)) {
				throw new IllegalArgumentException("Account names may only hold letters, digits, '_', '-': " + name);
			}
			if (this.accounts.containsKey(name)) {
				throw new IllegalArgumentException("Account " + name + " is defined twice");
			}
			Account account = new Account();
			definition.accept(account);
			this.accounts.put(name, account);
			return this;
		}

		/**
		 * The accounts.
		 * @throws IllegalStateException if an account imports from one that is not
		 * defined
		 */
		public NatsAccounts build() {
			this.accounts.forEach((name, account) -> account.imports.forEach(imported -> {
				if (!this.accounts.containsKey(imported.account())) {
					throw new IllegalStateException("Account " + name + " imports " + imported.subject()
							+ " from account " + imported.account() + ", which is not defined");
				}
			}));
			return new NatsAccounts(new LinkedHashMap<>(this.accounts));
		}

	}

	/** One account: its users, exports and imports. */
	public static final class Account {

		private final List<String> users = new ArrayList<>();

		private final List<String> exports = new ArrayList<>();

		private final List<Import> imports = new ArrayList<>();

		private Account() {
		}

		/** A user that authenticates with {@code user} and {@code password}. */
		public Account user(String user, String password) {
			if (user == null || user.isBlank() || password == null || password.isEmpty()) {
				throw new IllegalArgumentException("A user needs a name and a password");
			}
			this.users.add("{ user: " + quoted(user) + ", password: " + quoted(password) + " }");
			return this;
		}

		/**
		 * A user that authenticates with the NKey whose public key is {@code publicKey}
		 * (starts with {@code U}); the client signs with the seed.
		 */
		public Account nkeyUser(String publicKey) {
			if (publicKey == null || !publicKey.matches("U[A-Z2-7]{55}")) {
				throw new IllegalArgumentException(
						"Not a public user NKey (U followed by 55 characters): " + publicKey);
			}
			this.users.add("{ nkey: " + publicKey + " }");
			return this;
		}

		/**
		 * Lets other accounts import the request/reply service on {@code subject}
		 * (wildcards allowed, e.g. {@code quotes.>}).
		 */
		public Account exportService(String subject) {
			this.exports.add("{ service: " + quoted(requireSubject(subject)) + " }");
			return this;
		}

		/**
		 * Imports the service {@code subject} that {@code account} exports, under the
		 * same subject.
		 */
		public Account importService(String account, String subject) {
			this.imports.add(new Import(account, requireSubject(subject)));
			return this;
		}

		private void render(String name, StringBuilder config) {
			config.append("  ").append(name).append(": {\n");
			config.append("    users: [").append(String.join(", ", this.users)).append("]\n");
			if (!this.exports.isEmpty()) {
				config.append("    exports: [").append(String.join(", ", this.exports)).append("]\n");
			}
			if (!this.imports.isEmpty()) {
				config.append("    imports: [");
				for (int i = 0; i < this.imports.size(); i++) {
					Import imported = this.imports.get(i);
					config.append(i > 0 ? ", " : "")
						.append("{ service: { account: ")
						.append(imported.account())
						.append(", subject: ")
						.append(quoted(imported.subject()))
						.append(" } }");
				}
				config.append("]\n");
			}
			config.append("  }\n");
		}

	}

	private record Import(String account, String subject) {
	}

}
