package dev.natsbus.autoconfigure.actuate;

import dev.natsbus.autoconfigure.actuate.NatsBusEndpointWebExtension.NatsBusEndpointWebExtensionRuntimeHints;
import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;
import org.springframework.context.annotation.ImportRuntimeHints;

/**
 * The HTTP answers of the {@link NatsBusEndpoint}: 404 for an unknown listener id, and
 * 400 with an {@link InvalidActionDescriptor} for an unknown action.
 */
@EndpointWebExtension(endpoint = NatsBusEndpoint.class)
@ImportRuntimeHints(NatsBusEndpointWebExtensionRuntimeHints.class)
public class NatsBusEndpointWebExtension {

	private final NatsBusEndpoint delegate;

	public NatsBusEndpointWebExtension(NatsBusEndpoint delegate) {
		this.delegate = delegate;
	}

	/** {@code GET /actuator/natsbus/{id}}. */
	@ReadOperation
	public WebEndpointResponse<ListenerDescriptor> listener(@Selector String id) {
		return orNotFound(this.delegate.listener(id));
	}

	/**
	 * {@code POST /actuator/natsbus/{id}} with {@code {"action":"pause"}} or
	 * {@code "resume"}.
	 */
	@WriteOperation
	public WebEndpointResponse<OperationResponseBody> changeListener(@Selector String id, String action) {
		try {
			return orNotFound(this.delegate.changeListener(id, action));
		}
		catch (InvalidEndpointRequestException ex) {
			return new WebEndpointResponse<>(new InvalidActionDescriptor(ex.getReason(), ListenerAction.names()),
					WebEndpointResponse.STATUS_BAD_REQUEST);
		}
	}

	private static <T> WebEndpointResponse<T> orNotFound(@Nullable T body) {
		return (body != null) ? new WebEndpointResponse<>(body)
				: new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
	}

	/** The bodies that the generic responses hide from the endpoint's own hints. */
	static class NatsBusEndpointWebExtensionRuntimeHints implements RuntimeHintsRegistrar {

		@Override
		public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
			new BindingReflectionHintsRegistrar().registerReflectionHints(hints.reflection(), ListenerDescriptor.class,
					InvalidActionDescriptor.class);
		}

	}

}
