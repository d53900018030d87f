/**
 * The contract of a {@code @BusClient} interface, read and checked once: what each method
 * sends where, which parameter is what, and what it returns. Shared by the client proxies
 * ({@code dev.natsbus.client}) and the listeners that serve the interface
 * ({@code dev.natsbus.listener}), so that both sides read one declaration the same way.
 */
@NullMarked
package dev.natsbus.contract;

import org.jspecify.annotations.NullMarked;
