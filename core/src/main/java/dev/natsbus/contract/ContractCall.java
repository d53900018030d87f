package dev.natsbus.contract;

import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One call of a contract method, its arguments bound: where it goes, what it carries, and
 * the timeout its {@code Duration} parameter gave.
 *
 * @param subject the subject, its variables filled
 * @param payload the payload, or {@code null} for an empty body
 * @param headers the request headers, or {@code null} for none
 * @param timeout the timeout of this call, or {@code null} when no parameter gave one
 */
public record ContractCall(String subject, @Nullable Object payload, @Nullable Map<String, Object> headers,
		@Nullable Duration timeout) {
}
