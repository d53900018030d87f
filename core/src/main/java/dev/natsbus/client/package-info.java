/**
 * Declarative bus clients: {@link dev.natsbus.client.BusClientProxyFactory} makes a proxy
 * of a {@code @BusClient} interface whose methods call {@code BusOperations}, and
 * {@link dev.natsbus.client.EnableBusClients} registers such proxies as beans; Reactor
 * return types are adapted here, in a class that is only loaded when a method declares
 * one.
 */
@NullMarked
package dev.natsbus.client;

import org.jspecify.annotations.NullMarked;
